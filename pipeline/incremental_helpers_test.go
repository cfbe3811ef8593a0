package pipeline

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/load"
	phsandbox "github.com/atslake/atslake/sandbox/phenom"
	srsandbox "github.com/atslake/atslake/sandbox/smartrecruiters"
	"github.com/atslake/atslake/schemas"
)

// Helpers of the change-tracking tests: sandboxes served over loopback,
// runners on temporary lakes, snapshots of a lake's state and history read
// back through the DuckDB catalog, and the checks between snapshots.

const (
	testSRConn = "acme-sr"
	testPHConn = "acme-ph"
)

// srSandbox starts a SmartRecruiters sandbox (no rate limit) behind wrap
// (nil: none) on a loopback server.
func srSandbox(t testing.TB, scale int, wrap func(http.Handler) http.Handler) (*srsandbox.Server, string) {
	t.Helper()
	cfg := srsandbox.DefaultConfig()
	cfg.Scale, cfg.RateLimit = scale, 0
	sb, err := srsandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = sb
	if wrap != nil {
		h = wrap(sb)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return sb, srv.URL
}

func phSandbox(t testing.TB, scale int) (*phsandbox.Server, string) {
	t.Helper()
	cfg := phsandbox.DefaultConfig()
	cfg.Scale = scale
	sb, err := phsandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return sb, srv.URL
}

func srConnection(url string, lookback time.Duration) Connection {
	return Connection{ID: testSRConn, Connector: ConnectorSmartRecruiters, BaseURL: url, Unthrottled: true,
		Token: NewSecret("sandbox-token"), AppURL: "https://www.smartrecruiters.com", Lookback: lookback}
}

func phConnection(url string) Connection {
	return Connection{ID: testPHConn, Connector: ConnectorPhenom, BaseURL: url, TokenURL: url, Unthrottled: true,
		ClientID: NewSecret("sandbox-client"), ClientSecret: NewSecret("sandbox-secret"), SiteType: "external", Locale: "en_US"}
}

// testLake is a lake with its runner.
type testLake struct {
	name   string
	dir    string
	runner *Runner
}

func newTestLake(t testing.TB, name string) *testLake {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	r, err := NewRunner(dir, WithAllocator(mem), WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		t.Fatal(err)
	}
	return &testLake{name: name, dir: dir, runner: r}
}

// sync runs conn and checks the run's mode and status.
func (l *testLake) sync(t testing.TB, conn Connection, opts RunOptions, wantMode string) *Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := l.runner.Run(ctx, conn, opts)
	if err != nil {
		t.Fatalf("%s: run: %v", l.name, err)
	}
	if res.Record.Mode != wantMode || res.Record.Status != StatusSucceeded {
		t.Fatalf("%s: run %s %s, want %s succeeded", l.name, res.Record.Mode, res.Record.Status, wantMode)
	}
	return res
}

func (l *testLake) db(t testing.TB) *sql.DB {
	t.Helper()
	db, err := load.OpenCatalog(context.Background(), l.dir)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// truthOf reads GET /_sandbox/truth.
func truthOf(t testing.TB, baseURL string) map[string][]string {
	t.Helper()
	resp, err := http.Get(baseURL + "/_sandbox/truth")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tr struct {
		Tables map[string][]string `json:"tables"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil {
		t.Fatal(err)
	}
	if len(tr.Tables) == 0 {
		t.Fatal("empty truth")
	}
	return tr.Tables
}

// advance moves a sandbox to its next epoch over HTTP.
func advance(t testing.TB, baseURL string) {
	t.Helper()
	resp, err := http.Post(baseURL+"/_sandbox/advance", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("advance: HTTP %d", resp.StatusCode)
	}
}

// rowSnap is one row of a table's current state.
type rowSnap struct {
	remoteID  string
	changed   time.Time
	deleted   time.Time // zero: live
	hash      string    // of every column but changed_at and remote_deleted_at
	updatedOn string    // source updatedOn from remote_data (users, jobs, candidates)
	parent    map[string]string
}

func (r rowSnap) live() bool { return r.deleted.IsZero() }

// tableSnap is a table's state (by id) and its history (versions per id).
type tableSnap struct {
	rows          map[string]rowSnap
	versions      map[string]int
	tracksUpdated bool // updatedOn holds the source's update time
}

// lakeSnap is a connection's state of every table.
type lakeSnap map[string]tableSnap

// emptySnap is the state of a connection before its first run.
func emptySnap() lakeSnap {
	out := lakeSnap{}
	for _, tbl := range schemas.All() {
		out[tbl.Name] = tableSnap{rows: map[string]rowSnap{}, versions: map[string]int{}}
	}
	return out
}

// updatedFrom says where a table's rows keep their source's update time:
// under a remote_data key (the object's updatedOn) or in a column.
type updatedFrom struct{ remoteDataKey, column string }

// srUpdated: SmartRecruiters users, jobs and candidates carry updatedOn in
// remote_data (U1, J1 and C1 items).
var srUpdated = map[string]updatedFrom{
	"users":      {remoteDataKey: "/user-api/v201804/users"},
	"jobs":       {remoteDataKey: "/jobs"},
	"candidates": {remoteDataKey: "/candidates"},
}

// phUpdated: Phenom applications carry updatedDate in remote_updated_at.
var phUpdated = map[string]updatedFrom{"applications": {column: "remote_updated_at"}}

// parentColumns are the lake-id columns the exception rules follow.
var parentColumns = map[string][]string{
	"job_postings":              {"job_id"},
	"offers":                    {"application_id"},
	"interviews":                {"application_id"},
	"interviewing_team_members": {"interview_id"},
}

// snapshot reads a connection's state and history through the catalog;
// updated names the tables whose source update time is read too.
func (l *testLake) snapshot(t testing.TB, conn string, updated map[string]updatedFrom) lakeSnap {
	t.Helper()
	db := l.db(t)
	defer db.Close()
	out := lakeSnap{}
	for _, tbl := range schemas.All() {
		upd, tracked := updated[tbl.Name]
		ts := tableSnap{rows: map[string]rowSnap{}, versions: map[string]int{}, tracksUpdated: tracked}
		sel := []string{"s.id", "s.remote_id", "s.changed_at", "s.remote_deleted_at", "s._hash", "coalesce(h.n, 0)"}
		switch {
		case upd.remoteDataKey != "":
			sel = append(sel, "CAST(s.remote_data AS VARCHAR)")
		case upd.column != "":
			sel = append(sel, "CAST(s."+upd.column+" AS VARCHAR)")
		}
		for _, c := range parentColumns[tbl.Name] {
			sel = append(sel, "s."+c)
		}
		// The hash covers every column but changed_at and remote_deleted_at.
		q := fmt.Sprintf(`WITH h AS (SELECT id, count(*) AS n FROM %q WHERE connection = $1 GROUP BY id),
			s AS (SELECT *, md5(CAST(struct_pack(*COLUMNS(* EXCLUDE (changed_at, remote_deleted_at, connection))) AS VARCHAR)) AS _hash
				FROM %q WHERE connection = $1)
			SELECT %s FROM s LEFT JOIN h ON h.id = s.id`, tbl.Name+"_history", tbl.Name, strings.Join(sel, ", "))
		rows, err := db.Query(q, conn)
		if err != nil {
			t.Fatalf("%s: %v", tbl.Name, err)
		}
		for rows.Next() {
			var id, rid, hash string
			var versions int
			var changed time.Time
			var deleted sql.NullTime
			var rd sql.NullString
			parents := make([]sql.NullString, len(parentColumns[tbl.Name]))
			dest := []any{&id, &rid, &changed, &deleted, &hash, &versions}
			if tracked {
				dest = append(dest, &rd)
			}
			for i := range parents {
				dest = append(dest, &parents[i])
			}
			if err := rows.Scan(dest...); err != nil {
				t.Fatalf("%s: %v", tbl.Name, err)
			}
			r := rowSnap{remoteID: rid, changed: changed.UTC(), hash: hash}
			if deleted.Valid {
				r.deleted = deleted.Time.UTC()
			}
			switch {
			case upd.remoteDataKey != "":
				var m map[string]struct {
					UpdatedOn string `json:"updatedOn"`
				}
				if err := json.Unmarshal([]byte(rd.String), &m); err != nil {
					t.Fatalf("%s %s remote_data: %v", tbl.Name, id, err)
				}
				r.updatedOn = m[upd.remoteDataKey].UpdatedOn
			case upd.column != "":
				r.updatedOn = rd.String
			}
			if tracked && r.updatedOn == "" {
				t.Fatalf("%s %s: no source update time", tbl.Name, id)
			}
			for i, c := range parentColumns[tbl.Name] {
				if r.parent == nil {
					r.parent = map[string]string{}
				}
				r.parent[c] = parents[i].String
			}
			if _, dup := ts.rows[id]; dup {
				t.Fatalf("%s: id %s twice in the state", tbl.Name, id)
			}
			ts.rows[id] = r
			ts.versions[id] = versions
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		out[tbl.Name] = ts
	}
	return out
}

// liveRemoteIDs returns the sorted remote ids of a table's live rows.
func (s lakeSnap) liveRemoteIDs(table string) []string {
	var out []string
	for _, r := range s[table].rows {
		if r.live() {
			out = append(out, r.remoteID)
		}
	}
	slices.Sort(out)
	return out
}

// versioned returns the ids a run at started wrote a version of: new,
// revived, changed or newly deleted (compared with the previous snapshot).
func versioned(prev, cur lakeSnap, table string, started time.Time) map[string]bool {
	out := map[string]bool{}
	for id, r := range cur[table].rows {
		if r.changed.Equal(started) || r.deleted.Equal(started) {
			out[id] = true
		}
	}
	return out
}

// runCounts are the counts of one table in a run as the snapshots show them.
type runCounts struct{ inserted, updated, deleted int64 }

// checkRun checks the invariants of one committed run of a connection
// between two snapshots of its lake: changed_at and remote_deleted_at
// follow unified-model.md, history holds exactly one new version per
// change, run_tables counts what happened, and (tables with a source update
// time) changed_at moved exactly for the rows whose update time moved.
func checkRun(t *testing.T, name string, prev, cur lakeSnap, res *Result) {
	t.Helper()
	started := res.Record.StartedAt
	stats := map[string]load.TableStats{}
	for _, s := range res.Tables {
		stats[s.Table] = s
	}
	for _, tbl := range schemas.All() {
		p, c := prev[tbl.Name], cur[tbl.Name]
		var got runCounts
		var updatedOnMoved, changedLive []string
		for id, pr := range p.rows {
			if _, ok := c.rows[id]; !ok {
				t.Errorf("%s %s: row %s (%s) vanished", name, tbl.Name, id, pr.remoteID)
			}
		}
		for id, cr := range c.rows {
			pr, existed := p.rows[id]
			wantVersions := p.versions[id]
			switch {
			case !existed:
				got.inserted++
				wantVersions++
				if !cr.changed.Equal(started) || !cr.live() {
					t.Errorf("%s %s: new row %s: changed_at %v deleted %v, want %v live", name, tbl.Name, cr.remoteID, cr.changed, cr.deleted, started)
				}
			case !pr.live() && cr.live():
				got.inserted++
				wantVersions++
				if !cr.changed.Equal(started) {
					t.Errorf("%s %s: revived row %s: changed_at %v, want %v", name, tbl.Name, cr.remoteID, cr.changed, started)
				}
			case pr.live() && !cr.live():
				got.deleted++
				wantVersions++
				if !cr.deleted.Equal(started) || !cr.changed.Equal(pr.changed) || cr.hash != pr.hash {
					t.Errorf("%s %s: deleted row %s: deleted %v changed %v (was %v), data changed %v", name, tbl.Name, cr.remoteID,
						cr.deleted, cr.changed, pr.changed, cr.hash != pr.hash)
				}
			case cr.hash != pr.hash:
				if !pr.live() {
					t.Errorf("%s %s: deleted row %s changed without revival", name, tbl.Name, cr.remoteID)
				}
				got.updated++
				wantVersions++
				if !cr.changed.Equal(started) {
					t.Errorf("%s %s: changed row %s: changed_at %v, want %v", name, tbl.Name, cr.remoteID, cr.changed, started)
				}
			default:
				if !cr.changed.Equal(pr.changed) || !cr.deleted.Equal(pr.deleted) {
					t.Errorf("%s %s: unchanged row %s: changed_at %v -> %v, deleted %v -> %v", name, tbl.Name, cr.remoteID,
						pr.changed, cr.changed, pr.deleted, cr.deleted)
				}
			}
			if c.versions[id] != wantVersions {
				t.Errorf("%s %s: row %s has %d versions in history, want %d", name, tbl.Name, cr.remoteID, c.versions[id], wantVersions)
			}
			if c.tracksUpdated && existed && pr.live() && cr.live() {
				if pr.updatedOn != cr.updatedOn {
					updatedOnMoved = append(updatedOnMoved, cr.remoteID)
				}
				if cr.changed.Equal(started) {
					changedLive = append(changedLive, cr.remoteID)
				}
			}
		}
		slices.Sort(updatedOnMoved)
		slices.Sort(changedLive)
		if !slices.Equal(updatedOnMoved, changedLive) {
			t.Errorf("%s %s: changed_at moved for %d rows, source updatedOn for %d: only changed_at %v, only updatedOn %v", name, tbl.Name,
				len(changedLive), len(updatedOnMoved), head(diff(changedLive, updatedOnMoved)), head(diff(updatedOnMoved, changedLive)))
		}
		st := stats[tbl.Name]
		if (runCounts{st.Inserted, st.Updated, st.Deleted}) != got {
			t.Errorf("%s %s: run reports %d inserted, %d updated, %d deleted; the lake shows %+v", name, tbl.Name,
				st.Inserted, st.Updated, st.Deleted, got)
		}
	}
}

// checkRunRecords checks the runs and run_tables views against a run's result.
func checkRunRecords(t *testing.T, l *testLake, res *Result) {
	t.Helper()
	db := l.db(t)
	defer db.Close()
	rec := res.Record
	var mode, status, connector string
	var requests, retries, skipped int64
	var started, finished time.Time
	err := db.QueryRow(`SELECT mode, status, connector, requests, retries, skipped, started_at, finished_at FROM runs WHERE run_id = $1 AND connection = $2`,
		rec.RunID, rec.Connection).Scan(&mode, &status, &connector, &requests, &retries, &skipped, &started, &finished)
	if err != nil {
		t.Fatalf("%s: runs view: %v", l.name, err)
	}
	if mode != rec.Mode || status != rec.Status || connector != rec.Connector || requests != rec.Requests || retries != rec.Retries ||
		skipped != rec.Skipped || !started.Equal(rec.StartedAt) || finished.Before(started) {
		t.Errorf("%s: runs view %s %s %s %d/%d/%d %v-%v, record %+v", l.name, mode, status, connector, requests, retries, skipped, started, finished, rec)
	}
	if requests <= 0 {
		t.Errorf("%s: run recorded %d requests", l.name, requests)
	}
	rows, err := db.Query(`SELECT table_name, rows_seen, inserted, updated, deleted FROM run_tables WHERE run_id = $1`, rec.RunID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := map[string]load.TableStats{}
	for rows.Next() {
		var s load.TableStats
		if err := rows.Scan(&s.Table, &s.RowsSeen, &s.Inserted, &s.Updated, &s.Deleted); err != nil {
			t.Fatal(err)
		}
		seen[s.Table] = s
	}
	for _, s := range res.Tables {
		if seen[s.Table] != s {
			t.Errorf("%s: run_tables %+v, result %+v", l.name, seen[s.Table], s)
		}
		delete(seen, s.Table)
	}
	if len(seen) > 0 {
		t.Errorf("%s: run_tables has rows the result lacks: %v", l.name, seen)
	}
}

// Exceptions of an incremental lake (smartrecruiters.md "Sync modes"): only
// jobs and candidates deleted since the last full run may still look live,
// with the child rows read through them; tags, JOB roles and application
// stages are checked for deletion only by full runs (extra live rows), and
// tags keep their stored names and stages their places (data may differ
// from a full run's).
var looseTables = map[string]bool{"tags": true, "application_stages": true}

// exceptions returns, per table, the ids of live rows of cur that may be
// stale because the job or candidate they belong to is gone (isDead).
func exceptions(cur lakeSnap, deadJob, deadCand func(remoteID string) bool) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	add := func(table, id string) {
		if out[table] == nil {
			out[table] = map[string]bool{}
		}
		out[table][id] = true
	}
	prefix := func(rid string) string { p, _, _ := strings.Cut(rid, ":"); return p }
	jobOf := map[string]string{} // lake id -> remote id
	for id, r := range cur["jobs"].rows {
		jobOf[id] = r.remoteID
		if r.live() && deadJob(r.remoteID) {
			add("jobs", id)
		}
	}
	for id, r := range cur["candidates"].rows {
		if r.live() && deadCand(r.remoteID) {
			add("candidates", id)
		}
	}
	deadApp := map[string]bool{}
	for id, r := range cur["applications"].rows {
		if deadCand(prefix(r.remoteID)) {
			deadApp[id] = true
		}
	}
	deadInterview := map[string]bool{}
	for id, r := range cur["interviews"].rows {
		if deadApp[r.parent["application_id"]] {
			deadInterview[id] = true
		}
	}
	for table, ts := range cur {
		for id, r := range ts.rows {
			if !r.live() {
				continue
			}
			var dead bool
			switch table {
			case "job_hiring_team_members", "job_user_role_assignments", "job_stages":
				dead = deadJob(prefix(r.remoteID))
			case "job_postings":
				dead = deadJob(jobOf[r.parent["job_id"]])
			case "candidate_tags", "applications", "application_status_history":
				dead = deadCand(prefix(r.remoteID))
			case "offers", "interviews":
				dead = deadApp[r.parent["application_id"]]
			case "interviewing_team_members":
				dead = deadInterview[r.parent["interview_id"]]
			case "roles":
				dead = strings.HasPrefix(r.remoteID, "JOB:")
			}
			if dead || looseTables[table] {
				add(table, id)
			}
		}
	}
	return out
}

// checkTruth compares the live remote ids of every table with the sandbox
// truth. With exact, they must be equal (a full run); otherwise live rows
// beyond the truth are allowed only where the incremental exceptions allow.
func checkTruth(t *testing.T, name string, cur lakeSnap, truth map[string][]string, exact bool) {
	t.Helper()
	inTruth := func(table string) func(string) bool {
		set := map[string]bool{}
		for _, id := range truth[table] {
			set[id] = true
		}
		return func(rid string) bool { return !set[rid] }
	}
	exc := exceptions(cur, inTruth("jobs"), inTruth("candidates"))
	for table, want := range truth {
		live := cur.liveRemoteIDs(table)
		missing := diff(want, live)
		extra := diff(live, want)
		if !exact {
			byRemote := map[string]string{}
			for id, r := range cur[table].rows {
				byRemote[r.remoteID] = id
			}
			extra = slices.DeleteFunc(extra, func(rid string) bool { return exc[table][byRemote[rid]] })
		}
		if len(missing) > 0 || len(extra) > 0 {
			t.Errorf("%s %s: %d live rows, truth %d; missing %v; extra %v", name, table, len(live), len(want), head(missing), head(extra))
		}
	}
}

// compareWithFull compares a lake synced incrementally (inc) with a lake
// synced by full runs from the same sandbox at the same epoch (full): outside
// the exceptions of an incremental run, every row has the same data and
// liveness and history the same number of versions, and this run versioned
// the same rows. prevExc are the exceptions after the previous run, which a
// full run of inc settles now (their deletions, renames and moves come late).
// It returns the exceptions after this run (none after a full run).
func compareWithFull(t *testing.T, name string, incremental bool, inc, full lakeSnap, incRun, fullRun, prevExc map[string]map[string]bool) map[string]map[string]bool {
	t.Helper()
	exc := map[string]map[string]bool{}
	if incremental {
		deadIn := func(table string) func(string) bool {
			live := map[string]bool{}
			for _, rid := range full.liveRemoteIDs(table) {
				live[rid] = true
			}
			return func(rid string) bool { return !live[rid] }
		}
		exc = exceptions(inc, deadIn("jobs"), deadIn("candidates"))
	}
	for _, tbl := range schemas.All() {
		table := tbl.Name
		ir, fr := inc[table], full[table]
		var diffs []string
		for id, f := range fr.rows {
			i, ok := ir.rows[id]
			switch {
			case exc[table][id] && looseTables[table]:
				// Loose tables: a row the full lake has live is live here too.
				if f.live() && (!ok || !i.live()) {
					diffs = append(diffs, "not live: "+f.remoteID)
				}
			case exc[table][id]:
			case !ok:
				if f.live() || !prevExc[table][id] {
					diffs = append(diffs, "missing: "+f.remoteID)
				}
			case i.live() != f.live() || i.hash != f.hash:
				diffs = append(diffs, fmt.Sprintf("%s: live %v/%v, same data %v", f.remoteID, i.live(), f.live(), i.hash == f.hash))
			case ir.versions[id] != fr.versions[id] && !prevExc[table][id]:
				diffs = append(diffs, fmt.Sprintf("%s: %d versions, full lake %d", f.remoteID, ir.versions[id], fr.versions[id]))
			}
		}
		for id, i := range ir.rows {
			if _, ok := fr.rows[id]; !ok && !exc[table][id] && i.live() {
				diffs = append(diffs, "extra: "+i.remoteID)
			}
		}
		// The rows this run versioned: the same, except rows that are or
		// were exceptions; an incremental run changes a row of a loose
		// table only where a full run does too (no churn).
		for id := range incRun[table] {
			switch {
			case incremental && looseTables[table]:
				if !fullRun[table][id] && fr.rows[id].live() && !isNew(ir.versions[id]) {
					diffs = append(diffs, "churned: "+ir.rows[id].remoteID)
				}
			case !fullRun[table][id] && !exc[table][id] && !prevExc[table][id]:
				diffs = append(diffs, "versioned only here: "+ir.rows[id].remoteID)
			}
		}
		for id := range fullRun[table] {
			if !incRun[table][id] && !exc[table][id] && !prevExc[table][id] {
				diffs = append(diffs, "versioned only by the full run: "+fr.rows[id].remoteID)
			}
		}
		if len(diffs) > 0 {
			slices.Sort(diffs)
			t.Errorf("%s %s: %d differences from the full-run lake: %v", name, table, len(diffs), head(diffs))
		}
	}
	return exc
}

// isNew reports whether a row has exactly one version (it was inserted by this run).
func isNew(versions int) bool { return versions == 1 }

// hashFiles hashes every file under the lake's table folders and history
// (not the run records, locks, state or catalog).
func hashFiles(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		top, _, _ := strings.Cut(rel, string(filepath.Separator))
		if d.IsDir() {
			if top == "_runs" || top == "_locks" || top == "_state" {
				return filepath.SkipDir
			}
			return nil
		}
		if top == "catalog.duckdb" {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[rel] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameFiles(t *testing.T, name string, before, after map[string]string) {
	t.Helper()
	var changed []string
	for p, h := range after {
		if before[p] != h {
			changed = append(changed, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			changed = append(changed, p+" (removed)")
		}
	}
	if len(changed) > 0 {
		slices.Sort(changed)
		t.Errorf("%s: files changed: %v", name, head(changed))
	}
}

func diff(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}

func head(s []string) []string {
	if len(s) > 6 {
		return append(s[:6:6], fmt.Sprintf("... (%d more)", len(s)-6))
	}
	return s
}

// excSummary counts exception rows per table (for logs).
func excSummary(exc map[string]map[string]bool) string {
	var parts []string
	for table, ids := range exc {
		parts = append(parts, fmt.Sprintf("%s %d", table, len(ids)))
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}
