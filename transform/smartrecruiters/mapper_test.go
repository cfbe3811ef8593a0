package smartrecruiters

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/extract"
	"github.com/atslake/atslake/schemas"
	"github.com/atslake/atslake/transform"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const testConn = "acme-sr"

// fixtureDoc is one line of a fixture: a source document. A body given as a
// JSON string is taken as the raw body bytes (to feed bodies that are not JSON).
type fixtureDoc struct {
	Kind string          `json:"kind"`
	Key  string          `json:"key"`
	Body json.RawMessage `json:"body"`
}

func loadFixture(t testing.TB, path string) []extract.Doc {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var docs []extract.Doc
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var d fixtureDoc
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		body := []byte(d.Body)
		if s, ok := transform.JSONStringValue(d.Body); ok {
			body = []byte(s)
		}
		docs = append(docs, extract.Doc{Kind: d.Kind, Key: d.Key, Body: body})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return docs
}

// records packs docs into DocSchema records of at most perRecord documents.
func records(alloc memory.Allocator, docs []extract.Doc, perRecord int) []arrow.RecordBatch {
	b := extract.NewBatcher(alloc, perRecord, 0)
	defer b.Release()
	var out []arrow.RecordBatch
	for _, d := range docs {
		if b.Add(d.Kind, d.Key, d.Body) {
			out = append(out, b.Flush())
		}
	}
	if rec := b.Flush(); rec != nil {
		out = append(out, rec)
	}
	return out
}

// sink renders every emitted record (checking its schema) and collects skips.
type sink struct {
	t     testing.TB
	rows  map[string][]string
	skips []string
}

func newSink(t testing.TB) *sink { return &sink{t: t, rows: map[string][]string{}} }

func (s *sink) Emit(_ context.Context, table string, rec arrow.RecordBatch) error {
	tbl, ok := schemas.Lookup(table)
	if !ok {
		s.t.Errorf("emitted unknown table %q", table)
		return nil
	}
	if !rec.Schema().Equal(tbl.Schema()) {
		s.t.Errorf("%s: schema %s, want %s", table, rec.Schema(), tbl.Schema())
	}
	for i, f := range tbl.Schema().Fields() {
		if !arrow.TypeEqual(rec.Column(i).DataType(), f.Type, arrow.CheckMetadata()) {
			s.t.Errorf("%s.%s: column type %s, want %s", table, f.Name, rec.Column(i).DataType(), f.Type)
		}
	}
	out, err := transform.AppendRowsJSON(nil, rec)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		s.rows[table] = append(s.rows[table], line)
	}
	return nil
}

func (s *sink) Skip(table, remoteID, endpoint string, err error) {
	kind := "other"
	switch {
	case errors.Is(err, transform.ErrMalformed):
		kind = "malformed"
	case errors.Is(err, transform.ErrMissingKey):
		kind = "missing_key"
	case errors.Is(err, transform.ErrUnknownKind):
		kind = "unknown_kind"
	}
	line, _ := transform.MarshalJSON(map[string]string{"table": table, "remote_id": remoteID, "endpoint": endpoint, "sentinel": kind, "error": err.Error()})
	s.skips = append(s.skips, string(line))
}

// run maps docs with the given record and batch sizes and returns the sink.
func run(t testing.TB, docs []extract.Doc, perRecord, batchRows int) *sink {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	recs := records(mem, docs, perRecord)
	m := New(testConn, WithAllocator(mem), WithBatchRows(batchRows), WithAppURL("https://app.example.com"))
	s := newSink(t)
	ctx := context.Background()
	for _, rec := range recs {
		if err := m.Map(ctx, rec, s, s); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	if err := m.Finish(ctx, s, s); err != nil {
		t.Fatal(err)
	}
	m.Release()
	return s
}

func TestMapGolden(t *testing.T) {
	docs := loadFixture(t, filepath.Join("testdata", "tenant.jsonl"))
	s := run(t, docs, 1000, 0)
	readable := annotate(t, s.rows, docs)
	for _, name := range schemas.Names() {
		if len(s.rows[name]) == 0 {
			t.Errorf("table %s: no rows; the fixture must cover every table", name)
		}
		checkRows(t, name, s.rows[name])
		golden(t, name+".jsonl", readable[name])
	}
	golden(t, "_skipped.jsonl", s.skips)
}

// TestMapBatchSizes: the output does not depend on how documents are batched
// into records or rows into emitted batches.
func TestMapBatchSizes(t *testing.T) {
	docs := loadFixture(t, filepath.Join("testdata", "tenant.jsonl"))
	want := run(t, docs, 1000, 0)
	for _, c := range []struct{ perRecord, batchRows int }{{1, 1}, {3, 2}, {7, 5}} {
		got := run(t, docs, c.perRecord, c.batchRows)
		for _, name := range schemas.Names() {
			if !slices.Equal(got.rows[name], want.rows[name]) {
				t.Errorf("records of %d docs, batches of %d rows: table %s differs", c.perRecord, c.batchRows, name)
			}
		}
		if !slices.Equal(got.skips, want.skips) {
			t.Errorf("records of %d docs: skips differ", c.perRecord)
		}
	}
}

// checkRows asserts what holds for every row: the id is the id of the remote
// id, ids are unique, JSON columns hold compact valid JSON.
func checkRows(t *testing.T, table string, rows []string) {
	tbl := schemas.MustLookup(table)
	seen := map[string]bool{}
	for _, line := range rows {
		var row map[string]any
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		id, _ := row["id"].(string)
		rid, _ := row["remote_id"].(string)
		if id != transform.ID(testConn, table, rid) {
			t.Errorf("%s %s: id %s is not the id of its remote id", table, rid, id)
		}
		if seen[id] {
			t.Errorf("%s: id of %s emitted twice", table, rid)
		}
		seen[id] = true
		for _, c := range tbl.Columns {
			if c.Kind == schemas.JSON {
				if js, ok := row[c.Name].(string); ok {
					checkJSONText(t, table+"."+c.Name, js)
				}
			}
		}
		for _, nested := range []struct{ col, field string }{{"integration_fields", "value"}, {"screening_question_answers", "answer"}} {
			list, _ := row[nested.col].([]any)
			for _, e := range list {
				if js, ok := e.(map[string]any)[nested.field].(string); ok {
					checkJSONText(t, table+"."+nested.col+"."+nested.field, js)
				}
			}
		}
	}
}

func checkJSONText(t *testing.T, where, js string) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(js)); err != nil {
		t.Errorf("%s: not JSON: %s", where, js)
		return
	}
	if buf.String() != js {
		t.Errorf("%s: not compact: %s", where, js)
	}
}

// annotate renders rows for the goldens: keys sorted, and beside every
// relation (and answers' question_id) an "@" key naming what it points to,
// "<table>:<remote_id>", or "dangling".
func annotate(t *testing.T, rows map[string][]string, docs []extract.Doc) map[string][]string {
	known := map[string]map[string]string{} // table -> id -> remote id
	remoteIDs := map[string]bool{}
	for _, d := range docs {
		remoteIDs[d.Key] = true
		for _, p := range strings.Split(d.Key, ":") {
			remoteIDs[p] = true
		}
	}
	for table, lines := range rows {
		known[table] = map[string]string{}
		for _, line := range lines {
			var row struct{ ID, RemoteID string }
			row.ID, row.RemoteID = field(t, line, "id"), field(t, line, "remote_id")
			known[table][row.ID] = row.RemoteID
			remoteIDs[row.RemoteID] = true
		}
	}
	resolve := func(target, id string) string {
		if r, ok := known[target][id]; ok {
			return target + ":" + r
		}
		for r := range remoteIDs {
			if transform.ID(testConn, target, r) == id {
				return "dangling " + target + ":" + r
			}
		}
		return "dangling"
	}
	out := map[string][]string{}
	for table, lines := range rows {
		tbl := schemas.MustLookup(table)
		for _, line := range lines {
			dec := json.NewDecoder(strings.NewReader(line))
			dec.UseNumber()
			var row map[string]any
			if err := dec.Decode(&row); err != nil {
				t.Fatal(err)
			}
			for _, c := range tbl.Relations() {
				if id, ok := row[c.Name].(string); ok {
					row[c.Name+"@"] = resolve(c.Ref, id)
				}
			}
			if list, ok := row["screening_question_answers"].([]any); ok {
				for _, e := range list {
					a := e.(map[string]any)
					if id, ok := a["question_id"].(string); ok {
						a["question_id@"] = resolve("screening_questions", id)
					}
				}
			}
			b, err := transform.MarshalJSON(row)
			if err != nil {
				t.Fatal(err)
			}
			out[table] = append(out[table], string(b))
		}
	}
	return out
}

func field(t *testing.T, line, name string) string {
	var row map[string]any
	if err := json.Unmarshal([]byte(line), &row); err != nil {
		t.Fatal(err)
	}
	s, _ := row[name].(string)
	return s
}

func golden(t *testing.T, name string, lines []string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	got := strings.Join(lines, "\n")
	if len(lines) > 0 {
		got += "\n"
	}
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", name, diff(string(want), got))
	}
}

func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %s\n  got  %s\n", i+1, wl, gl)
		}
	}
	return b.String()
}
