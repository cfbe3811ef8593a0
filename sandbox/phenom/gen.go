package phenom

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/atslake/atslake/sandbox/fake"
)

// The simulated tenant.
const (
	tenantDomain = "lumenhealth.com"
	agencyDomain = "talentbridge.io"
	careersURL   = "https://careers.lumenhealth.com"
)

// Random streams of one (seed, scale); epoch round r uses streamEpoch+r.
const (
	streamTime = iota + 1
	streamPeople
	streamJobs
	streamCands
	streamApps
	streamEpoch = 1 << 16
)

// faker returns the generator of one stream of (seed, scale).
func faker(seed int64, scale int, stream uint64) *fake.Faker {
	return fake.New(seed, uint64(scale)<<32^stream)
}

// Sizes in proportion to the scale (the number of candidates).
func jobsFor(scale int) int   { return max(10, (scale+20)/40) }
func peopleFor(scale int) int { return max(10, scale/100) }

// appsFor returns about 1.3 applications per candidate, a multiple of 100,
// enough for every candidate to have one besides the quirk applications.
func appsFor(scale int) int {
	n := (13*scale + 500) / 1000 * 100
	if need := scale + quirkApps; n < need {
		n = (need + 99) / 100 * 100
	}
	return max(100, n)
}

// MinScale is the smallest scale (number of candidates) New accepts: the
// quirk candidates need a few of them.
const MinScale = 5

// quirkCands is the number of quirk candidates; quirkApps the applications
// beyond one per regular candidate that the quirks need.
const (
	quirkCands = 3
	quirkApps  = 3*2 + 4 - quirkCands
)

func slug(s string) string { return fake.Slug(s, "-") }

var (
	localesOf  = map[string]string{"US": "en_US", "GB": "en_GB", "DE": "de_DE", "FR": "fr_FR", "ES": "es_ES", "JP": "ja_JP"}
	categories = []string{"Engineering", "Nursing", "Sales", "Marketing", "Finance", "Operations",
		"Human Resources", "Customer Service", "Research & Development", "Legal", "Pharmacy", "Supply Chain"}
	departments = []string{"Platform Engineering", "Clinical Operations", "EMEA Sales", "Vertrieb DACH",
		"Finance & Controlling", "Ressources humaines", "Patient Experience", "研究開発部", "Data & Analytics",
		"Logística", "Corporate Legal", "Pflege – Station 3B"}
	jobTypes = []struct {
		text string
		w    int
	}{{"Full time", 55}, {"Full-Time", 8}, {"Part time", 10}, {"part-time", 3}, {"Contract", 6},
		{"Temporary", 4}, {"Internship", 4}, {"Intern", 1}, {"Seasonal", 3}, {"Freelance", 3}, {"Werkstudent", 3}}
	hiringStatuses = []struct {
		text string
		w    int
	}{{hsApplied, 30}, {hsScreening, 18}, {hsInterview, 14}, {hsOffer, 5}, {hsHired, 9}, {hsRejected, 17}, {hsWithdrawn, 7}}
	sources = []string{"LinkedIn", "Indeed", "Career Site", "Employee Referral", "Glassdoor", "Agency",
		"StepStone", "Xing", "Welcome to the Jungle", "Job Fair 🎓", "Talent Community"}
	deviceTypes = []string{"Mobile", "Mobile", "Mobile", "Home", "Work"}
	middleNames = []string{"Marie", "José", "Anne", "J.", "Lee", "Sophie"}
)

// weighted picks a text by weight.
func weighted(f *fake.Faker, xs []struct {
	text string
	w    int
}) string {
	total := 0
	for _, x := range xs {
		total += x.w
	}
	n := f.Intn(total)
	for _, x := range xs {
		if n < x.w {
			return x.text
		}
		n -= x.w
	}
	return xs[len(xs)-1].text
}

// generate builds the tenant at epoch 0 of (seed, scale).
func generate(seed int64, scale int) *state {
	tf := faker(seed, scale, streamTime)
	s := &state{
		seed:  seed,
		scale: scale,
		t0:    time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC).AddDate(0, 0, tf.Intn(180)).Add(time.Duration(tf.Intn(36000)) * time.Second),
	}
	s.genPeople(faker(seed, scale, streamPeople))
	q := s.genJobs(faker(seed, scale, streamJobs))
	s.genApps(faker(seed, scale, streamCands), faker(seed, scale, streamApps), q)
	return s
}

// newPerson returns a staff member with an e-mail no one else has.
func (s *state) newPerson(f *fake.Faker, taken map[string]bool) person {
	for i := 0; ; i++ {
		p := f.Person()
		domain := tenantDomain
		if f.Chance(0.15) {
			domain = agencyDomain
		}
		email := f.Email(p, domain)
		if i > 5 {
			local, dom, _ := strings.Cut(email, "@")
			email = local + f.Digits(3) + "@" + dom
		}
		if !taken[email] {
			taken[email] = true
			return person{email: email, name: p.First + " " + p.Last}
		}
	}
}

func (s *state) genPeople(f *fake.Faker) {
	taken := map[string]bool{}
	for range peopleFor(s.scale) {
		s.people = append(s.people, s.newPerson(f, taken))
	}
}

// randomTeam draws a hiring team from the staff.
func (s *state) randomTeam(f *fake.Faker) team {
	hm := fake.Pick(f, s.people)
	t := team{hmEmail: hm.email, hmName: hm.name}
	switch r := f.Intn(100); {
	case r < 3:
		t.hmEmail = "" // a name without an e-mail
	case r < 5:
		t.hmEmail, t.hmName = "", ""
	}
	switch r := f.Intn(100); {
	case r < 10:
		t.mode = recMissing
	case r < 17:
		t.mode = recNull
	case r < 24:
		t.mode = recEmpty
	default:
		t.mode = recList
		for _, p := range fake.Sample(f, s.people, f.Between(1, 3)) {
			if p.email == hm.email && !f.Chance(0.3) {
				continue
			}
			t.recs = append(t.recs, recruiterOf(f, p))
		}
		if len(t.recs) == 0 {
			t.mode = recEmpty
		}
	}
	return t
}

// recruiterOf returns p as a multiRecruiter entry (sometimes without a name).
func recruiterOf(f *fake.Faker, p person) wireRecruiter {
	r := wireRecruiter{RecruiterEmail: p.email, RecruiterName: p.name}
	if f.Chance(0.1) {
		r.RecruiterName = ""
	}
	return r
}

// newJob returns a job with random details created at created (no id yet).
func (s *state) newJob(f *fake.Faker, created time.Time) *job {
	addr := f.Address()
	j := &job{
		title:       f.JobTitle(),
		category:    fake.Pick(f, categories),
		department:  fake.Pick(f, departments),
		typ:         weighted(f, jobTypes),
		status:      statusOpen,
		site:        siteExternal,
		city:        addr.City,
		state:       addr.Region,
		country:     addr.Country.Name,
		postal:      addr.PostalCode,
		created:     created,
		posted:      created.Add(time.Duration(f.Intn(14*24)) * time.Hour),
		team:        s.randomTeam(f),
		locales:     []string{localeDefault},
		description: f.HTMLParagraphs(f.Between(1, 3)) + f.HTMLList(f.Between(3, 5)),
	}
	if f.Chance(0.1) {
		j.department = ""
	}
	if f.Chance(0.08) {
		j.postal = ""
	}
	if f.Chance(0.1) {
		j.state = ""
	}
	if f.Chance(0.1) {
		j.description += "<p>🚀 " + f.Sentence() + "</p>"
	}
	// Some jobs are posted in a second locale, or only in a local one.
	local := localesOf[addr.Country.Code]
	switch r := f.Intn(100); {
	case r < 4 && local != "" && local != localeDefault:
		j.locales = []string{local, localeDefault}
	case r < 8:
		j.locales = []string{localeDefault, fake.Pick(f, []string{"de_DE", "fr_FR", "es_ES"})}
	case r < 10 && local != "" && local != localeDefault:
		j.locales = []string{local}
	}
	return j
}

// quirkJobs are the pinned jobs carrying the job quirks.
type quirkJobs struct {
	internal, deleted, closed *job
}

// genJobs creates the jobs of epoch 0, the quirk jobs among them.
func (s *state) genJobs(f *fake.Faker) quirkJobs {
	n := jobsFor(s.scale)
	from, to := s.t0.AddDate(-1, 0, 0), s.t0.AddDate(0, 0, -20)
	created := func() time.Time { return f.Time(from, to) }
	p := s.people
	upperCaseVariant := func(e string) string { // " Anna.Schmidt@Lumenhealth.COM "
		local, dom, _ := strings.Cut(e, "@")
		parts := strings.Split(local, ".")
		for i, x := range parts {
			if x != "" {
				parts[i] = strings.ToUpper(x[:1]) + x[1:]
			}
		}
		return " " + strings.Join(parts, ".") + "@" + strings.ToUpper(dom) + " "
	}
	taken := map[string]bool{}
	for _, x := range p {
		taken[x.email] = true
	}
	internalOnly, closedOnly := s.newPerson(f, taken), s.newPerson(f, taken)

	var quirks []*job
	quirk := func(locales []string, t team) *job {
		j := s.newJob(f, created())
		j.locales, j.team, j.pinned = locales, t, true
		j.status, j.site = statusOpen, siteExternal
		quirks = append(quirks, j)
		return j
	}
	// Listed under two locales, the non-default copy first; that copy names
	// an extra recruiter (a sync keeps the en_US copy, so that recruiter is
	// not a user). The hiring manager's e-mail is in mixed case with spaces;
	// multiRecruiter is missing.
	q1 := quirk([]string{"de_DE", localeDefault}, team{hmEmail: upperCaseVariant(p[0].email), hmName: p[0].name, mode: recMissing})
	q1.alt = map[string]team{"de_DE": {hmEmail: q1.team.hmEmail, hmName: q1.team.hmName, mode: recList,
		recs: []wireRecruiter{{RecruiterEmail: "recruiting.dach@" + tenantDomain, RecruiterName: "Recruiting DACH"}}}}
	// Two locales, default first; a hiring manager name without an e-mail; multiRecruiter null.
	quirk([]string{localeDefault, "fr_FR"}, team{hmEmail: "", hmName: p[2].name, mode: recNull})
	// The first hiring manager again, in lower case; multiRecruiter empty.
	quirk([]string{localeDefault}, team{hmEmail: p[0].email, hmName: p[0].name, mode: recEmpty})
	// A blank e-mail in the middle of multiRecruiter.
	quirk([]string{localeDefault}, team{hmEmail: p[3].email, hmName: p[3].name, mode: recList, recs: []wireRecruiter{
		{RecruiterEmail: p[1].email, RecruiterName: p[1].name},
		{RecruiterEmail: "", RecruiterName: p[4].name},
		{RecruiterEmail: "  ", RecruiterName: "Talent Team"},
		{RecruiterEmail: p[4].email},
	}})
	// The hiring manager repeated as a recruiter (in upper case), and a
	// recruiter's e-mail in upper case with spaces.
	quirk([]string{localeDefault}, team{hmEmail: p[5].email, hmName: p[5].name, mode: recList, recs: []wireRecruiter{
		{RecruiterEmail: p[6].email, RecruiterName: p[6].name},
		{RecruiterEmail: strings.ToUpper(p[5].email), RecruiterName: p[5].name},
		{RecruiterEmail: " " + strings.ToUpper(p[1].email) + " ", RecruiterName: p[1].name},
	}})
	var q quirkJobs
	// An internal job (its recruiter appears on no external job), a deleted and a closed one.
	q.internal = quirk([]string{localeDefault, "de_DE"}, team{hmEmail: p[7].email, hmName: p[7].name, mode: recList,
		recs: []wireRecruiter{{RecruiterEmail: internalOnly.email, RecruiterName: internalOnly.name}}})
	q.internal.site = siteInternal
	q.deleted = quirk([]string{localeDefault}, team{hmEmail: p[8].email, hmName: p[8].name, mode: recMissing})
	q.deleted.deleted = true
	q.closed = quirk([]string{localeDefault}, team{hmEmail: closedOnly.email, hmName: closedOnly.name, mode: recEmpty})
	q.closed.status = statusClosed

	jobs := quirks
	for range n - len(quirks) {
		j := s.newJob(f, created())
		switch r := f.Intn(100); {
		case r < 12:
			j.site = siteInternal
		case r < 16:
			j.status = statusClosed
		case r < 19:
			j.deleted = true
		case r < 27:
			j.status = statusOnHold
		}
		jobs = append(jobs, j)
	}
	slices.SortStableFunc(jobs, func(a, b *job) int { return a.created.Compare(b.created) })
	for _, j := range jobs {
		s.assignJobID(j)
	}
	s.jobs = jobs
	return q
}

// assignJobID gives j the next job id and requisition id.
func (s *state) assignJobID(j *job) {
	s.nextJob++
	j.id = fmt.Sprintf("JR%d", 100000+s.nextJob)
	j.reqID = fmt.Sprintf("REQ-%d-%04d", j.created.Year(), s.nextJob)
}

// newCand returns a candidate with random details and the next candidate id.
func (s *state) newCand(f *fake.Faker) *cand {
	s.nextCand++
	id := fmt.Sprintf("PC%d", 3100000000+s.nextCand)
	p := f.Person()
	addr := f.AddressIn(p.Country)
	code, number, _ := strings.Cut(f.Phone(p.Country), " ")
	c := &cand{id: id, data: candidateData{
		CandidateID:     id,
		FirstName:       p.First,
		LastName:        p.Last,
		CurrentCompany:  f.Company(),
		CurrentJobTitle: f.JobTitle(),
		ContactData: contactData{
			Email:            f.Email(p, f.PersonalDomain()),
			CountryPhoneCode: code,
			PhoneNumber:      number,
			DeviceType:       fake.Pick(f, deviceTypes),
			City:             addr.City,
			State:            addr.Region,
			Country:          addr.Country.Name,
			ZipCode:          addr.PostalCode,
		},
	}}
	cd := &c.data.ContactData
	if f.Chance(0.1) {
		c.data.MiddleName = fake.Pick(f, middleNames)
	}
	if f.Chance(0.2) {
		cd.CountryPhoneCode = strings.TrimPrefix(cd.CountryPhoneCode, "+")
	}
	if f.Chance(0.05) {
		cd.PhoneNumber, cd.DeviceType = "", ""
	} else if f.Chance(0.05) {
		cd.PhoneExtension = f.Digits(3)
	}
	if f.Chance(0.02) { // not a valid address
		cd.Email = fake.Pick(f, []string{"n/a", strings.Replace(cd.Email, "@", " at ", 1), strings.Replace(cd.Email, "@", "@@", 1)})
	}
	if f.Chance(0.1) {
		c.data.CurrentCompany = ""
	}
	return c
}

// changeDetails changes some of c's details (a new e-mail, phone, employer or title).
func changeDetails(f *fake.Faker, c *cand) {
	cd := &c.data.ContactData
	switch f.Intn(4) {
	case 0:
		local, _, _ := strings.Cut(cd.Email, "@")
		cd.Email = local + f.Digits(2) + "@" + f.PersonalDomain()
	case 1:
		cd.PhoneNumber = f.Digits(3) + " " + f.Digits(7)
	case 2:
		c.data.CurrentCompany = f.Company()
	default:
		c.data.CurrentJobTitle = f.JobTitle()
	}
}

// jobPools are the jobs applications are drawn to, by kind.
type jobPools struct {
	external, internal, closed, deleted []*job
}

func (s *state) pools() jobPools {
	var p jobPools
	for _, j := range s.jobs {
		switch {
		case j.deleted:
			p.deleted = append(p.deleted, j)
		case j.status == statusClosed:
			p.closed = append(p.closed, j)
		case j.site == siteInternal:
			p.internal = append(p.internal, j)
		default:
			p.external = append(p.external, j)
		}
	}
	return p
}

// pickJob draws the job id of a regular application: mostly a listed
// external job, sometimes an internal, closed or deleted job or JOBID.
func (p jobPools) pickJob(f *fake.Faker) (string, *job) {
	r := f.Intn(1000)
	pick := func(js []*job) (string, *job) {
		if len(js) == 0 {
			js = p.external
		}
		j := fake.Pick(f, js)
		return j.id, j
	}
	switch {
	case r < 860:
		return pick(p.external)
	case r < 930:
		return pick(p.internal)
	case r < 960:
		return pick(p.closed)
	case r < 990:
		return pick(p.deleted)
	}
	return placeholderJobID, nil
}

// newApp returns an application of c to jobID with random state, applied
// within [from, to) and updated no later than to (no id yet).
func newApp(f *fake.Faker, c *cand, jobID string, from, to time.Time) *app {
	applied := f.Time(from, to)
	updated := applied
	status := weighted(f, hiringStatuses)
	if status != hsApplied || f.Chance(0.5) {
		updated = f.Time(applied, to)
	}
	a := &app{w: wireApp{
		JobID:         jobID,
		CandidateID:   c.id,
		HiringStatus:  status,
		AppliedDate:   formatTime(applied),
		UpdatedDate:   formatTime(updated),
		Source:        fake.Pick(f, sources),
		CandidateData: c.data,
	}}
	if f.Chance(0.01) {
		a.w.CandidateData.CandidateID = ""
	}
	return a
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// assignAppID gives a the next application id.
func (s *state) assignAppID(a *app) {
	s.nextApp++
	a.w.ApplicationID = fmt.Sprintf("JA%d", 2400000000+s.nextApp)
}

// genApps creates the candidates and applications of epoch 0.
func (s *state) genApps(cf, af *fake.Faker, q quirkJobs) {
	pools := s.pools()
	end := s.t0
	window := func(j *job) time.Time {
		if j == nil || j.posted.Before(end.AddDate(0, -10, 0)) {
			return end.AddDate(0, -10, 0)
		}
		return j.posted
	}
	var apps []*app
	add := func(c *cand, jobID string, j *job, pinned bool) *app {
		a := newApp(af, c, jobID, window(j), end)
		a.pinned = pinned
		apps = append(apps, a)
		return a
	}
	regular := make([]*cand, 0, s.scale-quirkCands)
	for range s.scale - quirkCands {
		regular = append(regular, s.newCand(cf))
	}
	// Quirk candidates: A applied twice with changed details, the
	// application with the smaller id updated later; B applied twice, both
	// updated at the same instant with different details; C's first
	// application has no candidateData.candidateId.
	ca, cb, cc := s.newCand(cf), s.newCand(cf), s.newCand(cf)
	for _, c := range []*cand{ca, cb, cc} {
		c.pinned = true
	}
	// Jobs posted early enough for two applications before the quirk dates.
	var early []*job
	for _, j := range pools.external {
		if j.posted.Before(end.AddDate(0, 0, -60)) {
			early = append(early, j)
		}
	}
	if len(early) < 2 {
		early = pools.external
	}
	twice := func(c *cand) (*app, *app) {
		js := fake.Sample(af, early, 2)
		j1, j2 := js[0], js[1]
		if j2.posted.Before(j1.posted) {
			j1, j2 = j2, j1
		}
		a1, a2 := add(c, j1.id, j1, true), add(c, j2.id, j2, true)
		a1.w.HiringStatus, a2.w.HiringStatus = hsScreening, hsInterview
		applied1 := later(j1.posted, end.AddDate(0, 0, -200)).Add(time.Hour)
		a1.w.AppliedDate = formatTime(applied1)
		a2.w.AppliedDate = formatTime(later(j2.posted, applied1).Add(26 * time.Hour))
		return a1, a2
	}
	a1, a2 := twice(ca)
	a2.w.UpdatedDate = formatTime(end.AddDate(0, 0, -20))
	changeDetails(cf, ca)
	ca.data.ContactData.Email = "new." + ca.data.ContactData.Email
	a1.w.CandidateData = ca.data
	a1.w.UpdatedDate = formatTime(end.AddDate(0, 0, -3))

	b1, b2 := twice(cb)
	tie := formatTime(end.AddDate(0, 0, -7).Add(-90 * time.Minute))
	b1.w.UpdatedDate, b2.w.UpdatedDate = tie, tie
	cb.data.CurrentJobTitle = "Lead " + cb.data.CurrentJobTitle
	b2.w.CandidateData = cb.data

	c1, _ := twice(cc)
	c1.w.CandidateData.CandidateID = ""

	// Applications to JOBID and to an internal, a deleted and a closed job.
	for _, t := range []struct {
		id string
		j  *job
	}{{placeholderJobID, nil}, {q.internal.id, q.internal}, {q.deleted.id, q.deleted}, {q.closed.id, q.closed}} {
		add(fake.Pick(af, regular), t.id, t.j, true)
	}
	// One application per regular candidate, then the rest at random.
	for _, c := range regular {
		id, j := pools.pickJob(af)
		add(c, id, j, false)
	}
	for len(apps) < appsFor(s.scale) {
		id, j := pools.pickJob(af)
		add(fake.Pick(af, regular), id, j, false)
	}
	// List order: by application date; ids in that order.
	slices.SortStableFunc(apps, func(a, b *app) int { return strings.Compare(a.w.AppliedDate, b.w.AppliedDate) })
	for _, a := range apps {
		s.assignAppID(a)
	}
	s.apps = apps
	s.cands = append(regular, ca, cb, cc)
}
