package bench

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// childEnv makes the test binary run a child mode instead of the tests.
const childEnv = "ATSLAKE_BENCH_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		if err := Child(context.Background(), os.Args[1:], os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// testOptions re-execute the test binary for the child modes.
func testOptions(t *testing.T) Options {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return Options{Exe: exe, Env: []string{childEnv + "=1"}, Dir: t.TempDir(), QueryRepeats: 1}
}

// TestRun runs the whole benchmark at a tiny scale and checks the report.
func TestRun(t *testing.T) {
	t.Parallel()
	o := testOptions(t)
	o.Scale, o.MemScales, o.HeapScales = 20, [2]int{5, 20}, [2]int{5, 20}
	if raceEnabled {
		// Everything runs several times slower: the smallest scales, no
		// pqarrow (TestWritePqarrow covers it) and no SmartRecruiters-only
		// syncs (the same child mode as the big sync).
		o.Scale, o.MemScales, o.noPqarrow, o.only = 10, [2]int{5, 10}, true, phaseMain|phaseMem
	}
	var log bytes.Buffer
	o.Log = &log
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := Run(ctx, o)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, log.String())
	}
	t.Logf("progress:\n%s", log.String())

	var js bytes.Buffer
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var obj map[string]any
	if err := json.Unmarshal(js.Bytes(), &obj); err != nil {
		t.Fatalf("report JSON: %v\n%s", err, js.String())
	}
	keys := []string{"records_per_s", "vs_duckdb_ratio", "rss_growth_ratio", "query_vs_native_ratio", "peak_rss_bytes"}
	if !o.noPqarrow {
		keys = append(keys, "vs_pqarrow_time_ratio", "vs_pqarrow_size_ratio")
	}
	if o.only == 0 {
		keys = append(keys, "sr_heap_growth_ratio")
	}
	for _, key := range keys {
		v, ok := obj[key].(float64)
		if !ok {
			t.Errorf("key %s missing or not a number: %v", key, obj[key])
			continue
		}
		if !(v > 0) || math.IsInf(v, 0) {
			t.Errorf("%s = %v, want a positive finite number", key, v)
		}
	}

	// The replay of the dump commits exactly the rows the sync committed.
	if rep.Records == 0 || rep.TransformLoadRows != rep.Records {
		t.Errorf("sync committed %d rows, the replay of its dump %d", rep.Records, rep.TransformLoadRows)
	}
	if rep.MemRecords[1] != rep.Records || rep.MemRecords[0] >= rep.Records || rep.MemRecords[0] == 0 {
		t.Errorf("memory runs: %v rows, want fewer than %d, then the end-to-end sync's", rep.MemRecords, rep.Records)
	}
	if rep.BatchRows < rep.Records {
		t.Errorf("captured %d rows, fewer than the %d committed", rep.BatchRows, rep.Records)
	}
	if len(rep.DuckDBTables) != len(duckTables) || rep.DuckDBRows == 0 {
		t.Errorf("DuckDB built %v (%d rows), want all %d tables", rep.DuckDBTables, rep.DuckDBRows, len(duckTables))
	}
	if rep.PeakRSS < 1<<20 || rep.MemPeakRSS[0] < 1<<20 || rep.MemPeakRSS[1] != rep.PeakRSS {
		t.Errorf("peak RSS %d and %v bytes: not measured", rep.PeakRSS, rep.MemPeakRSS)
	}
	if rep.LoaderBytes == 0 || (rep.PqarrowBytes == 0) != o.noPqarrow || rep.ParquetBytes < rep.LoaderBytes/4 {
		t.Errorf("bytes: loader %d, pqarrow %d, sync %d", rep.LoaderBytes, rep.PqarrowBytes, rep.ParquetBytes)
	}
	if len(rep.Queries) != len(Questions) {
		t.Fatalf("%d queries timed, want %d", len(rep.Queries), len(Questions))
	}
	for _, q := range rep.Queries {
		if q.Rows == 0 {
			t.Errorf("question %q found nothing", q.Name)
		}
	}

	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	wants := []string{"records/s", "ours / DuckDB", "lake / native", fmt.Sprintf("scale %d / scale %d", o.MemScales[1], o.MemScales[0])}
	if !o.noPqarrow {
		wants = append(wants, "ours / pqarrow", "in id order")
	}
	for _, want := range wants {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, text.String())
		}
	}
	// Every temporary folder is gone but the ones the caller owns.
	entries, _ := os.ReadDir(o.Dir)
	for _, e := range entries {
		t.Errorf("left behind: %s", e.Name())
	}
}

// TestRunLimited checks the issue-2 figure: a SmartRecruiters sync at the
// documented 10 requests/s takes about requests/10 seconds. It mostly waits,
// so it runs beside TestRun.
func TestRunLimited(t *testing.T) {
	t.Parallel()
	o := testOptions(t)
	o.Scale, o.LimitedScale = 5, 3
	o.only = phaseLimited
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.LimitedRequests < 20 {
		t.Errorf("limited sync made %d requests, want a few dozen", rep.LimitedRequests)
	}
	// Never faster than the limit allows; the goal (1.15) is for the benchmark,
	// not the test (a loaded machine under the race detector is far slower).
	if rep.LimitedRatio < 0.85 || rep.LimitedRatio > 10 {
		t.Errorf("limited sync: %d requests in %.2fs, ratio %.3f", rep.LimitedRequests, rep.LimitedSecs, rep.LimitedRatio)
	}
	var text bytes.Buffer
	rep.WriteText(&text)
	if !strings.Contains(text.String(), "wall / (requests / 10 per s)") {
		t.Errorf("text report lacks the limited figure:\n%s", text.String())
	}
}

// TestWritePqarrow writes a few tables' batches with pqarrow and our loader
// and reads both back with DuckDB: same rows, same ids.
func TestWritePqarrow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	sb, err := startSandboxes(ctx, 5, 0, Phenom)
	if err != nil {
		t.Fatal(err)
	}
	d, err := dumpSources(ctx, sb.urls, filepath.Join(dir, "dump"))
	sb.stop()
	if err != nil {
		t.Fatal(err)
	}
	b, err := captureBatches(ctx, d, []string{Phenom})
	if err != nil {
		t.Fatal(err)
	}
	defer b.release()
	for table, recs := range b[Phenom] {
		if table != "jobs" && table != "candidates" {
			for _, r := range recs {
				r.Release()
			}
			delete(b[Phenom], table)
		}
	}
	pqBytes, err := writePqarrow(ctx, b, filepath.Join(dir, "pq"))
	if err != nil {
		t.Fatal(err)
	}
	lakeBytes, err := writeLoader(ctx, b, filepath.Join(dir, "lake"))
	if err != nil {
		t.Fatal(err)
	}
	if pqBytes == 0 || lakeBytes == 0 {
		t.Fatalf("pqarrow wrote %d bytes, the loader %d", pqBytes, lakeBytes)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, table := range []string{"jobs", "candidates"} {
		for _, file := range []string{table + ".parquet", table + ".history.parquet"} {
			// The lake keeps the last row per id (Phenom rewrites a candidate
			// when a later application wins); pqarrow keeps every row.
			var pqIDs, lakeIDs, pqRows int
			pq := quote(filepath.Join(dir, "pq", Phenom, file))
			lake := quote(filepath.Join(dir, "lake", table, "connection="+connID(Phenom), "part-0.parquet"))
			if err := db.QueryRow("SELECT count(DISTINCT id), count(*) FROM "+pq).Scan(&pqIDs, &pqRows); err != nil {
				t.Fatal(err)
			}
			if err := db.QueryRow("SELECT count(DISTINCT id) FROM " + lake).Scan(&lakeIDs); err != nil {
				t.Fatal(err)
			}
			var want int64
			for _, r := range b[Phenom][table] {
				want += r.NumRows()
			}
			if pqIDs == 0 || pqIDs != lakeIDs || int64(pqRows) != want {
				t.Errorf("%s: pqarrow %d ids in %d rows (batches %d), lake %d ids", file, pqIDs, pqRows, want, lakeIDs)
			}
		}
	}
}
