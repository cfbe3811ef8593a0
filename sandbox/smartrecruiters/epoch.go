package smartrecruiters

import (
	"hash/fnv"
	"slices"
	"sort"
	"time"

	"github.com/atslake/atslake/sandbox/fake"
)

// share returns the number of records a round touches: frac of n, at least one.
func share(n int, frac float64) int {
	return max(1, int(float64(n)*frac+0.5))
}

// Rates of change per round, as fractions of the records of a kind (each at
// least one record: see share). They are chosen so that one round moves the
// updatedOn of about 3-5% of the candidates at scales 2,000 and 20,000
// (TestRoundTouchesAFewPercentOfCandidates): a candidate moves with any
// change to itself or to one of its applications, and with a job deleted
// under one of its applications or a job it applied to retitled.
const (
	// Candidates: edited, deleted, added (with one or two applications),
	// applying to one more job.
	rateCandEdit, rateCandDelete, rateCandNew, rateCandApply = 0.008, 0.005, 0.01, 0.003
	// Applications (of all non-protected ones): moved one stage forward,
	// rejected, hired, withdrawn; offers, interviews and properties added,
	// answers rewritten.
	rateAppAdvance, rateAppReject, rateAppHire, rateAppWithdraw = 0.004, 0.0015, 0.0005, 0.0005
	rateOfferAdd, rateInterviewAdd, rateAppProp, rateAppAnswers = 0.0005, 0.0005, 0.0005, 0.0003
	// Offers changed or removed (of the applications with offers) and
	// interviews removed (of the applications with interviews).
	rateOfferChange, rateInterviewDelete = 0.02, 0.004
	// Jobs: changed (details, status, hiring team, ads, properties; never
	// the title, see retitleRound), deleted (with their applications), added.
	rateJobChange, rateJobDelete, rateJobNew = 0.04, 0.005, 0.01
)

// retitleRound reports whether round r renames a job (one job, in rounds 2,
// 6, 10 and so on). A renamed job moves the updatedOn of every candidate who
// applied to it (C2 shows the job title of each assignment), so the job
// renamed is one with the fewest applications, at least one: a title fixed
// early.
func retitleRound(r int) bool { return r%4 == 2 }

// round applies the r-th round of change; every record it creates or changes
// gets the instant t.
func (w *world) round(r int, t time.Time) {
	f := fake.New(w.seed, streamRounds+uint64(r))
	w.roundUsers(f, t)
	w.roundJobs(f, t, retitleRound(r))
	w.roundCandidates(f, t)
	w.roundApplications(f, t)
	w.reindex()
}

// ---------------------------------------------------------------- users

func (w *world) roundUsers(f *fake.Faker, t time.Time) {
	for _, u := range fake.Sample(f, w.users, share(len(w.users), 0.03)) {
		switch f.Intn(3) {
		case 0:
			u.Active = !u.Active
		case 1:
			u.Last = f.Person().Last
		default:
			u.Role = fake.Pick(f, w.roles).ID
		}
		u.UpdatedOn = t
	}
	var deletable []*user
	for _, u := range w.users {
		if !u.protected {
			deletable = append(deletable, u)
		}
	}
	gone := map[string]bool{}
	for _, u := range fake.Sample(f, deletable, share(len(w.users), 0.01)) {
		gone[u.ID] = true
	}
	if len(gone) > 0 {
		w.users = slices.DeleteFunc(w.users, func(u *user) bool { return gone[u.ID] })
		// A deleted user leaves every hiring team; on the protected jobs
		// another user takes over all of the leaver's roles.
		for _, j := range w.jobs {
			changed := false
			if j.protected {
				for i, e := range j.Team {
					if gone[e.UserID] {
						repl := w.users[int(hashString(j.ID+e.UserID)%uint64(len(w.users)))]
						j.Team[i].UserID = repl.ID
						changed = true
					}
				}
				j.Team = dedupTeam(j.Team)
			} else {
				n := len(j.Team)
				j.Team = slices.DeleteFunc(j.Team, func(e teamEntry) bool { return gone[e.UserID] })
				changed = len(j.Team) != n
			}
			if changed {
				j.UpdatedOn = t
			}
		}
	}
	for i, n := 0, share(len(w.users), 0.02); i < n; i++ {
		w.users = append(w.users, w.genUser(f, t, t))
	}
}

// hashString is FNV-1a of s (a deterministic choice that draws no random number).
func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// ---------------------------------------------------------------- jobs

var nextJobStatus = map[string][]string{
	"CREATED":   {"SOURCING"},
	"SOURCING":  {"INTERVIEW", "INTERVIEW", "ON_HOLD", "CANCELLED"},
	"INTERVIEW": {"OFFER", "SOURCING"},
	"OFFER":     {"FILLED", "INTERVIEW"},
	"FILLED":    {"SOURCING"},
	"CANCELLED": {"SOURCING"},
	"ON_HOLD":   {"SOURCING"},
}

func (w *world) roundJobs(f *fake.Faker, t time.Time, retitle bool) {
	for _, j := range fake.Sample(f, w.jobs, share(len(w.jobs), rateJobChange)) {
		w.changeJob(f, j, t)
		derivePostingStatus(j)
		j.UpdatedOn = t
	}
	if retitle {
		w.retitleJob(f, t)
	}
	var deletable []*job
	for _, j := range w.jobs {
		if !j.protected {
			deletable = append(deletable, j)
		}
	}
	gone := map[*job]bool{}
	if len(deletable) > 0 {
		for _, j := range fake.Sample(f, deletable, share(len(w.jobs), rateJobDelete)) {
			gone[j] = true
			j.deleted = true
		}
	}
	if len(gone) > 0 {
		w.jobs = slices.DeleteFunc(w.jobs, func(j *job) bool { return gone[j] })
		// A deleted job takes its applications with it.
		for _, c := range w.cands {
			n := len(c.Apps)
			c.Apps = slices.DeleteFunc(c.Apps, func(a *application) bool { return gone[a.job] })
			if len(c.Apps) != n {
				c.UpdatedOn = t
				if len(c.Apps) == 0 {
					c.deleted = true
				}
			}
		}
		w.cands = slices.DeleteFunc(w.cands, func(c *candidate) bool { return c.deleted })
	}
	for i, n := 0, share(len(w.jobs), rateJobNew); i < n; i++ {
		w.jobs = append(w.jobs, w.genJob(f, t, t))
	}
}

// retitleJob renames one of the jobs with the fewest applications (at least
// one), and moves the updatedOn of the job and of its candidates.
func (w *world) retitleJob(f *fake.Faker, t time.Time) {
	apps := map[*job]int{}
	for _, c := range w.cands {
		for _, a := range c.Apps {
			apps[a.job]++
		}
	}
	var fewest []*job // in w.jobs order: deterministic
	for _, j := range w.jobs {
		switch n := apps[j]; {
		case n == 0:
		case len(fewest) == 0 || n < apps[fewest[0]]:
			fewest = []*job{j}
		case n == apps[fewest[0]]:
			fewest = append(fewest, j)
		}
	}
	if len(fewest) == 0 {
		return
	}
	j := fake.Pick(f, fewest)
	for old := j.Title; j.Title == old; {
		j.Title = f.JobTitle()
	}
	j.UpdatedOn = t
	// C2 shows each assignment's job title: those candidates changed too.
	for _, c := range w.cands {
		if slices.ContainsFunc(c.Apps, func(a *application) bool { return a.job == j }) {
			c.UpdatedOn = t
		}
	}
}

func (w *world) changeJob(f *fake.Faker, j *job, t time.Time) {
	switch f.Intn(6) {
	case 0: // details other than the title (see retitleJob)
		switch f.Intn(2) {
		case 0:
			d := f.Intn(len(departments))
			j.Department = idLabel{ID: j.Department.ID, Label: departments[d]}
		default:
			if j.Comp != nil {
				j.Comp.Max += 5000
			} else {
				j.Comp = &compensation{Min: 50000, Max: 70000, Currency: "EUR", Period: "YEAR"}
			}
		}
	case 1: // status
		s := fake.Pick(f, nextJobStatus[j.Status])
		j.Status = s
		j.History = append(j.History, jobStatus{ChangedOn: t, Status: s})
	case 2: // new hiring-team member
		u := fake.Pick(f, w.users)
		role := fake.Pick(f, append(slices.Clone(standardTeamRoles), customTeamRoles...))
		j.Team = dedupTeam(append(j.Team, teamEntry{UserID: u.ID, Role: role}))
	case 3: // member leaves
		if !j.protected && len(j.Team) > 1 {
			k := f.Intn(len(j.Team))
			j.Team = slices.Delete(j.Team, k, k+1)
		} else {
			j.Team = dedupTeam(append(j.Team, teamEntry{UserID: fake.Pick(f, w.users).ID, Role: "INTERVIEW_TEAM"}))
		}
	case 4: // job ads
		w.changeAds(f, j, t)
	default: // properties
		i := f.Intn(len(jobPropDefs))
		v := f.Intn(len(jobPropDefs[i].values))
		p := jobProp{ID: w.jobPropIDs[i], Label: jobPropDefs[i].label, Value: idLabel{ID: w.jobPropValueIDs[i][v], Label: jobPropDefs[i].values[v]}}
		k := slices.IndexFunc(j.Props, func(x jobProp) bool { return x.ID == p.ID })
		if k >= 0 {
			j.Props[k] = p
		} else {
			j.Props = append(j.Props, p)
		}
	}
}

func (w *world) changeAds(f *fake.Faker, j *job, t time.Time) {
	op := f.Intn(4)
	if j.protected {
		op = 0
	}
	switch op {
	case 1: // a new ad
		if len(j.Ads) < 3 {
			a := w.genAd(f, j, false, false, t)
			a.CreatedOn, a.UpdatedOn = t, t
			j.Ads = append(j.Ads, a)
			if f.Chance(0.5) {
				w.publish(f, j, a, nil)
				if !adsValid(j) {
					unpublish(a)
				}
			}
			return
		}
	case 2: // an ad removed
		for k, a := range j.Ads {
			if !a.Default {
				j.Ads = slices.Delete(j.Ads, k, k+1)
				return
			}
		}
	case 3: // published or unpublished
		a := fake.Pick(f, j.Ads)
		if a.Published {
			unpublish(a)
		} else {
			w.publish(f, j, a, nil)
		}
		if adsValid(j) {
			a.UpdatedOn = t
			return
		}
		if a.Published { // undo
			unpublish(a)
		} else {
			w.publish(f, j, a, nil)
		}
	}
	a := fake.Pick(f, j.Ads) // edited
	a.Title = j.Title + " – " + fake.Pick(f, []string{"updated", "mise à jour", "aktualisiert", "更新"})
	a.Sections = w.genSections(f, a.Title)
	a.UpdatedOn = t
}

func derivePostingStatus(j *job) {
	j.PostingStatus = "NOT_PUBLISHED"
	for _, a := range j.Ads {
		if a.Published && (a.Default || j.PostingStatus == "NOT_PUBLISHED") {
			j.PostingStatus = a.Visibility
		}
	}
}

// ---------------------------------------------------------------- candidates

func (w *world) roundCandidates(f *fake.Faker, t time.Time) {
	for _, c := range fake.Sample(f, w.cands, share(len(w.cands), rateCandEdit)) {
		op := f.Intn(5)
		if c.protected {
			op %= 2
		}
		switch op {
		case 0:
			c.Phone = f.Phone(fake.Pick(f, fake.Countries))
		case 1:
			l := w.genLocation(f, f.Address(), false)
			c.Location = &l
		case 2:
			if tg := f.Word(); !hasTag(c, tg) {
				c.Tags = append(c.Tags, tagVariant(f, tg))
			}
		case 3:
			if len(c.Tags) > 0 {
				k := f.Intn(len(c.Tags))
				c.Tags = slices.Delete(c.Tags, k, k+1)
			}
		default:
			for k := range c.Experience {
				c.Experience[k].Current = false
			}
			c.Experience = append([]experience{{Title: f.JobTitle(), Company: f.Company(), Current: true}}, c.Experience...)
		}
		c.UpdatedOn = t
	}
	var deletable []*candidate
	for _, c := range w.cands {
		if !c.protected {
			deletable = append(deletable, c)
		}
	}
	if len(deletable) > 0 {
		gone := map[*candidate]bool{}
		for _, c := range fake.Sample(f, deletable, share(len(w.cands), rateCandDelete)) {
			gone[c] = true
			c.deleted = true
		}
		w.cands = slices.DeleteFunc(w.cands, func(c *candidate) bool { return gone[c] })
	}
	fresh := []scriptEntry{{status: "NEW"}}
	for i, n := 0, share(len(w.cands), rateCandNew); i < n; i++ {
		c := w.genCandidate(f, t)
		for _, j := range fake.Sample(f, w.jobs, 1+f.Intn(2)) {
			c.Apps = append(c.Apps, w.genApp(f, c, j, t, fresh))
		}
		c.UpdatedOn = t
		w.cands = append(w.cands, c)
	}
	// Existing candidates apply to another job.
	for _, c := range fake.Sample(f, deletable, share(len(w.cands), rateCandApply)) {
		if c.deleted {
			continue
		}
		j := fake.Pick(f, w.jobs)
		if slices.ContainsFunc(c.Apps, func(a *application) bool { return a.job == j }) {
			continue
		}
		c.Apps = append(c.Apps, w.genApp(f, c, j, t, fresh))
		c.UpdatedOn = t
	}
}

// ---------------------------------------------------------------- applications

func terminal(status string) bool {
	switch status {
	case "HIRED", "REJECTED", "WITHDRAWN", "TRANSFERRED":
		return true
	}
	return false
}

func (w *world) roundApplications(f *fake.Faker, t time.Time) {
	var all, active []*application
	for _, c := range w.cands {
		for _, a := range c.Apps {
			if a.protected {
				continue
			}
			all = append(all, a)
			if !terminal(a.Status) {
				active = append(active, a)
			}
		}
	}
	if len(all) == 0 {
		return
	}
	touch := func(a *application) { a.cand.UpdatedOn = t }
	moved := map[*application]bool{}
	// pick samples the active applications no earlier pick took, so each
	// kind of move happens at least once while any is left.
	pick := func(frac float64) []*application {
		active = slices.DeleteFunc(active, func(a *application) bool { return moved[a] })
		out := fake.Sample(f, active, share(len(all), frac))
		for _, a := range out {
			moved[a] = true
		}
		return out
	}
	for _, a := range pick(rateAppAdvance) { // one stage forward
		w.advanceApp(f, a, t)
		touch(a)
	}
	for _, a := range pick(rateAppReject) {
		w.setStatus(f, a, "REJECTED", "", t)
		touch(a)
	}
	for _, a := range pick(rateAppHire) {
		w.setStatus(f, a, "HIRED", "", t)
		if len(a.Offers) > 0 {
			o := a.Offers[len(a.Offers)-1]
			o.Status, o.UpdatedOn = "ACCEPTED", t
		} else {
			a.Offers = append(a.Offers, w.genOffer(f, "ACCEPTED", t, t))
		}
		touch(a)
	}
	for _, a := range pick(rateAppWithdraw) {
		w.setStatus(f, a, "WITHDRAWN", "", t)
		touch(a)
	}
	// Offers added, changed, removed.
	for _, a := range fake.Sample(f, all, share(len(all), rateOfferAdd)) {
		a.Offers = append(a.Offers, w.genOffer(f, "CREATED", t, t))
		touch(a)
	}
	var withOffers, withInterviews []*application
	for _, a := range all {
		if len(a.Offers) > 0 {
			withOffers = append(withOffers, a)
		}
		if len(a.Interviews) > 0 {
			withInterviews = append(withInterviews, a)
		}
	}
	for i, a := range fake.Sample(f, withOffers, share(len(withOffers), rateOfferChange)) {
		o := a.Offers[len(a.Offers)-1]
		if i%2 == 0 {
			a.Offers = a.Offers[:len(a.Offers)-1]
		} else {
			k := slices.Index(offerStatuses, o.Status)
			o.Status, o.UpdatedOn = offerStatuses[(k+1)%len(offerStatuses)], t
		}
		touch(a)
	}
	// Interviews added and removed.
	for _, a := range fake.Sample(f, all, share(len(all), rateInterviewAdd)) {
		a.Interviews = append(a.Interviews, w.genInterview(f, a, t))
		touch(a)
	}
	for _, a := range fake.Sample(f, withInterviews, share(len(withInterviews), rateInterviewDelete)) {
		k := f.Intn(len(a.Interviews))
		a.Interviews = slices.Delete(a.Interviews, k, k+1)
		touch(a)
	}
	// Properties and answers edited.
	for _, a := range fake.Sample(f, all, share(len(all), rateAppProp)) {
		p := w.genProp(f, f.Intn(len(appPropDefs)))
		k := slices.IndexFunc(a.Props, func(x appProp) bool { return x.ID == p.ID })
		if k >= 0 {
			a.Props[k] = p
		} else {
			a.Props = append(a.Props, p)
			sort.Slice(a.Props, func(x, y int) bool { return a.Props[x].ID < a.Props[y].ID })
		}
		touch(a)
	}
	for _, a := range fake.Sample(f, all, share(len(all), rateAppAnswers)) {
		w.genAnswers(f, a)
		touch(a)
	}
}

// advanceApp moves a one stage forward in the funnel.
func (w *world) advanceApp(f *fake.Faker, a *application, t time.Time) {
	proc := w.processOf(a.job)
	next := map[string]string{"LEAD": "NEW", "NEW": "IN_REVIEW", "IN_REVIEW": "INTERVIEW", "INTERVIEW": "OFFERED", "OFFERED": "HIRED"}[a.Status]
	if k := subIndex(a.Status); k >= 0 && len(proc.Sub[k]) > 1 && f.Chance(0.3) {
		next = a.Status // next sub-status of the same status
	}
	if next == "" {
		next = "NEW"
	}
	sub := ""
	if k := subIndex(next); k >= 0 && len(proc.Sub[k]) > 0 {
		subs := proc.Sub[k]
		i := (slices.Index(subs, a.SubStatus) + 1) % len(subs)
		if next != a.Status {
			i = 0
		}
		sub = subs[i]
	}
	w.setStatus(f, a, next, sub, t)
	switch next {
	case "INTERVIEW":
		if f.Chance(0.5) {
			a.Interviews = append(a.Interviews, w.genInterview(f, a, t))
		}
	case "OFFERED":
		if f.Chance(0.5) {
			a.Offers = append(a.Offers, w.genOffer(f, "CREATED", t, t))
		}
	}
}

func (w *world) setStatus(f *fake.Faker, a *application, status, sub string, t time.Time) {
	a.Status, a.SubStatus = status, sub
	a.History = append(a.History, appStatus{ChangedOn: t, Status: status, SubStatus: sub})
	w.setReasons(f, a)
}

// ---------------------------------------------------------------- indexes

// reindex drops deleted records, sorts the lists by id and rebuilds the lookups.
func (w *world) reindex() {
	sort.Slice(w.users, func(i, j int) bool { return w.users[i].ID < w.users[j].ID })
	w.jobs = slices.DeleteFunc(w.jobs, func(j *job) bool { return j.deleted })
	sort.Slice(w.jobs, func(i, j int) bool { return w.jobs[i].ID < w.jobs[j].ID })
	w.cands = slices.DeleteFunc(w.cands, func(c *candidate) bool { return c.deleted || len(c.Apps) == 0 })
	sort.Slice(w.cands, func(i, j int) bool { return w.cands[i].ID < w.cands[j].ID })
	w.userByID = make(map[string]*user, len(w.users))
	for _, u := range w.users {
		w.userByID[u.ID] = u
	}
	w.jobByID = make(map[string]*job, len(w.jobs))
	w.postings = w.postings[:0]
	w.postingByUUID = map[string]*posting{}
	for _, j := range w.jobs {
		w.jobByID[j.ID] = j
		for _, a := range j.Ads {
			if a.Posting != nil {
				w.postings = append(w.postings, a.Posting)
				w.postingByUUID[a.Posting.UUID] = a.Posting
			}
		}
	}
	sort.Slice(w.postings, func(i, j int) bool { return w.postings[i].ID < w.postings[j].ID })
	w.candByID = make(map[string]*candidate, len(w.cands))
	w.appByID = make(map[string]*application, len(w.cands)*3/2)
	for _, c := range w.cands {
		w.candByID[c.ID] = c
		for _, a := range c.Apps {
			w.appByID[a.ID] = a
		}
	}
}
