package load

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// scanAll collects a scan's rows as strings ("\x00" marks NULL).
func scanAll(t *testing.T, l *Lake, conn, table string, opts ScanOptions) ([][]string, error) {
	t.Helper()
	var out [][]string
	for vals, err := range l.Scan(context.Background(), conn, table, opts) {
		if err != nil {
			return out, err
		}
		row := make([]string, len(vals))
		for i, v := range vals {
			if !v.Valid {
				if v.String != "" {
					t.Errorf("NULL value with text %q", v.String)
				}
				row[i] = "\x00"
			} else {
				row[i] = v.String
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// duckRows reads the same columns of the state with DuckDB (as text), in id order.
func duckRows(t *testing.T, l *Lake, conn, table string, cols []string, live bool) [][]string {
	t.Helper()
	sel := []string{"id"}
	for _, c := range cols {
		sel = append(sel, "coalesce(CAST("+quoteIdent(c)+" AS VARCHAR), chr(0)) AS "+quoteIdent(c))
	}
	where := ""
	if live {
		where = " WHERE remote_deleted_at IS NULL"
	}
	q := fmt.Sprintf("SELECT %s FROM read_parquet(%s)%s ORDER BY id", strings.Join(sel, ", "),
		quoteString(l.tableDir(table, conn)+"/part-*.parquet"), where)
	out := [][]string{}
	for _, r := range queryRows(t, duck(t), q) {
		row := make([]string, len(cols))
		for i, c := range cols {
			row[i] = r[c].(string)
		}
		out = append(out, row)
	}
	return out
}

func TestScanMatchesState(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	// Small row groups: the scan crosses row group and page boundaries.
	oldRows := maxRowGroupRows
	maxRowGroupRows = 700
	t.Cleanup(func() { maxRowGroupRows = oldRows })

	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	first := genRecord(rng, mem, "tags", "t", 0, 3000)
	runOnce(t, l, "acme", "run-1", at(1), nil, map[string][]arrow.RecordBatch{"tags": {first}})
	first.Release()
	// The second run keeps every third row: the others are deleted.
	var keep []int
	for i := 0; i < 3000; i += 3 {
		keep = append(keep, i)
	}
	second := genRecordIDs(rng, mem, "tags", "t", keep)
	runOnce(t, l, "acme", "run-2", at(2), CoverTables("tags"), map[string][]arrow.RecordBatch{"tags": {second}})
	second.Release()
	if n := len(openMeta(t, filepath.Join(l.tableDir("tags", "acme"), "part-0.parquet")).RowGroups()); n < 4 {
		t.Fatalf("state file has %d row groups, want several", n)
	}

	for _, tc := range []struct {
		name string
		cols []string
		live bool
	}{
		{"all columns", []string{"id", "remote_id", "name", "remote_data"}, false},
		{"live only", []string{"remote_id", "name"}, true},
		{"one column twice", []string{"name", "name"}, false},
		{"no columns", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := scanAll(t, l, "acme", "tags", ScanOptions{Columns: tc.cols, Live: tc.live})
			if err != nil {
				t.Fatal(err)
			}
			want := duckRows(t, l, "acme", "tags", tc.cols, tc.live)
			if len(got) != len(want) {
				t.Fatalf("scan gave %d rows, DuckDB %d", len(got), len(want))
			}
			for i := range got {
				if !slices.Equal(got[i], want[i]) {
					t.Fatalf("row %d: scan %q, DuckDB %q", i, got[i], want[i])
				}
			}
			if tc.live && len(got) != 1000 {
				t.Errorf("live rows = %d, want 1000", len(got))
			}
		})
	}

	// Stopping early is no error.
	n := 0
	for _, err := range l.Scan(context.Background(), "acme", "tags", ScanOptions{Columns: []string{"id"}}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 5 {
			break
		}
	}
	// A cancelled context ends the scan with its error.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var gotErr error
	for _, err := range l.Scan(ctx, "acme", "tags", ScanOptions{Columns: []string{"id"}}) {
		gotErr = err
	}
	if !errors.Is(gotErr, context.Canceled) {
		t.Errorf("cancelled scan: %v", gotErr)
	}
}

func TestScanSeveralParts(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	other, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	a := buildRec(t, mem, "tags", tag("a", "x"), tag("b", "y"), tag("c", "z"))
	runOnce(t, l, "acme", "run-1", at(1), nil, map[string][]arrow.RecordBatch{"tags": {a}})
	a.Release()
	b := buildRec(t, mem, "tags", tag("b", "y2"), tag("d", "w"))
	runOnce(t, other, "acme", "run-1", at(1), nil, map[string][]arrow.RecordBatch{"tags": {b}})
	b.Release()
	// An older layout: a second part file, whose rows win for their ids.
	data, err := os.ReadFile(filepath.Join(other.tableDir("tags", "acme"), "part-0.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(l.tableDir("tags", "acme"), "part-1.parquet"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := scanAll(t, l, "acme", "tags", ScanOptions{Columns: []string{"id", "name"}, Live: true})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"a", "x"}, {"b", "y2"}, {"c", "z"}, {"d", "w"}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("merged scan = %q, want %q", got, want)
	}
}

func TestScanEmptyAndErrors(t *testing.T) {
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	got, err := scanAll(t, l, "acme", "jobs", ScanOptions{Columns: []string{"remote_id"}})
	if err != nil || len(got) != 0 {
		t.Errorf("scan of a connection without state: %q, %v", got, err)
	}
	for _, tc := range []struct {
		name, conn, table string
		cols              []string
		want              string
	}{
		{"unknown table", "acme", "nope", nil, "unknown table"},
		{"unknown column", "acme", "jobs", []string{"title"}, `unknown column "title"`},
		{"not a string", "acme", "jobs", []string{"changed_at"}, "not a string column"},
		{"list column", "acme", "job_screening_questions", []string{"precondition_options"}, "not a string column"},
		{"bad connection", "Acme!", "jobs", nil, "invalid connection"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scanAll(t, l, tc.conn, tc.table, ScanOptions{Columns: tc.cols})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
