package load

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
)

func tag(id, name string) row {
	return row{"id": id, "remote_id": "r-" + id, "name": name, "remote_data": `{"/tags":{"name":"` + name + `"}}`}
}

// tagRuns writes one run of tags per step; each step lists the rows written.
func TestMergeSemantics(t *testing.T) {
	withSync(t)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		changed int // run number of changed_at
		deleted int // run number of remote_deleted_at, 0 = live
		name    string
	}
	steps := []struct {
		name    string
		rows    []row
		scope   Scope
		stats   TableStats
		history []string // ids in this run's history file
		state   map[string]want
	}{
		{
			name:    "insert",
			rows:    []row{tag("a", "x"), tag("b", "y"), tag("c", "z")},
			scope:   CoverTables("tags"),
			stats:   TableStats{Table: "tags", RowsSeen: 3, Inserted: 3},
			history: []string{"a", "b", "c"},
			state:   map[string]want{"a": {1, 0, "x"}, "b": {1, 0, "y"}, "c": {1, 0, "z"}},
		},
		{
			name:  "unchanged re-run",
			rows:  []row{tag("c", "z"), tag("a", "x"), tag("b", "y")},
			scope: CoverTables("tags"),
			stats: TableStats{Table: "tags", RowsSeen: 3},
			state: map[string]want{"a": {1, 0, "x"}, "b": {1, 0, "y"}, "c": {1, 0, "z"}},
		},
		{
			name:    "update, delete in scope, insert",
			rows:    []row{tag("a", "x2"), tag("b", "y"), tag("d", "w")},
			scope:   CoverTables("tags"),
			stats:   TableStats{Table: "tags", RowsSeen: 3, Inserted: 1, Updated: 1, Deleted: 1},
			history: []string{"a", "c", "d"},
			state:   map[string]want{"a": {3, 0, "x2"}, "b": {1, 0, "y"}, "c": {1, 3, "z"}, "d": {3, 0, "w"}},
		},
		{
			name:  "deleted stays deleted, absent row out of scope stays live",
			rows:  []row{tag("a", "x2"), tag("d", "w")},
			scope: CoverTables("jobs"),
			stats: TableStats{Table: "tags", RowsSeen: 2},
			state: map[string]want{"a": {3, 0, "x2"}, "b": {1, 0, "y"}, "c": {1, 3, "z"}, "d": {3, 0, "w"}},
		},
		{
			name:    "revive with the same data",
			rows:    []row{tag("a", "x2"), tag("b", "y"), tag("c", "z"), tag("d", "w")},
			scope:   nil,
			stats:   TableStats{Table: "tags", RowsSeen: 4, Inserted: 1},
			history: []string{"c"},
			state:   map[string]want{"a": {3, 0, "x2"}, "b": {1, 0, "y"}, "c": {5, 0, "z"}, "d": {3, 0, "w"}},
		},
		{
			name: "scope by row: only remote ids it covers are deleted",
			rows: []row{tag("a", "x2")},
			scope: ScopeFunc(func(table string, prev PrevRow) bool {
				rid, ok := prev.String("remote_id")
				return table == "tags" && ok && rid == "r-b"
			}),
			stats:   TableStats{Table: "tags", RowsSeen: 1, Deleted: 1},
			history: []string{"b"},
			state:   map[string]want{"a": {3, 0, "x2"}, "b": {1, 6, "y"}, "c": {5, 0, "z"}, "d": {3, 0, "w"}},
		},
		{
			name:    "duplicates within a run: the last written wins",
			rows:    []row{tag("e", "first"), tag("a", "x2"), tag("e", "second"), tag("e", "third")},
			stats:   TableStats{Table: "tags", RowsSeen: 2, Inserted: 1},
			history: []string{"e"},
			state:   map[string]want{"a": {3, 0, "x2"}, "b": {1, 6, "y"}, "c": {5, 0, "z"}, "d": {3, 0, "w"}, "e": {7, 0, "third"}},
		},
	}
	for i, st := range steps {
		n := i + 1
		runID := "run" + string(rune('0'+n))
		before := snapshot(t, l.Dir())
		// Two batches, so duplicates span batches as well as a batch.
		half := len(st.rows) / 2
		recs := []arrow.RecordBatch{buildRec(t, mem, "tags", st.rows[:half]...), buildRec(t, mem, "tags", st.rows[half:]...)}
		stats := runOnce(t, l, "acme", runID, at(n), st.scope, map[string][]arrow.RecordBatch{"tags": recs})
		release(recs...)
		if got := statsOf(stats, "tags"); got != st.stats {
			t.Errorf("%s: stats %+v, want %+v", st.name, got, st.stats)
		}
		state := byID(stateRows(t, l, "tags", "acme"))
		if len(state) != len(st.state) {
			t.Errorf("%s: %d rows, want %d", st.name, len(state), len(st.state))
		}
		for id, w := range st.state {
			r := state[id]
			if r == nil {
				t.Errorf("%s: %s missing", st.name, id)
				continue
			}
			var wantDel any
			if w.deleted > 0 {
				wantDel = at(w.deleted)
			}
			if r["changed_at"] != at(w.changed) || !reflect.DeepEqual(r["remote_deleted_at"], wantDel) || r["name"] != w.name {
				t.Errorf("%s: %s = changed %v deleted %v name %v, want %+v", st.name, id, r["changed_at"], r["remote_deleted_at"], r["name"], w)
			}
		}
		hist := filepath.Join(l.historyDir("tags", "acme"), runID+".parquet")
		if st.history == nil {
			if _, err := os.Stat(hist); !os.IsNotExist(err) {
				t.Errorf("%s: history file written for a run that changed nothing", st.name)
			}
			// Nothing but the run records may differ.
			after := snapshot(t, l.Dir())
			for rel, content := range before {
				if strings.HasPrefix(rel, "tags/") && after[rel] != content {
					t.Errorf("%s: %s rewritten", st.name, rel)
				}
			}
		} else {
			hrows := queryRows(t, duck(t), "SELECT id, changed_at, remote_deleted_at, _valid_from FROM read_parquet(?) ORDER BY id", hist)
			var ids []string
			for _, h := range hrows {
				ids = append(ids, h["id"].(string))
				if h["_valid_from"] != at(n) {
					t.Errorf("%s: history _valid_from %v", st.name, h["_valid_from"])
				}
				s := state[h["id"].(string)]
				if h["changed_at"] != s["changed_at"] || !reflect.DeepEqual(h["remote_deleted_at"], s["remote_deleted_at"]) {
					t.Errorf("%s: history of %s differs from the stored version", st.name, h["id"])
				}
			}
			if !reflect.DeepEqual(ids, st.history) {
				t.Errorf("%s: history ids %v, want %v", st.name, ids, st.history)
			}
		}
	}
	runs, err := l.Runs(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != len(steps) {
		t.Fatalf("%d run records, want %d", len(runs), len(steps))
	}
	for i, r := range runs {
		if !r.StartedAt.Equal(at(i+1)) || r.Status != "succeeded" || r.Connection != "acme" || r.Requests != 3 || r.Mode != "full" {
			t.Errorf("run record %d: %+v", i, r)
		}
	}
}

// NULL and empty lists differ; lists compare element by element.
func TestMergeLists(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	member := func(roles any) row {
		return row{"id": "m1", "remote_id": "j:u", "job_id": "j", "user_id": "u", "roles": roles}
	}
	steps := []struct {
		roles   any
		updated int64
		want    any
	}{
		{nil, 0, nil}, // insert
		{[]any{}, 1, []any{}},
		{[]any{}, 0, []any{}},
		{[]any{"RECRUITER"}, 1, []any{"RECRUITER"}},
		{[]any{"RECRUITER", "SOURCER"}, 1, []any{"RECRUITER", "SOURCER"}},
		{[]any{"SOURCER", "RECRUITER"}, 1, []any{"SOURCER", "RECRUITER"}},
		{[]any{"SOURCER", "RECRUITER"}, 0, []any{"SOURCER", "RECRUITER"}},
		{nil, 1, nil},
	}
	for i, st := range steps {
		rec := buildRec(t, mem, "job_hiring_team_members", member(st.roles))
		stats := runOnce(t, l, "acme", "run"+string(rune('a'+i)), at(i+1), nil, map[string][]arrow.RecordBatch{"job_hiring_team_members": {rec}})
		rec.Release()
		if got := statsOf(stats, "job_hiring_team_members").Updated; got != st.updated {
			t.Errorf("step %d (%v): updated %d, want %d", i, st.roles, got, st.updated)
		}
		rows := stateRows(t, l, "job_hiring_team_members", "acme")
		if len(rows) != 1 || !reflect.DeepEqual(rows[0]["roles"], st.want) {
			t.Errorf("step %d: roles %#v, want %#v", i, rows[0]["roles"], st.want)
		}
	}
}

func TestSameData(t *testing.T) {
	v := func(x parquet.Value, def, col int) parquet.Value { return x.Level(0, def, col) }
	base := parquet.Row{
		v(parquet.ByteArrayValue([]byte("id")), 0, 0), v(parquet.ByteArrayValue([]byte("r")), 1, 1),
		v(parquet.Int64Value(1), 0, 2), v(parquet.Value{}, 0, 3), v(parquet.DoubleValue(math.NaN()), 1, 4),
	}
	same := append(parquet.Row{}, base...)
	same[2] = v(parquet.Int64Value(99), 0, 2)              // changed_at is ignored
	same[3] = v(parquet.Int64Value(5), 1, 3)               // so is remote_deleted_at
	same[0] = v(parquet.ByteArrayValue([]byte("x")), 0, 0) // and the id
	if !sameData(base, same) {
		t.Error("rows differing only in id, changed_at, remote_deleted_at differ")
	}
	diff := append(parquet.Row{}, base...)
	diff[4] = v(parquet.DoubleValue(1), 1, 4)
	if sameData(base, diff) {
		t.Error("different doubles compare equal")
	}
	null := append(parquet.Row{}, base...)
	null[1] = v(parquet.Value{}, 0, 1)
	if sameData(base, null) {
		t.Error("NULL remote_id equals a value")
	}
	empty := append(parquet.Row{}, base...)
	empty[1] = v(parquet.ByteArrayValue(nil), 1, 1)
	if sameData(null, empty) {
		t.Error("NULL equals an empty string")
	}
}

func TestWriteRejects(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	r, err := l.Begin(ctx, "acme", "run1", at(1))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Abort()
	jobs := buildRec(t, mem, "jobs", row{"id": "j1"})
	defer jobs.Release()
	if err := r.Write(ctx, "tags", jobs); err == nil {
		t.Error("jobs record accepted as tags")
	}
	if err := r.Write(ctx, "nope", jobs); err == nil {
		t.Error("unknown table accepted")
	}
	noID := buildRec(t, mem, "tags", row{"id": nil, "name": "x"})
	defer noID.Release()
	if err := r.Write(ctx, "tags", noID); err == nil || !strings.Contains(err.Error(), "id") {
		t.Errorf("NULL id: %v", err)
	}
	for _, bad := range []struct{ conn, run string }{{"Acme", "r"}, {"_schema", "r"}, {"acme", "../x"}, {"acme", ""}} {
		if _, err := l.Begin(ctx, bad.conn, bad.run, at(1)); err == nil {
			t.Errorf("Begin(%q, %q) accepted", bad.conn, bad.run)
		}
	}
	if _, err := l.Begin(ctx, "other", "run1", time.Time{}); err == nil {
		t.Error("zero start time accepted")
	}
}
