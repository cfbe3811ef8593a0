package phenom

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/extract"
	phenomx "github.com/atslake/atslake/extract/phenom"
	"github.com/atslake/atslake/schemas"
	"github.com/atslake/atslake/transform"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const testConn = "test-phenom"

// collector is an Emitter keeping every row as its AppendRowsJSON line, and
// the parsed rows, per table in emission order.
type collector struct {
	t     testing.TB
	mu    sync.Mutex
	order []string // tables in order of first emission
	lines map[string][]string
	rows  map[string][]map[string]any
	emits map[string]int
}

func newCollector(t testing.TB) *collector {
	return &collector{t: t, lines: map[string][]string{}, rows: map[string][]map[string]any{}, emits: map[string]int{}}
}

func (c *collector) Emit(_ context.Context, table string, rec arrow.RecordBatch) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !rec.Schema().Equal(schemas.MustLookup(table).Schema()) {
		c.t.Errorf("%s: emitted schema differs from the table's", table)
	}
	if rec.NumRows() == 0 {
		c.t.Errorf("%s: empty record emitted", table)
	}
	b, err := transform.AppendRowsJSON(nil, rec)
	if err != nil {
		c.t.Fatalf("%s: %v", table, err)
	}
	if _, ok := c.lines[table]; !ok {
		c.order = append(c.order, table)
	}
	c.emits[table]++
	for _, l := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		c.lines[table] = append(c.lines[table], l)
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			c.t.Fatal(err)
		}
		c.rows[table] = append(c.rows[table], m)
	}
	return nil
}

// text renders everything collected: "# table" then one line per row.
func (c *collector) text() string {
	var b strings.Builder
	for _, t := range c.order {
		fmt.Fprintf(&b, "# %s\n", t)
		for _, l := range c.lines[t] {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// last returns the last row written per remote_id of table (the loader's view).
func (c *collector) last(table string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, r := range c.rows[table] {
		out[r["remote_id"].(string)] = r
	}
	return out
}

// remoteIDs returns the distinct remote ids of table, sorted.
func (c *collector) remoteIDs(table string) []string {
	var ids []string
	for id := range c.last(table) {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

type skipped struct {
	table, remoteID, endpoint string
	err                       error
}

type skipRecorder struct {
	mu   sync.Mutex
	list []skipped
}

func (s *skipRecorder) Skip(table, remoteID, endpoint string, err error) {
	s.mu.Lock()
	s.list = append(s.list, skipped{table, remoteID, endpoint, err})
	s.mu.Unlock()
}

// doc is one source document for a test.
type doc struct {
	kind, key string
	body      []byte
}

// jobDocs / appDocs wrap items as extract/phenom does (key = jobId or
// applicationId, body {path: item}) and add the list-complete marker.
func jobDocs(t testing.TB, items ...string) []doc {
	return wrapDocs(t, phenomx.KindJob, phenomx.PathJobs, "jobId", phenomx.ListJobs, items)
}

func appDocs(t testing.TB, items ...string) []doc {
	return wrapDocs(t, phenomx.KindApplication, phenomx.PathApplications, "applicationId", phenomx.ListApplications, items)
}

func wrapDocs(t testing.TB, kind, path, keyField, list string, items []string) []doc {
	t.Helper()
	var out []doc
	for _, it := range items {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(it), &m); err != nil {
			t.Fatalf("bad test item %s: %v", it, err)
		}
		key := string(m[keyField])
		if k, ok := transform.JSONStringValue(m[keyField]); ok {
			key = k
		}
		out = append(out, doc{kind, key, []byte(`{"` + path + `":` + it + `}`)})
	}
	return append(out, doc{extract.KindListComplete, list, []byte("{}")})
}

// record builds a DocSchema record of docs.
func record(alloc memory.Allocator, docs []doc) arrow.RecordBatch {
	b := extract.NewBatcher(alloc, len(docs)+1, 0)
	defer b.Release()
	for _, d := range docs {
		b.Add(d.kind, d.key, d.body)
	}
	return b.Flush()
}

// mapDocs runs a Mapper over docs in batches of batch documents with a
// checked allocator and returns what it emitted and skipped.
func mapDocs(t testing.TB, docs []doc, batch int, opts ...Option) (*collector, *skipRecorder) {
	t.Helper()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	out, skip := newCollector(t), &skipRecorder{}
	m := New(testConn, append([]Option{WithAllocator(alloc)}, opts...)...)
	defer m.Release()
	ctx := context.Background()
	for i := 0; i < len(docs); i += batch {
		rec := record(alloc, docs[i:min(i+batch, len(docs))])
		err := m.Map(ctx, rec, out, skip)
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Finish(ctx, out, skip); err != nil {
		t.Fatal(err)
	}
	return out, skip
}

// golden compares got with testdata/golden/<name>.txt (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".txt")
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
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(want, []byte(got)) {
		wl, gl := strings.Split(string(want), "\n"), strings.Split(got, "\n")
		for i := range max(len(wl), len(gl)) {
			var w, g string
			if i < len(wl) {
				w = wl[i]
			}
			if i < len(gl) {
				g = gl[i]
			}
			if w != g {
				t.Fatalf("%s differs at line %d:\n got %s\nwant %s\n(run go test -update after checking)", path, i+1, g, w)
			}
		}
	}
}

func id(table, remoteID string) string { return transform.ID(testConn, table, remoteID) }
