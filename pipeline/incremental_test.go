package pipeline

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atslake/atslake/extract"
	"github.com/atslake/atslake/load"
)

// testScale keeps the default test run fast (SmartRecruiters sandbox
// candidates; everything else in proportion).
const testScale = 60

func TestDecideMode(t *testing.T) {
	now := time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	run := func(mode, status string, ago time.Duration) load.RunRecord {
		return load.RunRecord{Mode: mode, Status: status, StartedAt: now.Add(-ago)}
	}
	sr := Connection{ID: "sr", Connector: ConnectorSmartRecruiters, FullSyncEvery: day, Lookback: 10 * time.Minute}
	for _, tc := range []struct {
		name  string
		conn  Connection
		opts  RunOptions
		runs  []load.RunRecord
		want  extract.Mode
		after time.Time
	}{
		{name: "first run", conn: sr, want: extract.Full},
		{name: "only failed runs", conn: sr, runs: []load.RunRecord{run("full", StatusFailed, time.Hour)}, want: extract.Full},
		{name: "forced", conn: sr, opts: RunOptions{Full: true}, runs: []load.RunRecord{run("full", StatusSucceeded, time.Hour)}, want: extract.Full},
		{name: "phenom is always full", conn: Connection{Connector: ConnectorPhenom}, runs: []load.RunRecord{run("full", StatusSucceeded, time.Hour)}, want: extract.Full},
		{name: "after a full run", conn: sr, runs: []load.RunRecord{run("full", StatusSucceeded, 3*time.Hour)},
			want: extract.Incremental, after: now.Add(-3*time.Hour - 10*time.Minute)},
		{name: "after a partial full run", conn: sr, runs: []load.RunRecord{run("full", StatusPartial, 3*time.Hour)},
			want: extract.Incremental, after: now.Add(-3*time.Hour - 10*time.Minute)},
		{name: "watermark from the latest committed run", conn: sr, runs: []load.RunRecord{
			run("full", StatusSucceeded, 9*time.Hour), run("incremental", StatusSucceeded, 6*time.Hour),
			run("incremental", StatusPartial, 3*time.Hour), run("incremental", StatusFailed, time.Hour)},
			want: extract.Incremental, after: now.Add(-3*time.Hour - 10*time.Minute)},
		{name: "failed runs do not move the watermark", conn: sr, runs: []load.RunRecord{
			run("full", StatusSucceeded, 9*time.Hour), run("incremental", StatusFailed, 2*time.Hour), run("full", StatusFailed, time.Hour)},
			want: extract.Incremental, after: now.Add(-9*time.Hour - 10*time.Minute)},
		{name: "full sync due", conn: sr, runs: []load.RunRecord{run("full", StatusSucceeded, day+time.Second), run("incremental", StatusSucceeded, time.Hour)},
			want: extract.Full},
		{name: "full sync due at the same time of day", conn: sr, runs: []load.RunRecord{run("full", StatusSucceeded, day-20*time.Millisecond)},
			want: extract.Full},
		{name: "full sync not yet due", conn: sr, runs: []load.RunRecord{run("full", StatusSucceeded, day-time.Hour), run("incremental", StatusSucceeded, time.Hour)},
			want: extract.Incremental, after: now.Add(-time.Hour - 10*time.Minute)},
		{name: "a failed full run does not count", conn: sr, runs: []load.RunRecord{run("full", StatusSucceeded, day+time.Hour), run("full", StatusFailed, time.Hour)},
			want: extract.Full},
		{name: "defaults for a connection built in code", conn: Connection{Connector: ConnectorSmartRecruiters},
			runs: []load.RunRecord{run("full", StatusSucceeded, 23*time.Hour)}, want: extract.Incremental, after: now.Add(-23*time.Hour - DefaultLookback)},
		{name: "records out of order", conn: sr, runs: []load.RunRecord{run("incremental", StatusSucceeded, time.Hour), run("full", StatusSucceeded, 2*time.Hour)},
			want: extract.Incremental, after: now.Add(-time.Hour - 10*time.Minute)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mode, after := decideMode(tc.conn, tc.opts, tc.runs, now)
			if mode != tc.want || !after.Equal(tc.after) {
				t.Errorf("mode %s after %v, want %s after %v", mode, after, tc.want, tc.after)
			}
		})
	}
}

// prevRow is a load.PrevRow for scope tests.
type prevRow map[string]string

func (p prevRow) String(c string) (string, bool) { v, ok := p[c]; return v, ok }

func TestIncrementalScope(t *testing.T) {
	all := map[string]bool{"users": true, "system-roles": true, "hiring-processes": true, "rejection-reasons": true,
		"jobs": true, "postings": true, "candidates": true}
	s := &incrementalScope{complete: all,
		jobs: map[string]bool{"j1": true}, cands: map[string]bool{"c1": true},
		jobIDs: map[string]bool{"lake-j1": true}, apps: map[string]bool{"lake-a1": true}, ivs: map[string]bool{"lake-i1": true}}
	for _, tc := range []struct {
		table string
		row   prevRow
		want  bool
	}{
		{"users", prevRow{"remote_id": "u9"}, true},
		{"user_roles", prevRow{"remote_id": "u9:SYSTEM:ADMIN"}, true},
		{"rejection_reasons", prevRow{"remote_id": "r"}, true},
		{"screening_questions", prevRow{"remote_id": "q"}, true},
		{"job_screening_questions", prevRow{"remote_id": "j9:q"}, true},
		{"roles", prevRow{"remote_id": "SYSTEM:ADMIN"}, true},
		{"roles", prevRow{"remote_id": "JOB:RECRUITER"}, false},
		{"jobs", prevRow{"remote_id": "j1"}, false},
		{"candidates", prevRow{"remote_id": "c1"}, false},
		{"tags", prevRow{"remote_id": "go"}, false},
		{"application_stages", prevRow{"remote_id": "NEW"}, false},
		{"job_hiring_team_members", prevRow{"remote_id": "j1:u1"}, true},
		{"job_hiring_team_members", prevRow{"remote_id": "j2:u1"}, false},
		{"job_user_role_assignments", prevRow{"remote_id": "j1:u1:JOB:RECRUITER"}, true},
		{"job_stages", prevRow{"remote_id": "j2:NEW"}, false},
		{"job_postings", prevRow{"remote_id": "ad", "job_id": "lake-j1"}, true},
		{"job_postings", prevRow{"remote_id": "ad", "job_id": "lake-j2"}, false},
		{"candidate_tags", prevRow{"remote_id": "c1:go"}, true},
		{"applications", prevRow{"remote_id": "c2:j1"}, false},
		{"application_status_history", prevRow{"remote_id": "c1:j1:2024-01-01T00:00:00.000Z"}, true},
		{"offers", prevRow{"remote_id": "o", "application_id": "lake-a1"}, true},
		{"offers", prevRow{"remote_id": "o", "application_id": "lake-a2"}, false},
		{"interviews", prevRow{"remote_id": "i/t", "application_id": "lake-a1"}, true},
		{"interviewing_team_members", prevRow{"remote_id": "i/t:u", "interview_id": "lake-i1"}, true},
		{"interviewing_team_members", prevRow{"remote_id": "i/t:u", "interview_id": "lake-i2"}, false},
	} {
		if got := s.Covers(tc.table, tc.row); got != tc.want {
			t.Errorf("%s %v: covers %v, want %v", tc.table, tc.row, got, tc.want)
		}
	}
	// A list not read completely protects its tables; --models limits the scope.
	partial := *s
	partial.complete = map[string]bool{"users": true}
	if partial.Covers("rejection_reasons", prevRow{"remote_id": "r"}) || partial.Covers("applications", prevRow{"remote_id": "c1:j1"}) ||
		!partial.Covers("users", prevRow{"remote_id": "u"}) {
		t.Error("incomplete lists still covered")
	}
	models := *s
	models.models = map[string]bool{"applications": true}
	if models.Covers("users", prevRow{"remote_id": "u"}) || !models.Covers("applications", prevRow{"remote_id": "c1:j1"}) {
		t.Error("--models not honoured")
	}
}

// TestIncrementalMatchesFull drives the SmartRecruiters sandbox through
// epochs 0 -> 3 and syncs three lakes after each epoch: "mixed" (full,
// incremental, incremental, full), "incremental" (incremental at every epoch
// with a tiny lookback, then a full run at epoch 3) and "reference" (full
// runs only). After every sync each lake is checked against the sandbox
// truth and against its previous state (changed_at, remote_deleted_at,
// history, run_tables), and the incremental lakes against the reference.
func TestIncrementalMatchesFull(t *testing.T) {
	t.Parallel()
	_, url := srSandbox(t, testScale, nil)
	mixed, inc, ref := newTestLake(t, "mixed"), newTestLake(t, "incremental"), newTestLake(t, "reference")
	mixedConn := srConnection(url, 0) // default lookback: incremental runs re-read the previous epoch too
	incConn := srConnection(url, time.Millisecond)

	type lakeState struct {
		l    *testLake
		conn Connection
		snap lakeSnap
		exc  map[string]map[string]bool
	}
	lakes := []*lakeState{{l: mixed, conn: mixedConn}, {l: inc, conn: incConn}, {l: ref, conn: incConn}}
	for _, ls := range lakes {
		ls.snap = emptySnap()
	}
	// sync runs one lake and checks it on its own; it returns the run and
	// the rows it versioned per table.
	sync := func(ls *lakeState, name string, opts RunOptions, mode string) (*Result, map[string]map[string]bool) {
		t.Helper()
		res := ls.l.sync(t, ls.conn, opts, mode)
		cur := ls.l.snapshot(t, testSRConn, srUpdated)
		checkRun(t, name, ls.snap, cur, res)
		checkRunRecords(t, ls.l, res)
		checkTruth(t, name, cur, truthOf(t, url), mode == "full")
		run := map[string]map[string]bool{}
		for table := range cur {
			run[table] = versioned(ls.snap, cur, table, res.Record.StartedAt)
		}
		ls.snap = cur
		return res, run
	}
	plan := []struct{ mixed, inc string }{{"full", "full"}, {"incremental", "incremental"}, {"incremental", "incremental"}, {"full", "incremental"}}
	for epoch, p := range plan {
		if epoch > 0 {
			advance(t, url)
		}
		refRes, refRun := sync(lakes[2], fmt.Sprintf("reference epoch %d", epoch), RunOptions{Full: epoch > 0}, "full")
		for i, mode := range []string{p.mixed, p.inc} {
			ls := lakes[i]
			name := fmt.Sprintf("%s epoch %d %s", ls.l.name, epoch, mode)
			res, run := sync(ls, name, RunOptions{Full: mode == "full" && epoch > 0}, mode)
			if mode == "incremental" && res.Record.Requests >= refRes.Record.Requests {
				t.Errorf("%s: %d requests, a full run %d", name, res.Record.Requests, refRes.Record.Requests)
			}
			ls.exc = compareWithFull(t, name, mode == "incremental", ls.snap, lakes[2].snap, run, refRun, ls.exc)
			t.Logf("%s: %d requests (full: %d), stale rows allowed: %s", name, res.Record.Requests, refRes.Record.Requests, excSummary(ls.exc))
		}
	}
	// The incremental lake ends with a full run: it settles every exception
	// (late deletions, tag names, stage places) and nothing else.
	_, run := sync(lakes[1], "incremental epoch 3 settling full", RunOptions{Full: true}, "full")
	compareWithFull(t, "incremental epoch 3 settling full", false, lakes[1].snap, lakes[2].snap, run, map[string]map[string]bool{}, lakes[1].exc)
}

// runTotals sums a run's run_tables rows through the catalog.
func runTotals(t *testing.T, l *testLake, runID string) (inserted, updated, deleted int64) {
	t.Helper()
	db := l.db(t)
	defer db.Close()
	err := db.QueryRow(`SELECT coalesce(sum(inserted), 0), coalesce(sum(updated), 0), coalesce(sum(deleted), 0) FROM run_tables WHERE run_id = $1`,
		runID).Scan(&inserted, &updated, &deleted)
	if err != nil {
		t.Fatal(err)
	}
	return inserted, updated, deleted
}

// TestUnchangedRerun: a run over unchanged source data (incremental, with a
// lookback that re-reads the last epoch's changes, and full) reports no
// inserts, updates or deletes and leaves every lake file byte-identical.
func TestUnchangedRerun(t *testing.T) {
	t.Parallel()
	_, srURL := srSandbox(t, testScale, nil)
	_, phURL := phSandbox(t, 60)
	sr, ph := srConnection(srURL, 0), phConnection(phURL)
	l := newTestLake(t, "lake")
	l.sync(t, sr, RunOptions{}, "full")
	l.sync(t, ph, RunOptions{}, "full")
	advance(t, srURL)
	advance(t, phURL)
	first := l.sync(t, sr, RunOptions{}, "incremental")
	if _, u, _ := runTotals(t, l, first.Record.RunID); u == 0 {
		t.Fatal("the epoch changed nothing: the re-runs below would test nothing")
	}
	l.sync(t, ph, RunOptions{}, "full")
	for _, tc := range []struct {
		name string
		conn Connection
		opts RunOptions
		mode string
	}{
		{"smartrecruiters incremental", sr, RunOptions{}, "incremental"},
		// The first full run after incremental ones deletes what they cannot
		// see (candidates deleted in the epoch): the second is unchanged.
		{"smartrecruiters full after a full", sr, RunOptions{Full: true}, "full"},
		{"phenom", ph, RunOptions{}, "full"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.opts.Full {
				l.sync(t, tc.conn, tc.opts, tc.mode)
			}
			before := hashFiles(t, l.dir)
			res := l.sync(t, tc.conn, tc.opts, tc.mode)
			if i, u, d := runTotals(t, l, res.Record.RunID); i != 0 || u != 0 || d != 0 {
				t.Errorf("unchanged re-run: %d inserted, %d updated, %d deleted", i, u, d)
			}
			if seen, _, _, _ := res.Totals(); seen == 0 {
				t.Error("the re-run saw no rows")
			}
			sameFiles(t, tc.name, before, hashFiles(t, l.dir))
		})
	}
}

// recorder wraps a sandbox: it records the updatedAfter of every jobs list
// request and answers requests matching fail with its status.
type recorder struct {
	mu    sync.Mutex
	after []string
	fail  func(r *http.Request) int // 0: serve
}

func (rc *recorder) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc.mu.Lock()
		fail := rc.fail
		if r.URL.Path == "/jobs" && r.URL.Query().Get("pageId") == "" {
			rc.after = append(rc.after, r.URL.Query().Get("updatedAfter"))
		}
		rc.mu.Unlock()
		if fail != nil {
			if status := fail(r); status != 0 {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				fmt.Fprintf(w, `{"message":"injected %d","errors":[{"code":"INJECTED","message":"test"}]}`, status)
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

func (rc *recorder) set(fail func(r *http.Request) int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.fail = fail
}

// lastAfter returns the updatedAfter of the latest jobs list request.
func (rc *recorder) lastAfter(t *testing.T) time.Time {
	t.Helper()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.after) == 0 || rc.after[len(rc.after)-1] == "" {
		t.Fatalf("the last jobs list request had no updatedAfter (%q)", rc.after)
	}
	ts, err := time.Parse(time.RFC3339Nano, rc.after[len(rc.after)-1])
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// checkWatermark checks that a watermark sent to the source is want, as
// the source's millisecond format can carry it (rounded down).
func checkWatermark(t *testing.T, name string, got, want time.Time) {
	t.Helper()
	if got.After(want) || want.Sub(got) >= time.Millisecond {
		t.Errorf("%s: updatedAfter %v, want %v", name, got, want)
	}
}

// TestFailedRunKeepsWatermark: a run that fails mid-extraction leaves the
// previous data and run records as they were (plus a failed record), and the
// next incremental run still reads from the previous watermark.
func TestFailedRunKeepsWatermark(t *testing.T) {
	t.Parallel()
	rc := &recorder{}
	_, url := srSandbox(t, testScale, rc.wrap)
	conn := srConnection(url, 0)
	l := newTestLake(t, "lake")
	base := l.sync(t, conn, RunOptions{}, "full")
	advance(t, url)

	// The offers of every application answer 400 (not retried, not a
	// per-record error): the run fails while reading candidates.
	rc.set(func(r *http.Request) int {
		if strings.HasSuffix(r.URL.Path, "/offers") {
			return http.StatusBadRequest
		}
		return 0
	})
	before := hashFiles(t, l.dir)
	res, err := l.runner.Run(context.Background(), conn, RunOptions{})
	if err == nil || !strings.Contains(err.Error(), "400") || !strings.Contains(err.Error(), testSRConn) {
		t.Fatalf("run over a failing endpoint: %v", err)
	}
	if res == nil || res.Record.Status != StatusFailed || res.Record.Mode != "incremental" || res.Record.Requests == 0 {
		t.Fatalf("failed run result: %+v", res)
	}
	checkWatermark(t, "failed run", rc.lastAfter(t), base.Record.StartedAt.Add(-DefaultLookback))
	sameFiles(t, "failed run", before, hashFiles(t, l.dir))
	db := l.db(t)
	var status, mode, msg string
	var requests int64
	if err := db.QueryRow(`SELECT status, mode, error, requests FROM runs WHERE run_id = $1`, res.Record.RunID).Scan(&status, &mode, &msg, &requests); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if status != StatusFailed || mode != "incremental" || !strings.Contains(msg, "/offers") || requests != res.Record.Requests {
		t.Errorf("failed run record: %s %s %d requests %q", status, mode, requests, msg)
	}

	// The next run reads from the same watermark and catches up.
	rc.set(nil)
	prev := l.snapshot(t, testSRConn, srUpdated)
	next := l.sync(t, conn, RunOptions{}, "incremental")
	checkWatermark(t, "run after the failure", rc.lastAfter(t), base.Record.StartedAt.Add(-DefaultLookback))
	cur := l.snapshot(t, testSRConn, srUpdated)
	checkRun(t, "run after the failure", prev, cur, next)
	checkTruth(t, "run after the failure", cur, truthOf(t, url), false)
	if _, u, _ := runTotals(t, l, next.Record.RunID); u == 0 {
		t.Error("the run after the failure changed nothing")
	}
}

// TestPartialRun: records that cannot be read (404 on the candidate details)
// make the run partial: committed, counted, nothing deleted, the skipped
// records keep their previous version; the watermark moves on.
func TestPartialRun(t *testing.T) {
	t.Parallel()
	rc := &recorder{}
	_, url := srSandbox(t, testScale, rc.wrap)
	conn := srConnection(url, 0)
	l := newTestLake(t, "lake")
	l.sync(t, conn, RunOptions{}, "full")
	advance(t, url)
	rc.set(func(r *http.Request) int {
		if strings.HasPrefix(r.URL.Path, "/candidates/") && strings.Count(r.URL.Path, "/") == 2 {
			return http.StatusNotFound
		}
		return 0
	})
	prev := l.snapshot(t, testSRConn, srUpdated)
	res, err := l.runner.Run(context.Background(), conn, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Record.Status != StatusPartial || res.Record.Mode != "incremental" || res.Record.Skipped == 0 {
		t.Fatalf("run with unreadable candidates: %+v", res.Record)
	}
	checkRunRecords(t, l, res)
	cur := l.snapshot(t, testSRConn, srUpdated)
	for table, ts := range cur {
		for id, r := range ts.rows {
			if p, ok := prev[table].rows[id]; ok && p.live() && !r.live() {
				t.Errorf("partial run deleted %s %s", table, r.remoteID)
			}
		}
	}
	for id, r := range cur["candidates"].rows {
		if p := prev["candidates"].rows[id]; p.hash != r.hash || !p.changed.Equal(r.changed) {
			t.Errorf("skipped candidate %s changed", r.remoteID)
		}
	}
	rc.set(nil)
	next := l.sync(t, conn, RunOptions{}, "incremental")
	checkWatermark(t, "run after a partial run", rc.lastAfter(t), res.Record.StartedAt.Add(-DefaultLookback))
	checkRun(t, "run after a partial run", cur, l.snapshot(t, testSRConn, srUpdated), next)
}

// TestPhenomEpochs: Phenom runs are always full; over epochs 0 -> 3 the lake
// follows the truth exactly, deleted rows carry remote_deleted_at, changed_at
// moves exactly for the applications whose updatedDate moved, and history
// holds one version per change.
func TestPhenomEpochs(t *testing.T) {
	t.Parallel()
	_, url := phSandbox(t, 60)
	conn := phConnection(url)
	l := newTestLake(t, "lake")
	prev := emptySnap()
	for epoch := range 4 {
		if epoch > 0 {
			advance(t, url)
		}
		name := fmt.Sprintf("phenom epoch %d", epoch)
		res := l.sync(t, conn, RunOptions{}, "full")
		cur := l.snapshot(t, testPHConn, phUpdated)
		checkRun(t, name, prev, cur, res)
		checkRunRecords(t, l, res)
		checkTruth(t, name, cur, truthOf(t, url), true)
		if epoch > 0 {
			var deleted int
			for _, ts := range cur {
				for _, r := range ts.rows {
					if r.deleted.Equal(res.Record.StartedAt) {
						deleted++
					}
				}
			}
			if _, u, _ := runTotals(t, l, res.Record.RunID); u == 0 || deleted == 0 {
				t.Errorf("%s: %d updated, %d deleted: the epoch should change and delete records", name, u, deleted)
			}
		}
		prev = cur
	}
}
