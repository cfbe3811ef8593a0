package smartrecruiters

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/atslake/atslake/sandbox/fake"
)

// Epoch-0 timestamps lie in [histStart, histEnd).
var (
	histStart = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	histEnd   = time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
)

// Random streams of one seed.
const (
	streamTenant uint64 = iota + 1
	streamUsers
	streamJobs
	streamCandidates
	streamQuirks
	streamRounds = 1000 // + round number
)

// world is the whole state of the simulated tenant.
type world struct {
	seed  int64
	scale int
	epoch int
	lastT time.Time // instant of the latest epoch

	companyName, company, domain string
	roles                        []idLabel
	processes                    []*process
	reasons, withdrawals         []idLabel
	questions                    []*question
	jobPropIDs, appPropIDs       []string
	jobPropValueIDs              [][]string

	users []*user      // sorted by id
	jobs  []*job       // sorted by id
	cands []*candidate // sorted by id; each has at least one application

	userByID      map[string]*user
	jobByID       map[string]*job
	candByID      map[string]*candidate
	appByID       map[string]*application // by applicationId
	postingByUUID map[string]*posting
	postings      []*posting // sorted by id
}

func generate(seed int64, scale int) *world {
	w := &world{seed: seed, scale: scale}
	w.genTenant(fake.New(seed, streamTenant))
	fu := fake.New(seed, streamUsers)
	nUsers := max(10, scale/100)
	for i := 0; i < nUsers; i++ {
		w.users = append(w.users, w.genUser(fu, histStart, histEnd))
	}
	applyUserQuirks(w.users)
	fj := fake.New(seed, streamJobs)
	nJobs := max(3, scale/40)
	for i := 0; i < nJobs; i++ {
		created := fj.Time(histStart, histEnd.AddDate(0, -6, 0))
		w.jobs = append(w.jobs, w.genJob(fj, created, histEnd))
	}
	fq := fake.New(seed, streamQuirks)
	w.applyJobQuirks(fq)
	fc := fake.New(seed, streamCandidates)
	for i := 0; i < scale; i++ {
		c := w.genCandidate(fc, fc.Time(histStart, histEnd.AddDate(0, -3, 0)))
		if i < 3 {
			w.applyCandidateQuirks(fq, c, i)
		} else {
			w.genApps(fc, c, histEnd)
		}
		w.finishCandidate(fc, c, histEnd)
		w.cands = append(w.cands, c)
	}
	w.reindex()
	return w
}

func (w *world) genTenant(f *fake.Faker) {
	for {
		w.companyName = f.Company()
		if fake.Slug(w.companyName, "") != "x" {
			break
		}
	}
	var ident strings.Builder // "Pied Piper" -> "PiedPiper123"
	for _, word := range strings.Fields(fake.Slug(w.companyName, " ")) {
		ident.WriteString(strings.ToUpper(word[:1]) + word[1:])
	}
	w.company = ident.String() + f.Digits(3)
	w.domain = fake.Slug(w.companyName, "-") + ".com"
	w.roles = append(slices.Clone(systemRoles), idLabel{ID: f.Hex(24), Label: customSystemRoleName})
	for _, t := range processTemplates {
		p := &process{ID: f.Hex(24), Name: t.name, Active: t.active}
		for i := range t.sub {
			p.Sub[i] = slices.Clone(t.sub[i])
			if p.Sub[i] == nil {
				p.Sub[i] = []string{}
			}
		}
		w.processes = append(w.processes, p)
	}
	for _, l := range rejectionLabels {
		w.reasons = append(w.reasons, idLabel{ID: f.UUID(), Label: l})
	}
	for _, l := range withdrawalLabels {
		w.withdrawals = append(w.withdrawals, idLabel{ID: f.UUID(), Label: l})
	}
	// Question pool: every template once, then variants, tens of questions in all.
	n := len(questionTemplates) + 4 + w.scale/1000
	for i := 0; i < n; i++ {
		t := questionTemplates[i%len(questionTemplates)]
		label := t.label
		if k := i / len(questionTemplates); k > 0 {
			label = fmt.Sprintf("%s (%s)", t.label, []string{"Engineering", "Sales", "Retail", "Campus"}[(k-1)%4])
		}
		q := &question{ID: f.UUID(), Label: label, Repeatable: t.repeatable, name: fmt.Sprintf("q_%s_%d", fake.Slug(t.label, "_"), i)}
		if len(q.name) > 40 {
			q.name = fmt.Sprintf("q_%d_%s", i, q.ID[:8])
		}
		for _, ft := range t.fields {
			fl := qField{ID: f.UUID(), Label: ft.label, Type: ft.typ, Required: ft.required, Compliance: ft.compliance, Values: []qValue{}}
			for j, v := range ft.values {
				id := fmt.Sprintf("%d", j+1)
				if ft.typ == "CHECKBOX" {
					id = v
				}
				fl.Values = append(fl.Values, qValue{ID: id, Label: v})
			}
			q.Fields = append(q.Fields, fl)
		}
		w.questions = append(w.questions, q)
	}
	for _, d := range jobPropDefs {
		w.jobPropIDs = append(w.jobPropIDs, f.UUID())
		var vids []string
		for range d.values {
			vids = append(vids, f.Hex(8))
		}
		w.jobPropValueIDs = append(w.jobPropValueIDs, vids)
	}
	for range appPropDefs {
		w.appPropIDs = append(w.appPropIDs, f.UUID())
	}
}

// ---------------------------------------------------------------- users

func (w *world) genUser(f *fake.Faker, from, to time.Time) *user {
	p := f.Person()
	u := &user{ID: f.Hex(24), First: p.First, Last: p.Last, Email: f.Email(p, w.domain), Active: f.Chance(0.85), UpdatedOn: f.Time(from, to)}
	switch x := f.Intn(100); {
	case x < 5:
		u.Role = "ADMINISTRATOR"
	case x < 20:
		u.Role = "EXTENDED"
	case x < 65:
		u.Role = "STANDARD"
	case x < 80:
		u.Role = "RESTRICTED"
	case x < 93:
		u.Role = "EMPLOYEE"
	default:
		u.Role = w.roles[len(w.roles)-1].ID
	}
	return u
}

// applyUserQuirks gives the first users invalid e-mails (one of each kind,
// and a valid one with surrounding spaces) and protects them from deletion.
func applyUserQuirks(users []*user) {
	bad := []func(string) string{
		func(e string) string { return strings.Replace(e, "@", ".", 1) },              // no @
		func(e string) string { return strings.Replace(e, "@", "@@", 1) },             // two @
		func(e string) string { return strings.Replace(e, "@", " @", 1) },             // blank inside
		func(e string) string { return e[:strings.IndexByte(e, '@')] + "@localhost" }, // no dot in domain
		func(e string) string { return "  " + e + " " },                               // valid once trimmed
	}
	for i, u := range users {
		if i < len(bad) {
			u.Email = bad[i](u.Email)
		}
		if i < len(bad) {
			u.protected = true
		}
	}
}

// ---------------------------------------------------------------- jobs

var jobFinals = []string{"CREATED", "SOURCING", "SOURCING", "SOURCING", "INTERVIEW", "INTERVIEW", "OFFER", "FILLED", "CANCELLED", "ON_HOLD"}

// step returns t plus a random duration in [lo, hi], capped at horizon. It
// draws the same random numbers whatever t and horizon are, so the data of an
// epoch does not depend on the wall-clock instants of the epochs.
func step(f *fake.Faker, t, horizon time.Time, lo, hi time.Duration) time.Time {
	d := lo + time.Duration(f.R.Int64N(int64(hi-lo)+1))
	if !t.Before(horizon) {
		return horizon
	}
	t = t.Add(d).Truncate(time.Millisecond)
	if t.After(horizon) {
		return horizon
	}
	return t
}

func (w *world) genJob(f *fake.Faker, created, horizon time.Time) *job {
	c := fake.Pick(f, fake.Countries)
	addr := f.AddressIn(c)
	j := &job{
		ID:        f.UUID(),
		Title:     f.JobTitle(),
		Ref:       "REQ-" + f.Digits(5),
		CreatedOn: created,
		Location:  w.genLocation(f, addr, true),
	}
	d := f.Intn(len(departments))
	j.Department = idLabel{ID: fmt.Sprint(1000 + d), Label: departments[d]}
	if f.Chance(0.9) {
		e := fake.Pick(f, employmentTypes)
		j.Employment = &e
	}
	if f.Chance(0.85) {
		x := fake.Pick(f, functions)
		j.Function = &x
	}
	if f.Chance(0.7) {
		x := fake.Pick(f, industries)
		j.Industry = &x
	}
	if f.Chance(0.8) {
		x := fake.Pick(f, experienceLevels)
		j.Experience = &x
	}
	if f.Chance(0.7) {
		lo := float64(f.Between(30, 120) * 1000)
		j.Comp = &compensation{Min: lo, Max: lo + float64(f.Between(5, 40)*1000), Currency: c.Currency, Period: fake.Pick(f, compPeriods)}
	}
	j.Sections = w.genSections(f, j.Title)
	for i, d := range jobPropDefs {
		if f.Chance(0.4) {
			v := f.Intn(len(d.values))
			j.Props = append(j.Props, jobProp{ID: w.jobPropIDs[i], Label: d.label, Value: idLabel{ID: w.jobPropValueIDs[i][v], Label: d.values[v]}})
		}
	}
	if f.Chance(0.7) {
		// Mostly active processes; sometimes a legacy (inactive) one.
		p := w.processes[f.Intn(len(w.processes))]
		j.ProcessID = p.ID
	}
	// Status history.
	final := fake.Pick(f, jobFinals)
	if !horizon.After(created) { // created in an epoch: new requisitions only
		final = fake.Pick(f, []string{"CREATED", "SOURCING"})
	}
	path := []string{"CREATED"}
	switch final {
	case "SOURCING":
		path = append(path, "SOURCING")
	case "INTERVIEW":
		path = append(path, "SOURCING", "INTERVIEW")
	case "OFFER":
		path = append(path, "SOURCING", "INTERVIEW", "OFFER")
	case "FILLED":
		path = append(path, "SOURCING", "INTERVIEW", "OFFER", "FILLED")
	case "CANCELLED":
		path = append(path, "SOURCING", "CANCELLED")
	case "ON_HOLD":
		path = append(path, "SOURCING", "ON_HOLD")
	}
	if len(path) > 2 && f.Chance(0.15) { // put on hold and reopened once
		path = slices.Insert(path, 2, "ON_HOLD", "SOURCING")
	}
	t := created
	for i, s := range path {
		if i > 0 {
			t = step(f, t, horizon, time.Hour, 20*24*time.Hour)
		}
		j.History = append(j.History, jobStatus{ChangedOn: t, Status: s})
	}
	j.Status = final
	w.genTeam(f, j)
	w.genAds(f, j, horizon)
	w.finishJob(f, j, horizon)
	return j
}

func (w *world) genLocation(f *fake.Faker, a fake.Address, forJob bool) location {
	l := location{City: a.City, Region: a.Region, RegionCode: a.RegionCode, Country: a.Country.Name, CountryCode: strings.ToLower(a.Country.Code), PostalCode: a.PostalCode, Address: a.Street}
	switch f.Intn(10) {
	case 0:
		l.Region = "" // region code only
	case 1:
		l.CountryCode = "" // English country name only
	case 2:
		l.Address, l.PostalCode = "", ""
	case 3:
		l.CountryCode = a.Country.Code // upper-case code
	}
	if forJob {
		r := f.Chance(0.2)
		l.Remote = &r
	}
	return l
}

func (w *world) genSections(f *fake.Faker, title string) sections {
	s := sections{
		CompanyDescription: &section{Title: "Company Description", Text: "<p>" + fake.HTMLEscape(w.companyName) + "</p>" + f.HTMLParagraphs(1)},
		JobDescription:     &section{Title: "Job Description", Text: "<h3>" + fake.HTMLEscape(title) + "</h3>" + f.HTMLParagraphs(f.Between(1, 3)) + f.HTMLList(f.Between(2, 4))},
		Qualifications:     &section{Title: "Qualifications", Text: f.HTMLList(f.Between(2, 5))},
	}
	switch f.Intn(4) {
	case 0:
		s.AdditionalInformation = &section{Title: "Additional Information", Text: ""} // empty text
	case 1:
		// no additional information section
	default:
		s.AdditionalInformation = &section{Title: "Additional Information", Text: f.HTMLParagraphs(1)}
	}
	if f.Chance(0.05) {
		s.CompanyDescription = nil
	}
	return s
}

func (w *world) genTeam(f *fake.Faker, j *job) {
	n := f.Between(2, 5)
	members := fake.Sample(f, w.users, n)
	for i, u := range members {
		var role string
		switch {
		case i == 0:
			role = "HIRING_MANAGER"
		case i == 1:
			role = "RECRUITER"
		case f.Chance(0.1):
			role = fake.Pick(f, customTeamRoles)
		default:
			role = fake.Pick(f, standardTeamRoles[2:])
		}
		j.Team = append(j.Team, teamEntry{UserID: u.ID, Role: role})
		if f.Chance(0.05) {
			j.Team = append(j.Team, teamEntry{UserID: u.ID, Role: "INTERVIEW_TEAM"})
		}
	}
	j.Team = dedupTeam(j.Team)
}

func dedupTeam(t []teamEntry) []teamEntry {
	seen := map[teamEntry]bool{}
	out := t[:0]
	for _, e := range t {
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

// genAds gives j one to three job ads, exactly one default. When more than
// one ad is published, the default ad is one of them (so "the posting of the
// default ad" always decides between several postings).
func (w *world) genAds(f *fake.Faker, j *job, horizon time.Time) {
	n := 1
	if x := f.Intn(10); x >= 9 {
		n = 3
	} else if x >= 6 {
		n = 2
	}
	def := f.Intn(n)
	open := j.Status != "CREATED" && j.Status != "CANCELLED" && j.Status != "FILLED"
	defPub := open && f.Chance(0.8)
	others := 0
	for i := 0; i < n; i++ {
		pub := false
		if i == def {
			pub = defPub
		} else if open {
			if defPub {
				pub = f.Chance(0.4)
			} else if others == 0 {
				pub = f.Chance(0.4)
			}
			if pub {
				others++
			}
		}
		j.Ads = append(j.Ads, w.genAd(f, j, i == def, pub, horizon))
	}
}

func (w *world) genAd(f *fake.Faker, j *job, def, pub bool, horizon time.Time) *jobAd {
	created := step(f, j.CreatedOn, horizon, 0, 3*24*time.Hour)
	a := &jobAd{
		ID:        f.UUID(),
		Title:     j.Title,
		Lang:      language{Code: "en", Label: "English"},
		Sections:  w.genSections(f, j.Title),
		CreatedOn: created,
		UpdatedOn: step(f, created, horizon, 0, 30*24*time.Hour),
		Default:   def,
	}
	if !def && f.Chance(0.5) {
		c := fake.Pick(f, fake.Countries)
		a.Lang = language{Code: c.Language, Label: c.LangLabel}
		a.Title = j.Title + " (" + c.Language + ")"
	}
	a.ApplyURL = "https://jobs.smartrecruiters.com/" + w.company + "/" + a.ID + "-" + fake.Slug(a.Title, "-")
	switch x := f.Intn(10); {
	case x < 7:
		a.Visibility = "PUBLIC"
	case x < 9:
		a.Visibility = "INTERNAL"
	default:
		a.Visibility = "PRIVATE"
	}
	if pub {
		w.publish(f, j, a, nil)
	}
	return a
}

// publish gives ad a posting with the given questions (a random sample of
// the pool when nil).
func (w *world) publish(f *fake.Faker, j *job, a *jobAd, qs []*question) {
	if qs == nil {
		qs = fake.Sample(f, w.questions, f.Between(2, 6))
	}
	a.Published = true
	a.Posting = &posting{ID: f.Digits(15), UUID: f.UUID(), Questions: qs, ad: a, job: j}
}

func unpublish(a *jobAd) {
	a.Published = false
	a.Posting = nil
}

// finishJob derives the J1 postingStatus and moves updatedOn past every change.
func (w *world) finishJob(f *fake.Faker, j *job, horizon time.Time) {
	derivePostingStatus(j)
	last := j.CreatedOn
	for _, h := range j.History {
		last = maxTime(last, h.ChangedOn)
	}
	for _, a := range j.Ads {
		last = maxTime(last, a.UpdatedOn)
	}
	j.UpdatedOn = step(f, last, horizon, 0, 10*24*time.Hour)
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// processOf is the job's hiring process: hiringProcessId, else the first active one.
func (w *world) processOf(j *job) *process {
	if j.ProcessID != "" {
		for _, p := range w.processes {
			if p.ID == j.ProcessID {
				return p
			}
		}
	}
	for _, p := range w.processes {
		if p.Active {
			return p
		}
	}
	return w.processes[0]
}

// postingOf is the posting that carries the job's screening questions: the
// default ad's when the job has several, else its only one (nil when none).
func postingOf(j *job) *posting {
	var only *posting
	n := 0
	for _, a := range j.Ads {
		if a.Posting != nil {
			n++
			only = a.Posting
			if a.Default {
				return a.Posting
			}
		}
	}
	if n == 1 {
		return only
	}
	return nil
}

// adsValid reports whether j's ads keep the invariants: exactly one default,
// and the default published whenever more than one ad is.
func adsValid(j *job) bool {
	defs, pub, defPub := 0, 0, false
	for _, a := range j.Ads {
		if a.Default {
			defs++
			defPub = a.Published
		}
		if a.Published {
			pub++
		}
	}
	return defs == 1 && (pub <= 1 || defPub)
}

// applyJobQuirks shapes the first three jobs (protected from deletion):
//   - job 0: standard process by hiringProcessId, two published ads (the
//     default one's posting asks every field type and DIVERSITY questions,
//     the other's a different set), a hiring team with every role, a custom
//     role and a user holding two roles;
//   - job 1: a legacy (inactive) hiring process, one published ad;
//   - job 2: no hiringProcessId, an unpublished default ad and one published
//     non-default ad.
func (w *world) applyJobQuirks(f *fake.Faker) {
	j0, j1, j2 := w.jobs[0], w.jobs[1], w.jobs[2]
	for _, j := range w.jobs[:3] {
		j.protected = true
		j.Ads = nil
		j.History = j.History[:1]
		t := step(f, j.CreatedOn, histEnd, time.Hour, 5*24*time.Hour)
		j.History = append(j.History, jobStatus{ChangedOn: t, Status: "SOURCING"})
		j.Status = "SOURCING"
	}
	j0.ProcessID = w.processes[procStandard].ID
	a := w.genAd(f, j0, true, false, histEnd)
	a.Visibility = "PUBLIC"
	w.publish(f, j0, a, slices.Clone(w.questions[:10]))
	b := w.genAd(f, j0, false, false, histEnd)
	b.Visibility = "INTERNAL"
	w.publish(f, j0, b, []*question{w.questions[3], w.questions[10], w.questions[11], w.questions[12], w.questions[0]})
	j0.Ads = []*jobAd{b, a}
	u := w.users
	j0.Team = []teamEntry{
		{u[5].ID, "HIRING_MANAGER"}, {u[6].ID, "RECRUITER"}, {u[7].ID, "COORDINATOR"},
		{u[5].ID, "INTERVIEW_TEAM"}, {u[1].ID, "INTERVIEW_TEAM"}, {u[8].ID, "EXECUTIVE"},
		{u[9].ID, customTeamRoles[0]},
	}

	j1.ProcessID = w.processes[procLegacy].ID
	j1.History = append(j1.History, jobStatus{ChangedOn: step(f, j1.History[1].ChangedOn, histEnd, time.Hour, 5*24*time.Hour), Status: "INTERVIEW"})
	j1.Status = "INTERVIEW"
	j1.Ads = []*jobAd{w.genAd(f, j1, true, true, histEnd)}

	j2.ProcessID = ""
	c := w.genAd(f, j2, true, false, histEnd)
	d := w.genAd(f, j2, false, true, histEnd)
	j2.Ads = []*jobAd{c, d}
	j2.Team = append(j2.Team, teamEntry{u[2].ID, customTeamRoles[1]}, teamEntry{u[3].ID, "EXECUTIVE"})
	j2.Team = dedupTeam(j2.Team)
	for _, j := range w.jobs[:3] {
		w.finishJob(f, j, histEnd)
	}
}
