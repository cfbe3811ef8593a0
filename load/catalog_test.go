package load

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/schemas"
)

func openCatalog(t *testing.T, dir string) func(q string, args ...any) []map[string]any {
	t.Helper()
	ctx := context.Background()
	if err := EnsureCatalog(ctx, dir); err != nil {
		t.Fatal(err)
	}
	db, err := OpenCatalog(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return func(q string, args ...any) []map[string]any { return queryRows(t, db, q, args...) }
}

// _history holds every version with _valid_from and _valid_to.
func TestHistoryView(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for i, rows := range [][]row{
		{tag("a", "x"), tag("b", "y")},
		{tag("a", "x2"), tag("b", "y")},
		{tag("a", "x2")},
		{tag("a", "x2"), tag("b", "y")},
	} {
		rec := buildRec(t, mem, "tags", rows...)
		runOnce(t, l, "acme", "run"+string(rune('1'+i)), at(i+1), CoverTables("tags"), map[string][]arrow.RecordBatch{"tags": {rec}})
		// Another connection with the same ids: versions never mix across connections.
		runOnce(t, l, "beta", "run"+string(rune('1'+i)), at(i+1).Add(time.Minute), nil, map[string][]arrow.RecordBatch{"tags": {rec}})
		rec.Release()
	}
	q := openCatalog(t, l.Dir())
	got := q(`SELECT id, name, remote_deleted_at, _valid_from, _valid_to FROM tags_history WHERE connection = 'acme' ORDER BY id, _valid_from`)
	type v = map[string]any
	want := []v{
		{"id": "a", "name": "x", "remote_deleted_at": nil, "_valid_from": at(1), "_valid_to": at(2)},
		{"id": "a", "name": "x2", "remote_deleted_at": nil, "_valid_from": at(2), "_valid_to": nil},
		{"id": "b", "name": "y", "remote_deleted_at": nil, "_valid_from": at(1), "_valid_to": at(3)},
		{"id": "b", "name": "y", "remote_deleted_at": at(3), "_valid_from": at(3), "_valid_to": at(4)},
		{"id": "b", "name": "y", "remote_deleted_at": nil, "_valid_from": at(4), "_valid_to": nil},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("acme history:\n got %v\nwant %v", got, want)
	}
	// The current version of each id is the one with _valid_to NULL, and it matches the table.
	cur := q(`SELECT h.connection, h.id FROM tags_history h JOIN tags t USING (connection, id)
		WHERE h._valid_to IS NULL AND h.changed_at = t.changed_at AND h.remote_deleted_at IS NOT DISTINCT FROM t.remote_deleted_at`)
	if len(cur) != 4 {
		t.Errorf("%d current versions match the table, want 4: %v", len(cur), cur)
	}
	runs := q(`SELECT connection, count(*) AS n FROM runs GROUP BY ALL ORDER BY 1`)
	if !reflect.DeepEqual(runs, []map[string]any{{"connection": "acme", "n": int64(4)}, {"connection": "beta", "n": int64(4)}}) {
		t.Errorf("runs %v", runs)
	}
	rt := q(`SELECT run_id, table_name, rows_seen, inserted, updated, deleted FROM run_tables WHERE connection = 'acme' ORDER BY run_id`)
	wantRT := []map[string]any{
		{"run_id": "run1", "table_name": "tags", "rows_seen": int64(2), "inserted": int64(2), "updated": int64(0), "deleted": int64(0)},
		{"run_id": "run2", "table_name": "tags", "rows_seen": int64(2), "inserted": int64(0), "updated": int64(1), "deleted": int64(0)},
		{"run_id": "run3", "table_name": "tags", "rows_seen": int64(1), "inserted": int64(0), "updated": int64(0), "deleted": int64(1)},
		{"run_id": "run4", "table_name": "tags", "rows_seen": int64(2), "inserted": int64(1), "updated": int64(0), "deleted": int64(0)},
	}
	if !reflect.DeepEqual(rt, wantRT) {
		t.Errorf("run_tables:\n got %v\nwant %v", rt, wantRT)
	}
}

// dangling_relations counts relation values matching no row of the target
// (live or deleted) of the same connection: one row per connection and
// relation column, zeros included.
func TestDanglingRelations(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	jobs := buildRec(t, mem, "jobs", row{"id": "j1"}, row{"id": "j2"})
	apps := buildRec(t, mem, "applications",
		row{"id": "a1", "job_id": "j1", "candidate_id": "c1"},
		row{"id": "a2", "job_id": "j2", "candidate_id": "c-missing"},
		row{"id": "a3", "job_id": "j-missing", "current_stage_id": "s-missing"},
		row{"id": "a4", "job_id": "j-missing-too"},
		row{"id": "a5"})
	cands := buildRec(t, mem, "candidates", row{"id": "c1"})
	defer release(jobs, apps, cands)
	runOnce(t, l, "acme", "run1", at(1), nil, map[string][]arrow.RecordBatch{"jobs": {jobs}, "applications": {apps}, "candidates": {cands}})
	// j2 is deleted in run 2: a deleted target still counts as found.
	onlyJ1 := buildRec(t, mem, "jobs", row{"id": "j1"})
	defer onlyJ1.Release()
	runOnce(t, l, "acme", "run2", at(2), CoverTables("jobs"), map[string][]arrow.RecordBatch{"jobs": {onlyJ1}})
	// beta has the jobs but not the applications: nothing dangles there, and
	// acme's applications never match beta's rows.
	runOnce(t, l, "beta", "run1", at(1), nil, map[string][]arrow.RecordBatch{"jobs": {jobs}})
	q := openCatalog(t, l.Dir())
	rows := q(`SELECT * FROM dangling_relations`)
	var relations int
	for _, tb := range schemas.All() {
		relations += len(tb.Relations())
	}
	if len(rows) != 2*relations {
		t.Errorf("%d rows, want %d (2 connections x %d relation columns)", len(rows), 2*relations, relations)
	}
	want := map[string]int64{
		"acme applications.job_id -> jobs":                         2,
		"acme applications.candidate_id -> candidates":             1,
		"acme applications.current_stage_id -> application_stages": 1,
	}
	for _, r := range rows {
		key := r["connection"].(string) + " " + r["table_name"].(string) + "." + r["column_name"].(string) + " -> " + r["target_table"].(string)
		if got := r["dangling"].(int64); got != want[key] {
			t.Errorf("%s: %d dangling, want %d", key, got, want[key])
		}
	}
}

// EnsureCatalog rebuilds only when the views changed, e.g. the lake moved.
func TestEnsureCatalog(t *testing.T) {
	ctx := context.Background()
	parent := t.TempDir()
	dir := filepath.Join(parent, "lake")
	if _, err := Open(dir); err != nil {
		t.Fatal(err)
	}
	if err := EnsureCatalog(ctx, dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, catalogFile)
	st1, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := EnsureCatalog(ctx, dir); err != nil {
		t.Fatal(err)
	}
	st2, _ := os.Stat(path)
	if !os.SameFile(st1, st2) || !st1.ModTime().Equal(st2.ModTime()) {
		t.Error("EnsureCatalog rewrote an up-to-date catalog")
	}
	moved := filepath.Join(parent, "moved")
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	if err := EnsureCatalog(ctx, moved); err != nil {
		t.Fatal(err)
	}
	q := openCatalog(t, moved)
	def := q(`SELECT sql FROM duckdb_views() WHERE view_name = 'jobs'`)
	if len(def) != 1 || !strings.Contains(def[0]["sql"].(string), moved+"/jobs/*/*.parquet") {
		t.Errorf("after the move the jobs view reads %v", def)
	}
	if tmp := lakeFiles(t, moved, func(rel string) bool { return isTempName(filepath.Base(rel)) || strings.HasSuffix(rel, ".wal") }); len(tmp) > 0 {
		t.Errorf("leftovers: %v", tmp)
	}
}

// The catalog opens read-only while another process has it open, and a
// rebuild (rename over it) does not disturb that process.
func TestCatalogSharedReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := Open(dir); err != nil {
		t.Fatal(err)
	}
	if err := BuildCatalog(ctx, dir); err != nil {
		t.Fatal(err)
	}
	_, stop := startHelper(t, "catalog", dir)
	defer stop()
	q := openCatalog(t, dir)
	if n := q(`SELECT count(*) AS n FROM tags`); n[0]["n"] != int64(0) {
		t.Errorf("count %v", n)
	}
	if tz := q(`SELECT current_setting('TimeZone') AS tz`); tz[0]["tz"] != "UTC" {
		t.Errorf("TimeZone %v", tz)
	}
	if err := BuildCatalog(ctx, dir); err != nil {
		t.Fatalf("rebuild while open elsewhere: %v", err)
	}
	db, err := OpenCatalog(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE VIEW x AS SELECT 1`); err == nil {
		t.Error("the catalog opened writable")
	}
}
