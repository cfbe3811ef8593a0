package load

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// commitRun2 writes the second run of the crash tests (update a, insert d,
// delete c) and commits it; it returns Commit's error.
func commitRun2(t *testing.T, l *Lake, mem memory.Allocator) error {
	t.Helper()
	ctx := context.Background()
	r, err := l.Begin(ctx, "acme", "run2", at(2))
	if err != nil {
		t.Fatal(err)
	}
	rec := buildRec(t, mem, "tags", tag("a", "x2"), tag("b", "y"), tag("d", "w"))
	defer rec.Release()
	if err := r.Write(ctx, "tags", rec); err != nil {
		t.Fatal(err)
	}
	_, err = r.Commit(ctx, CoverTables("tags"), RunRecord{Connector: "smartrecruiters", Mode: "full", FinishedAt: at(2).Add(time.Minute)})
	return err
}

// crashLake is a lake with run1 committed (a, b, c).
func crashLake(t *testing.T, mem memory.Allocator) *Lake {
	t.Helper()
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rec := buildRec(t, mem, "tags", tag("a", "x"), tag("b", "y"), tag("c", "z"))
	runOnce(t, l, "acme", "run1", at(1), nil, map[string][]arrow.RecordBatch{"tags": {rec}})
	rec.Release()
	return l
}

// committed is what a reader sees of a lake: state, history and run records.
func committed(t *testing.T, l *Lake) (state, history []map[string]any, runs []RunRecord) {
	t.Helper()
	state = stateRows(t, l, "tags", "acme")
	history = queryRows(t, duck(t), "SELECT * FROM read_parquet(?) ORDER BY _valid_from, id", l.historyDir("tags", "acme")+"/*.parquet")
	runs, err := l.Runs(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	for i := range runs {
		if runs[i].RunID == "run1" {
			runs[i].FinishedAt = time.Time{} // runOnce stamps it with the clock
		}
	}
	return state, history, runs
}

// tempFiles lists the temporary files in the lake's connection folders.
func tempFiles(t *testing.T, l *Lake) []string {
	return lakeFiles(t, l.Dir(), func(rel string) bool {
		return isTempName(filepath.Base(rel)) || strings.Contains(rel, "tmp-")
	})
}

// A commit killed at any point leaves either the previous state (before its
// journal exists) or one the next Begin completes to the intended state.
func TestCommitCrash(t *testing.T) {
	withSync(t)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ref := crashLake(t, mem)
	before := func() ([]map[string]any, []map[string]any, []RunRecord) { return committed(t, ref) }
	oldState, oldHist, oldRuns := before()
	if err := commitRun2(t, ref, mem); err != nil {
		t.Fatal(err)
	}
	newState, newHist, newRuns := committed(t, ref)
	if reflect.DeepEqual(oldState, newState) || len(newRuns) != 2 {
		t.Fatal("reference run 2 changed nothing")
	}
	for _, point := range []string{"before-journal", "after-journal", "after-first-rename"} {
		t.Run(point, func(t *testing.T) {
			l := crashLake(t, mem)
			l.crash = func(p string) bool { return p == point }
			if err := commitRun2(t, l, mem); !errors.Is(err, errSimulatedCrash) {
				t.Fatalf("commit: %v", err)
			}
			_, journalErr := os.Stat(l.journalPath("acme"))
			if (point == "before-journal") != os.IsNotExist(journalErr) {
				t.Fatalf("journal present = %v at %s", journalErr == nil, point)
			}
			if len(tempFiles(t, l)) == 0 {
				t.Fatal("crash left no temporary files to clean up")
			}
			if point != "after-first-rename" {
				// Readers (globs on *.parquet) see the old state, temporary files are not picked up.
				state, hist, runs := committed(t, l)
				if !reflect.DeepEqual(state, oldState) || !reflect.DeepEqual(hist, oldHist) || !reflect.DeepEqual(runs, oldRuns) {
					t.Errorf("readers see a partial commit:\nstate %v\nhist %v\nruns %v", state, hist, runs)
				}
				n := queryRows(t, duck(t), fmt.Sprintf("SELECT count(*) AS n FROM read_parquet(%s, hive_partitioning=true, union_by_name=true)",
					quoteString(l.Dir()+"/tags/*/*.parquet")))
				if n[0]["n"] != int64(3) {
					t.Errorf("the documented glob reads %v rows, want 3", n[0]["n"])
				}
			}
			// The next run of the connection (a new process) completes or drops it.
			l2, err := Open(l.Dir())
			if err != nil {
				t.Fatal(err)
			}
			r, err := l2.Begin(context.Background(), "acme", "run3", at(3))
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Abort(); err != nil {
				t.Fatal(err)
			}
			if tmp := tempFiles(t, l2); len(tmp) > 0 {
				t.Errorf("temporary files left: %v", tmp)
			}
			if _, err := os.Stat(l2.journalPath("acme")); !os.IsNotExist(err) {
				t.Errorf("journal left: %v", err)
			}
			state, hist, runs := committed(t, l2)
			wantState, wantHist, wantRuns := newState, newHist, newRuns
			if point == "before-journal" {
				wantState, wantHist, wantRuns = oldState, oldHist, oldRuns
			}
			if !reflect.DeepEqual(state, wantState) {
				t.Errorf("state after recovery:\n got %v\nwant %v", state, wantState)
			}
			if !reflect.DeepEqual(hist, wantHist) {
				t.Errorf("history after recovery:\n got %v\nwant %v", hist, wantHist)
			}
			if !reflect.DeepEqual(runs, wantRuns) {
				t.Errorf("runs after recovery:\n got %v\nwant %v", runs, wantRuns)
			}
		})
	}
}

func TestLock(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ctx := context.Background()
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	r1, err := l.Begin(ctx, "acme", "run1", at(1))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = l.Begin(ctx, "acme", "run2", at(2))
	if !errors.Is(err, ErrLocked) || err.Error() != "connection acme is locked by another atslake process" {
		t.Fatalf("second Begin: %v", err)
	}
	if time.Since(start) > time.Second {
		t.Error("second Begin did not fail fast")
	}
	if err := l.WriteFailedRun(ctx, RunRecord{RunID: "run2", Connection: "acme", StartedAt: at(2)}); !errors.Is(err, ErrLocked) {
		t.Errorf("WriteFailedRun while locked: %v", err)
	}
	other, err := l.Begin(ctx, "other", "run1", at(1))
	if err != nil {
		t.Fatalf("another connection: %v", err)
	}
	rec := buildRec(t, mem, "tags", tag("a", "x"))
	defer rec.Release()
	if err := other.Write(ctx, "tags", rec); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Commit(ctx, nil, RunRecord{}); err != nil {
		t.Fatal(err)
	}
	if err := other.Write(ctx, "tags", rec); !errors.Is(err, ErrRunDone) {
		t.Errorf("Write after Commit: %v", err)
	}
	if err := r1.Abort(); err != nil {
		t.Fatal(err)
	}
	// Released by Abort, Commit and Fail.
	r2, err := l.Begin(ctx, "acme", "run2", at(2))
	if err != nil {
		t.Fatalf("Begin after Abort: %v", err)
	}
	if err := r2.Write(ctx, "tags", rec); err != nil {
		t.Fatal(err)
	}
	if err := r2.Fail(ctx, RunRecord{Connector: "phenom", Mode: "full", StartedAt: at(2), Error: "extract jobs page 3: boom"}); err != nil {
		t.Fatal(err)
	}
	if rows := stateRows(t, l, "tags", "acme"); len(rows) != 0 {
		t.Errorf("a failed run wrote %d rows", len(rows))
	}
	if err := l.WriteFailedRun(ctx, RunRecord{RunID: "run3", Connection: "acme", Connector: "phenom", StartedAt: at(3), Error: "connect: refused"}); err != nil {
		t.Fatal(err)
	}
	r4, err := l.Begin(ctx, "acme", "run4", at(4))
	if err != nil {
		t.Fatalf("Begin after Fail: %v", err)
	}
	if _, err := r4.Commit(ctx, nil, RunRecord{}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Begin(ctx, "acme", "run5", at(5)); err != nil {
		t.Fatalf("Begin after Commit: %v", err)
	}
	runs, err := l.Runs(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range runs {
		got = append(got, r.RunID+":"+r.Status+":"+r.Error)
	}
	want := []string{"run2:failed:extract jobs page 3: boom", "run3:failed:connect: refused", "run4:succeeded:"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("runs %v, want %v", got, want)
	}
}

// helperEnv selects what the test binary does when run as a helper process.
const helperEnv = "ATSLAKE_LOAD_HELPER"

// TestHelperProcess is not a test: run as a subprocess by other tests, it
// holds a lock or an open catalog until its stdin closes.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		t.Skip("helper process only")
	}
	dir := os.Getenv(helperEnv + "_DIR")
	ctx := context.Background()
	switch mode {
	case "lock":
		l, err := Open(dir)
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		if _, err := l.Begin(ctx, "acme", "child", time.Now()); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
	case "catalog":
		db, err := OpenCatalog(ctx, dir)
		if err == nil {
			var n int64
			err = db.QueryRow("SELECT count(*) FROM tags").Scan(&n)
		}
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
	}
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadString('\n')
	os.Exit(0)
}

// startHelper runs the test binary as a helper and waits until it is ready.
func startHelper(t *testing.T, mode, dir string) (*exec.Cmd, func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, helperEnv+"_DIR="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "ready" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper %s: %q %v", mode, line, err)
	}
	stop := func() {
		stdin.Close()
		cmd.Wait()
	}
	return cmd, stop
}

// The lock holds across processes and the kernel releases it when the holder dies.
func TestLockAcrossProcesses(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	cmd, stop := startHelper(t, "lock", dir)
	defer stop()
	ctx := context.Background()
	if _, err := l.Begin(ctx, "acme", "run1", at(1)); !errors.Is(err, ErrLocked) {
		t.Fatalf("Begin while another process holds the lock: %v", err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	r, err := l.Begin(ctx, "acme", "run1", at(1))
	if err != nil {
		t.Fatalf("Begin after the holder was killed: %v", err)
	}
	r.Abort()
}

// Stray temporary files of a connection (a run killed before its journal)
// are removed by the next Begin; other connections' files are left alone.
func TestStrayTempFiles(t *testing.T) {
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	stray := []string{
		filepath.Join(l.tableDir("jobs", "acme"), ".part-0.parquet.old.tmp"),
		filepath.Join(l.historyDir("jobs", "acme"), ".old.parquet.old.tmp"),
		filepath.Join(l.runsDir("acme"), ".runs-old.parquet.old.tmp"),
		filepath.Join(l.stateDir("acme"), "tmp-acme-123", "spill-jobs-0.tmp"),
	}
	keep := filepath.Join(l.tableDir("jobs", "other"), ".part-0.parquet.x.tmp")
	for _, p := range append(stray, keep) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := l.Begin(context.Background(), "acme", "run1", at(1))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Abort()
	for _, p := range stray {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s not removed", p)
		}
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("another connection's file removed: %v", err)
	}
}
