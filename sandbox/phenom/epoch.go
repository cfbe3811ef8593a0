package phenom

import (
	"slices"
	"time"

	"github.com/atslake/atslake/sandbox/fake"
)

// nextStatus is where an application in a hiring status moves when it
// progresses (terminal statuses are not moved).
var nextStatus = map[string]string{
	hsApplied: hsScreening, hsScreening: hsInterview, hsInterview: hsOffer, hsOffer: hsHired,
}

// round applies epoch round r (1-based) to the tenant. Every decision is a
// function of (seed, scale, r) and the state; at is the instant the sandbox
// entered the epoch and becomes the updatedDate of every application created
// or changed (and the creation and posting date of new jobs). Pinned records
// (the quirks) are never touched, and the application count stays a multiple
// of 100.
func (s *state) round(r int, at time.Time) {
	f := faker(s.seed, s.scale, streamEpoch+uint64(r))
	s.changeJobs(f, r, at)
	s.changeApps(f, at)
}

// eligibleJobs returns the jobs epochs may change (not pinned, not deleted)
// for which keep is true.
func (s *state) eligibleJobs(keep func(*job) bool) []*job {
	var out []*job
	for _, j := range s.jobs {
		if !j.pinned && !j.deleted && keep(j) {
			out = append(out, j)
		}
	}
	return out
}

func (s *state) changeJobs(f *fake.Faker, r int, at time.Time) {
	all := func(*job) bool { return true }
	listedExternal := func(j *job) bool { return j.listed(siteExternal) }
	k := max(1, len(s.eligibleJobs(all))*4/100)

	// New details.
	for _, j := range fake.Sample(f, s.eligibleJobs(all), k) {
		switch f.Intn(3) {
		case 0:
			j.title = f.JobTitle()
		case 1:
			j.description = f.HTMLParagraphs(f.Between(1, 3)) + f.HTMLList(f.Between(3, 5))
		default:
			j.department = fake.Pick(f, departments)
			j.typ = weighted(f, jobTypes)
		}
	}
	// Hiring team changes: a recruiter added or removed, a new hiring manager.
	for _, j := range fake.Sample(f, s.eligibleJobs(all), k) {
		t := j.team
		switch op := f.Intn(3); {
		case op == 0 && t.mode == recList && len(t.recs) > 0:
			i := f.Intn(len(t.recs))
			t.recs = slices.Delete(slices.Clone(t.recs), i, i+1)
			if len(t.recs) == 0 {
				t.mode = recEmpty
			}
		case op == 1:
			hm := fake.Pick(f, s.people)
			t.hmEmail, t.hmName = hm.email, hm.name
		default:
			t.recs = append(slices.Clone(t.recs), recruiterOf(f, fake.Pick(f, s.people)))
			t.mode = recList
		}
		j.team = t
		j.alt = nil
	}
	// Status: one listed job put on hold or back to open, one closed, one
	// deleted; every third round one moves to the internal site; every
	// fourth round a closed job reopens.
	if js := s.eligibleJobs(func(j *job) bool { return j.status != statusClosed }); len(js) > 0 {
		j := fake.Pick(f, js)
		if j.status == statusOpen {
			j.status = statusOnHold
		} else {
			j.status = statusOpen
		}
	}
	removed := 0
	if js := s.eligibleJobs(listedExternal); len(js) > 1 {
		fake.Pick(f, js).status = statusClosed
		removed++
	}
	if js := s.eligibleJobs(listedExternal); len(js) > 1 {
		fake.Pick(f, js).deleted = true
		removed++
	}
	if js := s.eligibleJobs(listedExternal); r%3 == 0 && len(js) > 1 {
		fake.Pick(f, js).site = siteInternal
		removed++
	}
	if js := s.eligibleJobs(func(j *job) bool { return j.status == statusClosed }); r%4 == 0 && len(js) > 0 {
		fake.Pick(f, js).status = statusOpen
	}
	// New jobs: as many as left the external listing, plus growth.
	for range removed + max(1, k/2) {
		j := s.newJob(f, at)
		j.posted = at
		if f.Chance(0.1) {
			j.site = siteInternal
		}
		s.assignJobID(j)
		s.jobs = append(s.jobs, j)
	}
}

func (s *state) changeApps(f *fake.Faker, at time.Time) {
	ts := formatTime(at)
	n := len(s.apps)
	candByID := make(map[string]*cand, len(s.cands))
	for _, c := range s.cands {
		candByID[c.id] = c
	}
	eligible := func(keep func(*app) bool) []*app {
		var out []*app
		for _, a := range s.apps {
			if !a.pinned && keep(a) {
				out = append(out, a)
			}
		}
		return out
	}
	// Hiring status moves: most progress, some are rejected or withdrawn.
	open := eligible(func(a *app) bool { _, ok := nextStatus[a.w.HiringStatus]; return ok })
	for _, a := range fake.Sample(f, open, max(3, n*4/100)) {
		switch r := f.Intn(100); {
		case r < 20:
			a.w.HiringStatus = hsRejected
		case r < 25:
			a.w.HiringStatus = hsWithdrawn
		default:
			a.w.HiringStatus = nextStatus[a.w.HiringStatus]
		}
		a.w.UpdatedDate = ts
	}
	// Changed candidate details, carried by the candidate's last application.
	last := map[string]*app{}
	var order []string
	for _, a := range eligible(func(a *app) bool { c := candByID[a.w.CandidateID]; return c != nil && !c.pinned }) {
		if _, ok := last[a.w.CandidateID]; !ok {
			order = append(order, a.w.CandidateID)
		}
		last[a.w.CandidateID] = a
	}
	for _, id := range fake.Sample(f, order, max(1, n/100)) {
		c, a := candByID[id], last[id]
		changeDetails(f, c)
		keepID := a.w.CandidateData.CandidateID
		a.w.CandidateData = c.data
		a.w.CandidateData.CandidateID = keepID
		a.w.UpdatedDate = ts
	}
	// Deletions, then as many new applications plus growth (whole hundreds).
	gone := map[*app]bool{}
	for _, a := range fake.Sample(f, eligible(func(*app) bool { return true }), max(1, n/100)) {
		gone[a] = true
	}
	s.apps = slices.DeleteFunc(s.apps, func(a *app) bool { return gone[a] })
	adds := len(gone) + 100*(n/5000)
	pools := s.pools()
	var existing []*cand
	for _, c := range s.cands {
		if !c.pinned {
			existing = append(existing, c)
		}
	}
	for range adds {
		var c *cand
		if f.Chance(0.3) && len(existing) > 0 {
			c = fake.Pick(f, existing)
		} else {
			c = s.newCand(f)
			s.cands = append(s.cands, c)
		}
		j := fake.Pick(f, pools.external)
		if f.Chance(0.08) && len(pools.internal) > 0 {
			j = fake.Pick(f, pools.internal)
		}
		a := &app{w: wireApp{
			JobID:         j.id,
			CandidateID:   c.id,
			HiringStatus:  hsApplied,
			AppliedDate:   ts,
			UpdatedDate:   ts,
			Source:        fake.Pick(f, sources),
			CandidateData: c.data,
		}}
		s.assignAppID(a)
		s.apps = append(s.apps, a)
	}
}
