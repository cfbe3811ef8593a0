package pipeline

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/atslake/atslake/extract"
	srextract "github.com/atslake/atslake/extract/smartrecruiters"
	"github.com/atslake/atslake/load"
	"github.com/atslake/atslake/transform"
	srtransform "github.com/atslake/atslake/transform/smartrecruiters"
)

// Change tracking (smartrecruiters.md "Sync modes"): which mode a run takes,
// its watermark, what an incremental run's mapper is seeded with, and which
// previous rows an incremental run may mark deleted.

// Defaults of the SmartRecruiters sync-mode settings (product.md
// configuration: full_sync_every, lookback), also used when a Connection
// built in code leaves them zero.
const (
	DefaultFullSyncEvery = 24 * time.Hour
	DefaultLookback      = 10 * time.Minute
)

// fullSyncSlack is how much earlier than full_sync_every after the last full
// run a run already counts as due for a full sync: scheduled runs start a
// few milliseconds apart from one day to the next, and a full sync due
// "every 24h" should not slip to the next scheduled run for that. It is 1%
// of full_sync_every, at most a minute.
func fullSyncSlack(every time.Duration) time.Duration { return min(every/100, time.Minute) }

// decideMode chooses the mode of a run from the connection's run records
// (oldest first): SmartRecruiters runs are full when forced, when no
// succeeded or partial full run is recorded, or when the latest one started
// full_sync_every (or more) before now; otherwise incremental, reading what
// changed since the start of the latest succeeded or partial run (full or
// incremental) minus lookback. Phenom runs are always full. Failed runs
// never count: the watermark advances only with a committed run.
func decideMode(conn Connection, opts RunOptions, runs []load.RunRecord, now time.Time) (extract.Mode, time.Time) {
	if opts.Full || conn.Connector != ConnectorSmartRecruiters {
		return extract.Full, time.Time{}
	}
	every, lookback := conn.FullSyncEvery, conn.Lookback
	if every <= 0 {
		every = DefaultFullSyncEvery
	}
	if lookback <= 0 {
		lookback = DefaultLookback
	}
	var lastFull, last time.Time
	for _, r := range runs {
		if r.Status != StatusSucceeded && r.Status != StatusPartial {
			continue
		}
		if r.StartedAt.After(last) {
			last = r.StartedAt
		}
		if r.Mode == string(extract.Full) && r.StartedAt.After(lastFull) {
			lastFull = r.StartedAt
		}
	}
	if lastFull.IsZero() || now.Sub(lastFull) >= every-fullSyncSlack(every) {
		return extract.Full, time.Time{}
	}
	return extract.Incremental, last.Add(-lookback)
}

// seeder is what an incremental run needs of a mapper whose output depends
// on records the run does not re-read (transform/smartrecruiters seed.go).
type seeder interface {
	SeedStage(remoteID string)
	SeedTag(remoteID string)
	SeedAd(adID, jobRemoteID string, isDefault bool)
}

// scanLive calls fn with the selected columns of every live row of a table.
func (r *Runner) scanLive(ctx context.Context, conn, table string, fn func(v []load.ScanValue), cols ...string) error {
	for vals, err := range r.lake.Scan(ctx, conn, table, load.ScanOptions{Columns: cols, Live: true}) {
		if err != nil {
			return err
		}
		fn(vals)
	}
	return nil
}

// seedMapper hands an incremental run's mapper what the lake knows of the
// records the run will not re-read: the live application stages (their
// global order must not churn), the live tags (a known tag keeps its stored
// name) and the job ads of the live jobs (postings link screening questions
// to jobs through them).
func (r *Runner) seedMapper(ctx context.Context, conn string, m mapper) error {
	s, ok := m.(seeder)
	if !ok {
		return nil
	}
	if err := r.scanLive(ctx, conn, "application_stages", func(v []load.ScanValue) {
		if v[0].Valid {
			s.SeedStage(v[0].String)
		}
	}, "remote_id"); err != nil {
		return fmt.Errorf("seed stages: %w", err)
	}
	if err := r.scanLive(ctx, conn, "tags", func(v []load.ScanValue) {
		if v[0].Valid {
			s.SeedTag(v[0].String)
		}
	}, "remote_id"); err != nil {
		return fmt.Errorf("seed tags: %w", err)
	}
	jobs := map[string]string{} // lake id -> remote id
	if err := r.scanLive(ctx, conn, "jobs", func(v []load.ScanValue) {
		if v[0].Valid && v[1].Valid {
			jobs[v[0].String] = v[1].String
		}
	}, "id", "remote_id"); err != nil {
		return fmt.Errorf("seed job ads: %w", err)
	}
	if err := r.scanLive(ctx, conn, "job_postings", func(v []load.ScanValue) {
		job, ok := jobs[v[1].String]
		if v[0].Valid && v[1].Valid && ok {
			s.SeedAd(v[0].String, job, srtransform.DefaultAd([]byte(v[2].String)))
		}
	}, "remote_id", "job_id", "remote_data"); err != nil {
		return fmt.Errorf("seed job ads: %w", err)
	}
	return nil
}

// rereads collects the jobs and candidates an incremental run re-read (the
// keys of their documents).
type rereads struct {
	jobs, cands map[string]bool
}

func newRereads() *rereads { return &rereads{jobs: map[string]bool{}, cands: map[string]bool{}} }

// note records the job and candidate documents of a batch; nil does nothing.
func (t *rereads) note(batch arrow.RecordBatch) {
	if t == nil {
		return
	}
	kinds := batch.Column(0).(*array.String)
	keys := batch.Column(1).(*array.String)
	for i := 0; i < kinds.Len(); i++ {
		switch kinds.Value(i) {
		case srextract.KindJob:
			t.jobs[keys.Value(i)] = true
		case srextract.KindCandidate:
			t.cands[keys.Value(i)] = true
		}
	}
}

// Which deletions an incremental SmartRecruiters run may detect
// (smartrecruiters.md "Sync modes"), by table.
var (
	// Tables built only from lists re-read completely by every run, with
	// the lists they come from.
	everyRunTables = map[string][]string{
		"users":                   {srextract.ListUsers},
		"user_roles":              {srextract.ListUsers},
		"rejection_reasons":       {srextract.ListRejectionReasons},
		"screening_questions":     {srextract.ListPostings},
		"job_screening_questions": {srextract.ListPostings, srextract.ListJobs},
	}
	// Child tables read through a job, whose remote id starts with the job's.
	jobPrefixTables = map[string]bool{"job_hiring_team_members": true, "job_user_role_assignments": true, "job_stages": true}
	// Child tables read through a candidate, whose remote id starts with the candidate's.
	candPrefixTables = map[string]bool{"candidate_tags": true, "applications": true, "application_status_history": true}
)

// incrementalScope is the deletion scope of an incremental SmartRecruiters
// run. Tables built only from completely re-read lists (users, user_roles,
// SYSTEM roles, rejection_reasons, screening_questions,
// job_screening_questions) are checked as in a full run; child rows read
// through a job or candidate (hiring team members and role assignments,
// job_postings, job_stages, applications, application_status_history,
// candidate_tags, offers, interviews, interviewing_team_members) only when
// that parent was re-read in this run; jobs, candidates, tags, JOB roles and
// application_stages only by full runs.
type incrementalScope struct {
	models   map[string]bool // nil: all tables
	complete map[string]bool // lists read completely (extract.KindListComplete)
	jobs     map[string]bool // remote ids of re-read jobs
	cands    map[string]bool // remote ids of re-read candidates
	jobIDs   map[string]bool // lake ids of re-read jobs
	apps     map[string]bool // lake ids of the previous applications of re-read candidates
	ivs      map[string]bool // lake ids of the previous interviews of those applications
}

// Covers implements load.Scope.
func (s *incrementalScope) Covers(table string, prev load.PrevRow) bool {
	if s.models != nil && !s.models[table] {
		return false
	}
	if lists, ok := everyRunTables[table]; ok {
		for _, l := range lists {
			if !s.complete[l] {
				return false
			}
		}
		return true
	}
	rid, _ := prev.String("remote_id")
	parent, _, _ := strings.Cut(rid, ":")
	switch {
	case table == "roles":
		return s.complete[srextract.ListSystemRoles] && strings.HasPrefix(rid, "SYSTEM:")
	case jobPrefixTables[table]:
		return s.complete[srextract.ListJobs] && s.jobs[parent]
	case table == "job_postings":
		job, _ := prev.String("job_id")
		return s.complete[srextract.ListJobs] && s.jobIDs[job]
	case candPrefixTables[table]:
		return s.complete[srextract.ListCandidates] && s.cands[parent]
	case table == "offers" || table == "interviews":
		app, _ := prev.String("application_id")
		return s.complete[srextract.ListCandidates] && s.apps[app]
	case table == "interviewing_team_members":
		iv, _ := prev.String("interview_id")
		return s.complete[srextract.ListCandidates] && s.ivs[iv]
	}
	return false // jobs, candidates, tags, JOB roles, application_stages
}

// incrementalDeletions builds the deletion scope of an incremental run: it
// reads from the previous state which applications belong to re-read
// candidates, and which interviews to those applications, as offers,
// interviews and their team members point at them by lake id.
func (r *Runner) incrementalDeletions(ctx context.Context, conn string, seen *rereads, complete, models map[string]bool) (*incrementalScope, error) {
	s := &incrementalScope{models: models, complete: complete, jobs: seen.jobs, cands: seen.cands,
		jobIDs: map[string]bool{}, apps: map[string]bool{}, ivs: map[string]bool{}}
	for j := range seen.jobs {
		s.jobIDs[transform.ID(conn, "jobs", j)] = true
	}
	in := func(tables ...string) bool {
		for _, t := range tables {
			if models == nil || models[t] {
				return true
			}
		}
		return false
	}
	if len(seen.cands) == 0 || !in("offers", "interviews", "interviewing_team_members") {
		return s, nil
	}
	for v, err := range r.lake.Scan(ctx, conn, "applications", load.ScanOptions{Columns: []string{"id", "remote_id"}}) {
		if err != nil {
			return nil, fmt.Errorf("deletion scope: %w", err)
		}
		if cand, _, _ := strings.Cut(v[1].String, ":"); seen.cands[cand] {
			s.apps[v[0].String] = true
		}
	}
	if len(s.apps) == 0 || !in("interviewing_team_members") {
		return s, nil
	}
	for v, err := range r.lake.Scan(ctx, conn, "interviews", load.ScanOptions{Columns: []string{"id", "application_id"}}) {
		if err != nil {
			return nil, fmt.Errorf("deletion scope: %w", err)
		}
		if v[1].Valid && s.apps[v[1].String] {
			s.ivs[v[0].String] = true
		}
	}
	return s, nil
}
