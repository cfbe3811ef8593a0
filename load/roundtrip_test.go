package load

import (
	"context"
	"database/sql"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/schemas"
)

// canon makes a value of field f comparable between what was written and
// what DuckDB returns: JSON fields are compared as parsed JSON (DuckDB
// hands nested JSON back parsed), parsed from text on the written side.
func canon(t *testing.T, f arrow.Field, v any, written bool) any {
	t.Helper()
	if v == nil {
		return nil
	}
	if schemas.IsJSONField(f) {
		var b []byte
		if written {
			b = []byte(v.(string))
		} else {
			var err error
			if b, err = json.Marshal(v); err != nil {
				t.Fatal(err)
			}
		}
		var out any
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%s: %q: %v", f.Name, b, err)
		}
		return out
	}
	switch typ := f.Type.(type) {
	case *arrow.ListType:
		l := v.([]any)
		out := make([]any, len(l))
		for i, e := range l {
			out[i] = canon(t, typ.ElemField(), e, written)
		}
		return out
	case *arrow.StructType:
		m := v.(map[string]any)
		out := map[string]any{}
		for _, cf := range typ.Fields() {
			out[cf.Name] = canon(t, cf, m[cf.Name], written)
		}
		return out
	}
	return v
}

// Every table's schema round-trips tricky values through Write, Commit and
// the catalog views: NULL vs empty lists, nested structs, JSON, Unicode,
// timestamps before 1970.
func TestRoundTripAllTables(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ctx := context.Background()
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	recs := map[string][]arrow.RecordBatch{}
	for _, tb := range schemas.All() {
		// Ids written in descending batches, so the writer has to sort.
		recs[tb.Name] = []arrow.RecordBatch{
			genRecord(rng, mem, tb.Name, "id-", 20, 20),
			genRecord(rng, mem, tb.Name, "id-", 0, 20),
		}
	}
	stats := runOnce(t, l, "acme", "run1", at(1), nil, recs)
	if len(stats) != len(schemas.All()) {
		t.Errorf("stats for %d tables, want %d", len(stats), len(schemas.All()))
	}
	if err := BuildCatalog(ctx, l.Dir()); err != nil {
		t.Fatal(err)
	}
	db, err := OpenCatalog(ctx, l.Dir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tb := range schemas.All() {
		if s := statsOf(stats, tb.Name); s.RowsSeen != 40 || s.Inserted != 40 {
			t.Errorf("%s: stats %+v", tb.Name, s)
		}
		// Expected rows from the records, by id.
		want := map[string]map[string]any{}
		for _, rec := range recs[tb.Name] {
			for i := range int(rec.NumRows()) {
				m := map[string]any{}
				for c, f := range tb.Schema().Fields() {
					m[f.Name] = goValue(rec.Column(c), i)
				}
				m["changed_at"] = at(1)
				m["remote_deleted_at"] = nil
				m["connection"] = "acme"
				want[m["id"].(string)] = m
			}
		}
		// Top-level JSON columns come back as their exact text.
		var sel []string
		for _, c := range tb.Columns {
			if c.Kind == schemas.JSON {
				sel = append(sel, "CAST("+quoteIdent(c.Name)+" AS VARCHAR) AS "+quoteIdent(c.Name))
			} else {
				sel = append(sel, quoteIdent(c.Name))
			}
		}
		got := queryRows(t, db, "SELECT "+strings.Join(sel, ", ")+", connection FROM "+quoteIdent(tb.Name)+" ORDER BY id")
		if len(got) != len(want) {
			t.Fatalf("%s: %d rows, want %d", tb.Name, len(got), len(want))
		}
		for _, g := range got {
			w := want[g["id"].(string)]
			for _, f := range tb.Schema().Fields() {
				gv, wv := g[f.Name], w[f.Name]
				if !schemas.IsJSONField(f) { // top-level JSON compares as exact text
					gv, wv = canon(t, f, gv, false), canon(t, f, wv, true)
				}
				if !reflect.DeepEqual(gv, wv) {
					t.Errorf("%s %s.%s = %#v, want %#v", tb.Name, g["id"], f.Name, gv, wv)
				}
			}
			if g["connection"] != "acme" {
				t.Errorf("%s: connection %v", tb.Name, g["connection"])
			}
		}
	}
	for _, rs := range recs {
		release(rs...)
	}
}

// duckType spells a column's type the way the data dictionary does, from
// DuckDB's DESCRIBE output.
func duckType(s string) string {
	s = strings.ReplaceAll(s, `"`, "")
	return strings.ReplaceAll(s, "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ")
}

type column struct{ name, typ string }

func describe(t *testing.T, db *sql.DB, view string) []column {
	t.Helper()
	var out []column
	for _, r := range queryRows(t, db, "DESCRIBE "+quoteIdent(view)) {
		out = append(out, column{r["column_name"].(string), duckType(r["column_type"].(string))})
	}
	return out
}

// wantViews lists every view of the catalog with its columns and types.
func wantViews() map[string][]column {
	views := map[string][]column{}
	for _, tb := range schemas.All() {
		var cols []column
		for _, c := range tb.Columns {
			cols = append(cols, column{c.Name, schemas.TypeName(c)})
		}
		views[tb.Name] = append(append([]column{}, cols...), column{"connection", "VARCHAR"})
		views[tb.Name+"_history"] = append(append([]column{}, cols...),
			column{"_valid_from", "TIMESTAMPTZ"}, column{"_valid_to", "TIMESTAMPTZ"}, column{"connection", "VARCHAR"})
	}
	views["runs"] = []column{{"run_id", "VARCHAR"}, {"connection", "VARCHAR"}, {"connector", "VARCHAR"}, {"mode", "VARCHAR"},
		{"status", "VARCHAR"}, {"started_at", "TIMESTAMPTZ"}, {"finished_at", "TIMESTAMPTZ"}, {"requests", "BIGINT"},
		{"retries", "BIGINT"}, {"skipped", "BIGINT"}, {"error", "VARCHAR"}}
	views["run_tables"] = []column{{"run_id", "VARCHAR"}, {"connection", "VARCHAR"}, {"table_name", "VARCHAR"},
		{"rows_seen", "BIGINT"}, {"inserted", "BIGINT"}, {"updated", "BIGINT"}, {"deleted", "BIGINT"}}
	views["dangling_relations"] = []column{{"connection", "VARCHAR"}, {"table_name", "VARCHAR"}, {"column_name", "VARCHAR"},
		{"target_table", "VARCHAR"}, {"dangling", "BIGINT"}}
	return views
}

// Every view exists with its declared columns and types, on an empty lake
// and on one with data (timestamps TIMESTAMPTZ, JSON columns JSON).
func TestCatalogViewTypes(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ctx := context.Background()
	for _, filled := range []bool{false, true} {
		l, err := Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		if filled {
			rng := rand.New(rand.NewPCG(3, 4))
			recs := map[string][]arrow.RecordBatch{}
			for _, tb := range schemas.All() {
				recs[tb.Name] = []arrow.RecordBatch{genRecord(rng, mem, tb.Name, "x", 0, 5)}
			}
			runOnce(t, l, "acme", "run1", at(1), nil, recs)
			for _, rs := range recs {
				release(rs...)
			}
		}
		if err := EnsureCatalog(ctx, l.Dir()); err != nil {
			t.Fatal(err)
		}
		db, err := OpenCatalog(ctx, l.Dir())
		if err != nil {
			t.Fatal(err)
		}
		want := wantViews()
		var names []string
		for _, r := range queryRows(t, db, "SELECT view_name FROM duckdb_views() WHERE NOT internal") {
			names = append(names, r["view_name"].(string))
		}
		sort.Strings(names)
		if len(names) != len(want) {
			t.Errorf("filled=%v: %d views, want %d: %v", filled, len(names), len(want), names)
		}
		for view, cols := range want {
			if got := describe(t, db, view); !reflect.DeepEqual(got, cols) {
				t.Errorf("filled=%v: view %s:\n got %v\nwant %v", filled, view, got, cols)
			}
			var n int64
			if err := db.QueryRow("SELECT count(*) FROM " + quoteIdent(view)).Scan(&n); err != nil {
				t.Errorf("filled=%v: %s: %v", filled, view, err)
			}
			if !filled && n != 0 {
				t.Errorf("empty lake: %s has %d rows", view, n)
			}
		}
		db.Close()
	}
}
