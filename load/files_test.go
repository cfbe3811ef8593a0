package load

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/arrow/memory/mallocator"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/atslake/atslake/schemas"
)

// spillRun writes batches of random applications (ids drawn with repeats)
// in one run and commits it; it returns the stats and how often the run spilled.
func spillRun(t *testing.T, l *Lake, mem memory.Allocator, seed uint64, runID string, n int) ([]TableStats, int) {
	t.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 7))
	r, err := l.Begin(ctx, "acme", runID, at(int(seed)))
	if err != nil {
		t.Fatal(err)
	}
	for range 12 {
		ids := make([]int, 50)
		for i := range ids {
			ids[i] = rng.IntN(n)
		}
		for _, table := range []string{"applications", "tags"} {
			rec := genRecordIDs(rng, mem, table, "app-", ids)
			if err := r.Write(ctx, table, rec); err != nil {
				t.Fatal(err)
			}
			rec.Release()
		}
	}
	spills := r.spills
	stats, err := r.Commit(ctx, CoverTables("applications"), RunRecord{FinishedAt: at(int(seed))})
	if err != nil {
		t.Fatal(err)
	}
	return stats, spills
}

// Spilling with a tiny memory budget gives exactly the result of an
// unlimited one, across runs (merge with the previous state), and leaks no
// Arrow memory. Records live in C memory that is freed (and may be reused)
// as soon as they are released, so a value kept past its record's release
// would show up as different data.
func TestSpillEquivalence(t *testing.T) {
	mem := memory.NewCheckedAllocator(mallocator.NewMallocator())
	defer mem.AssertSize(t, 0)
	big, err := Open(t.TempDir(), WithMemoryBudget(1<<30))
	if err != nil {
		t.Fatal(err)
	}
	tiny, err := Open(t.TempDir(), WithMemoryBudget(4<<10), WithTempDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	for run, seed := range []uint64{1, 2} {
		runID := []string{"run1", "run2"}[run]
		wantStats, bigSpills := spillRun(t, big, mem, seed, runID, 700)
		gotStats, tinySpills := spillRun(t, tiny, mem, seed, runID, 700)
		if bigSpills != 0 || tinySpills <= maxFanIn {
			t.Fatalf("spills: %d with a large budget, %d with a tiny one (want 0 and > %d)", bigSpills, tinySpills, maxFanIn)
		}
		if !reflect.DeepEqual(gotStats, wantStats) {
			t.Errorf("%s: stats with spills %+v, without %+v", runID, gotStats, wantStats)
		}
		if s := statsOf(wantStats, "applications"); s.RowsSeen == 0 || (run == 1 && (s.Updated == 0 || s.Deleted == 0 || s.Inserted == 0)) {
			t.Errorf("%s: stats %+v do not exercise the merge", runID, s)
		}
		for _, table := range []string{"applications", "tags"} {
			want, got := stateRows(t, big, table, "acme"), stateRows(t, tiny, table, "acme")
			if len(want) == 0 || !reflect.DeepEqual(got, want) {
				t.Errorf("%s %s: state with spills differs (%d vs %d rows)", runID, table, len(got), len(want))
			}
			q := "SELECT * FROM read_parquet(?) ORDER BY id"
			hw := queryRows(t, duck(t), q, filepath.Join(big.historyDir(table, "acme"), runID+".parquet"))
			hg := queryRows(t, duck(t), q, filepath.Join(tiny.historyDir(table, "acme"), runID+".parquet"))
			if !reflect.DeepEqual(hg, hw) {
				t.Errorf("%s %s: history with spills differs", runID, table)
			}
		}
	}
	if tmp := lakeFiles(t, tiny.Dir(), func(rel string) bool { return isTempName(filepath.Base(rel)) }); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

// Lake files: one row group for a small table, rows sorted by id, zstd,
// statistics, the sorting column declared.
func TestFileLayout(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	ids := rng.Perm(300)
	rec := genRecordIDs(rng, mem, "candidates", "c", ids)
	runOnce(t, l, "acme", "run1", at(1), nil, map[string][]arrow.RecordBatch{"candidates": {rec}})
	rec.Release()
	if err := plans(); err != nil {
		t.Fatal(err)
	}
	for path, p := range map[string]*plan{
		filepath.Join(l.tableDir("candidates", "acme"), "part-0.parquet"): tablePlans["candidates"],
		filepath.Join(l.historyDir("candidates", "acme"), "run1.parquet"): histPlans["candidates"],
	} {
		pf := openMeta(t, path)
		if !parquet.EqualNodes(pf.Schema(), p.schema) {
			t.Errorf("%s: schema read back differs from the written one (reads would convert):\n%s\n%s", path, pf.Schema(), p.schema)
		}
		md := pf.Metadata()
		if len(md.RowGroups) != 1 || md.RowGroups[0].NumRows != 300 {
			t.Fatalf("%s: %d row groups", path, len(md.RowGroups))
		}
		rg := md.RowGroups[0]
		if len(rg.SortingColumns) != 1 || rg.SortingColumns[0].ColumnIdx != 0 || rg.SortingColumns[0].Descending {
			t.Errorf("%s: sorting columns %+v", path, rg.SortingColumns)
		}
		for _, c := range rg.Columns {
			if c.MetaData.Codec != format.Zstd {
				t.Errorf("%s: column %v codec %v", path, c.MetaData.PathInSchema, c.MetaData.Codec)
			}
		}
		ids := fileIDs(t, path)
		if len(ids) != 300 || !slices.IsSorted(ids) {
			t.Errorf("%s: ids not sorted", path)
		}
		st := rg.Columns[0].MetaData.Statistics
		if !bytes.Equal(st.MinValue, []byte(ids[0])) || !bytes.Equal(st.MaxValue, []byte(ids[len(ids)-1])) || st.NullCount != 0 {
			t.Errorf("%s: id statistics %q..%q nulls %d", path, st.MinValue, st.MaxValue, st.NullCount)
		}
		name := rg.Columns[schemas.MustLookup("candidates").Col("first_name")].MetaData.Statistics
		if name.MaxValue == nil {
			t.Errorf("%s: no statistics on first_name", path)
		}
	}
}

// Row groups close at the row limit and at the byte limit.
func TestRowGroupLimits(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	oldRows, oldBytes, oldPage := maxRowGroupRows, maxRowGroupBytes, pageBufferMemLimit
	t.Cleanup(func() { maxRowGroupRows, maxRowGroupBytes, pageBufferMemLimit = oldRows, oldBytes, oldPage })
	pageBufferMemLimit = 4 << 10 // page buffers move to files
	for _, tc := range []struct {
		name            string
		rows, bytes     int64
		wantGroupsAtMin int
	}{
		{"rows", 100, 1 << 30, 3},
		{"bytes", 1 << 20, 4 << 10, 3},
	} {
		maxRowGroupRows, maxRowGroupBytes = tc.rows, tc.bytes
		l, err := Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 1))
		rec := genRecord(rng, mem, "tags", "j", 0, 250)
		runOnce(t, l, "acme", "run1", at(1), nil, map[string][]arrow.RecordBatch{"tags": {rec}})
		rec.Release()
		md := openMeta(t, filepath.Join(l.tableDir("tags", "acme"), "part-0.parquet")).Metadata()
		var total int64
		for _, rg := range md.RowGroups {
			total += rg.NumRows
			if rg.NumRows > tc.rows {
				t.Errorf("%s: row group of %d rows", tc.name, rg.NumRows)
			}
		}
		if total != 250 || len(md.RowGroups) < tc.wantGroupsAtMin {
			t.Errorf("%s: %d row groups, %d rows", tc.name, len(md.RowGroups), total)
		}
		if got := len(stateRows(t, l, "tags", "acme")); got != 250 {
			t.Errorf("%s: DuckDB reads %d rows", tc.name, got)
		}
	}
}

// Several state files of a partition (a layout a later version may write)
// are merged into part-0 and the others removed.
func TestSeveralParts(t *testing.T) {
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
	r1 := buildRec(t, mem, "tags", tag("a", "x"), tag("c", "z"))
	r2 := buildRec(t, mem, "tags", tag("b", "y"))
	defer release(r1, r2)
	runOnce(t, l, "acme", "run1", at(1), nil, map[string][]arrow.RecordBatch{"tags": {r1}})
	runOnce(t, other, "acme", "run1", at(1), nil, map[string][]arrow.RecordBatch{"tags": {r2}})
	part1, err := os.ReadFile(filepath.Join(other.tableDir("tags", "acme"), "part-0.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(l.tableDir("tags", "acme"), "part-1.parquet"), part1, 0o644); err != nil {
		t.Fatal(err)
	}
	stats := runOnce(t, l, "acme", "run2", at(2), CoverTables("tags"), map[string][]arrow.RecordBatch{"tags": {r2}})
	if s := statsOf(stats, "tags"); s.Deleted != 2 || s.RowsSeen != 1 || s.Inserted+s.Updated != 0 {
		t.Errorf("stats %+v", s)
	}
	parts, _ := listParts(l.tableDir("tags", "acme"))
	if len(parts) != 1 || filepath.Base(parts[0]) != "part-0.parquet" {
		t.Errorf("parts %v", parts)
	}
	if ids := fileIDs(t, parts[0]); !reflect.DeepEqual(ids, []string{"a", "b", "c"}) {
		t.Errorf("ids %v", ids)
	}
}

// A state file written with an older schema (a column added since) is read
// through a conversion; the new column counts as NULL.
func TestOlderFileSchema(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tb := schemas.MustLookup("tags")
	old := arrow.NewSchema(tb.Schema().Fields()[:tb.Col("remote_data")], nil)
	p, err := newPlan("tags", old)
	if err != nil {
		t.Fatal(err)
	}
	dir := l.tableDir("tags", "acme")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	fw, err := createFile(filepath.Join(dir, "part-0.parquet"), p.schema, lakeFile, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	str := func(s string, def, col int) parquet.Value {
		return parquet.ByteArrayValue([]byte(s)).Level(0, def, col)
	}
	for _, id := range []string{"a", "b"} {
		row := parquet.Row{str(id, 0, 0), str("r-"+id, 1, 1), parquet.Int64Value(at(1).UnixMicro()).Level(0, 0, 2),
			parquet.Value{}.Level(0, 0, 3), str("n-"+id, 1, 4)}
		if err := fw.write(row); err != nil {
			t.Fatal(err)
		}
	}
	if err := fw.close(); err != nil {
		t.Fatal(err)
	}
	rec := buildRec(t, mem, "tags",
		row{"id": "a", "remote_id": "r-a", "name": "n-a"},
		row{"id": "b", "remote_id": "r-b", "name": "n-b", "remote_data": "{}"})
	defer rec.Release()
	stats := runOnce(t, l, "acme", "run2", at(2), nil, map[string][]arrow.RecordBatch{"tags": {rec}})
	if s := statsOf(stats, "tags"); s.Updated != 1 || s.Inserted != 0 {
		t.Errorf("stats %+v, want b updated only", s)
	}
	state := byID(stateRows(t, l, "tags", "acme"))
	if state["a"]["changed_at"] != at(1) || state["b"]["changed_at"] != at(2) || state["b"]["remote_data"] == nil {
		t.Errorf("state %v", state)
	}
}

// Page buffers stay in memory while small, move to a temporary file beyond
// the limit, read back what was written, and leave no file behind.
func TestPageBuffer(t *testing.T) {
	dir := t.TempDir()
	pool := &pagePool{dir: dir, limit: 100}
	for _, size := range []int{0, 10, 100, 101, 5000} {
		b := pool.GetBuffer()
		if _, err := b.Seek(0, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		want := make([]byte, size)
		for i := range want {
			want[i] = byte(i * 7)
		}
		for chunk := want; len(chunk) > 0; {
			n := min(len(chunk), 33)
			if _, err := b.Write(chunk[:n]); err != nil {
				t.Fatal(err)
			}
			chunk = chunk[n:]
		}
		entries, _ := os.ReadDir(dir)
		if (size > 100) != (len(entries) == 1) {
			t.Errorf("size %d: %d temporary files", size, len(entries))
		}
		if off, err := b.Seek(0, io.SeekStart); err != nil || off != 0 {
			t.Fatal(off, err)
		}
		got, err := io.ReadAll(b)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("size %d: read back %d bytes, %v", size, len(got), err)
		}
		pool.PutBuffer(b)
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("size %d: %d files left", size, len(entries))
		}
	}
}
