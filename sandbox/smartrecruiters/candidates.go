package smartrecruiters

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/atslake/atslake/sandbox/fake"
)

func (w *world) genCandidate(f *fake.Faker, created time.Time) *candidate {
	p := f.Person()
	c := &candidate{ID: f.UUID(), First: p.First, Last: p.Last, CreatedOn: created}
	if f.Chance(0.95) {
		c.Email = f.Email(p, f.PersonalDomain())
	}
	if f.Chance(0.9) {
		c.Phone = f.Phone(p.Country)
	}
	if f.Chance(0.85) {
		country := p.Country
		if f.Chance(0.2) {
			country = fake.Pick(f, fake.Countries)
		}
		l := w.genLocation(f, f.AddressIn(country), false)
		c.Location = &l
	}
	handle := fake.Slug(p.LatinFirst+" "+p.LatinLast, "-")
	var wb web
	if f.Chance(0.5) {
		wb.LinkedIn = "https://www.linkedin.com/in/" + handle + "-" + f.Hex(4)
	}
	if f.Chance(0.1) {
		wb.Facebook = "https://www.facebook.com/" + strings.ReplaceAll(handle, "-", ".")
	}
	if f.Chance(0.15) {
		wb.Twitter = "https://twitter.com/" + strings.ReplaceAll(handle, "-", "_")
	}
	if f.Chance(0.1) {
		wb.Website = "https://" + handle + ".dev"
	}
	if f.Chance(0.05) {
		wb.Skype = "live:" + strings.ReplaceAll(handle, "-", ".")
	}
	if wb != (web{}) {
		c.Web = &wb
	}
	for i, n := 0, f.Between(0, 3); i < n; i++ {
		c.Experience = append(c.Experience, experience{Title: f.JobTitle(), Company: f.Company(), Current: i == 0 && f.Chance(0.6)})
	}
	for _, t := range f.Words(f.Between(0, 4)) {
		c.Tags = append(c.Tags, tagVariant(f, t))
	}
	return c
}

// tagVariant writes t as recruiters type it: sometimes lower- or upper-cased,
// sometimes with surrounding blanks.
func tagVariant(f *fake.Faker, t string) string {
	switch f.Intn(12) {
	case 0:
		return strings.ToLower(t)
	case 1:
		return strings.ToUpper(t)
	case 2:
		return " " + t
	case 3:
		return t + "  "
	}
	return t
}

func tagKey(t string) string { return strings.ToLower(strings.TrimSpace(t)) }

func hasTag(c *candidate, t string) bool {
	for _, x := range c.Tags {
		if tagKey(x) == tagKey(t) {
			return true
		}
	}
	return false
}

func (w *world) genApps(f *fake.Faker, c *candidate, horizon time.Time) {
	n := 1
	if x := f.Intn(100); x >= 95 {
		n = 3
	} else if x >= 75 {
		n = 2
	}
	for _, j := range fake.Sample(f, w.jobs, n) {
		c.Apps = append(c.Apps, w.genApp(f, c, j, horizon, nil))
	}
}

// scriptEntry is one planned status change of an application.
type scriptEntry struct {
	status, sub string
	same        bool // at the same instant as the previous entry
}

var forwardStatuses = []string{"IN_REVIEW", "INTERVIEW", "OFFERED", "HIRED"}

func weighted(f *fake.Faker, weights []int) int {
	total := 0
	for _, x := range weights {
		total += x
	}
	r := f.Intn(total)
	for i, x := range weights {
		if r < x {
			return i
		}
		r -= x
	}
	return len(weights) - 1
}

func (w *world) randomPath(f *fake.Faker, j *job) []scriptEntry {
	proc := w.processOf(j)
	var p []scriptEntry
	if f.Chance(0.1) {
		p = append(p, scriptEntry{status: "LEAD"})
	}
	p = append(p, scriptEntry{status: "NEW"})
	finals := []string{"NEW", "IN_REVIEW", "INTERVIEW", "OFFERED", "HIRED", "REJECTED", "WITHDRAWN", "TRANSFERRED"}
	final := finals[weighted(f, []int{15, 20, 12, 5, 5, 30, 10, 3})]
	depth, exit := -1, ""
	switch final {
	case "NEW":
	case "REJECTED", "WITHDRAWN", "TRANSFERRED":
		exit = final
		depth = weighted(f, []int{40, 35, 20, 5}) - 1
	default:
		depth = slices.Index(forwardStatuses, final)
	}
	deleted := []string{deletedReviewSub, deletedInterviewSub, deletedOfferSub}
	for k := 0; k <= depth; k++ {
		st := forwardStatuses[k]
		if st == "HIRED" {
			p = append(p, scriptEntry{status: st})
			continue
		}
		subs := proc.Sub[k]
		n := 1
		if len(subs) > 1 && f.Chance(0.3) {
			n = 2
		}
		s0 := f.Intn(max(1, len(subs)))
		for i := 0; i < n; i++ {
			e := scriptEntry{status: st}
			if len(subs) > 0 {
				e.sub = subs[(s0+i)%len(subs)]
			}
			if f.Chance(0.01) {
				e.sub = deleted[k]
			}
			p = append(p, e)
		}
	}
	if exit != "" {
		p = append(p, scriptEntry{status: exit})
	}
	for i := 1; i < len(p); i++ {
		p[i].same = f.Chance(0.04)
	}
	return p
}

// genApp creates c's application to j following script (a random path when nil).
func (w *world) genApp(f *fake.Faker, c *candidate, j *job, horizon time.Time, script []scriptEntry) *application {
	a := &application{ID: f.UUID(), cand: c, job: j}
	a.CreatedOn = step(f, maxTime(c.CreatedOn, j.CreatedOn), horizon, 0, 30*24*time.Hour)
	if f.Chance(0.95) {
		a.Source = fake.Pick(f, sources)
	}
	random := script == nil
	if random {
		script = w.randomPath(f, j)
	}
	t := a.CreatedOn
	var reachedInterview, reachedOffer time.Time
	for i, e := range script {
		if i > 0 && !e.same {
			t = step(f, t, horizon, 2*time.Hour, 12*24*time.Hour)
		}
		a.History = append(a.History, appStatus{ChangedOn: t, Status: e.status, SubStatus: e.sub})
		if e.status == "INTERVIEW" && reachedInterview.IsZero() {
			reachedInterview = t
		}
		if (e.status == "OFFERED" || e.status == "HIRED") && reachedOffer.IsZero() {
			reachedOffer = t
		}
	}
	last := a.History[len(a.History)-1]
	a.Status, a.SubStatus = last.Status, last.SubStatus
	w.setReasons(f, a)
	if !reachedOffer.IsZero() && f.Chance(0.45) {
		if f.Chance(0.2) {
			a.Offers = append(a.Offers, w.genOffer(f, fake.Pick(f, []string{"NOT_ACCEPTED", "ABANDONED", "NOT_APPROVED"}), reachedOffer, horizon))
		}
		a.Offers = append(a.Offers, w.genOffer(f, offerStatusFor(f, a.Status), reachedOffer, horizon))
	}
	if !reachedInterview.IsZero() && f.Chance(0.75) {
		a.Interviews = append(a.Interviews, w.genInterview(f, a, reachedInterview))
		if f.Chance(0.15) {
			a.Interviews = append(a.Interviews, w.genInterview(f, a, reachedInterview))
		}
	}
	w.genAnswers(f, a)
	for _, i := range fake.Sample(f, []int{0, 1, 2, 3, 4, 5, 6}, f.Between(0, 3)) {
		a.Props = append(a.Props, w.genProp(f, i))
	}
	sort.Slice(a.Props, func(x, y int) bool { return a.Props[x].ID < a.Props[y].ID })
	if random {
		switch x := f.Intn(100); {
		case x < 8:
			a.History = nil // imported application: no status history
		case x < 25:
			slices.Reverse(a.History) // C4 is not sorted
		}
	}
	return a
}

func (w *world) setReasons(f *fake.Faker, a *application) {
	a.Rejection, a.Withdrawal = nil, nil
	switch a.Status {
	case "REJECTED":
		if f.Chance(0.9) {
			r := fake.Pick(f, w.reasons)
			a.Rejection = &r
		}
	case "WITHDRAWN":
		if f.Chance(0.8) {
			r := fake.Pick(f, w.withdrawals)
			a.Withdrawal = &r
		}
	}
}

func offerStatusFor(f *fake.Faker, appStatus string) string {
	switch appStatus {
	case "HIRED":
		return "ACCEPTED"
	case "REJECTED":
		return "NOT_ACCEPTED"
	case "WITHDRAWN", "TRANSFERRED":
		return "ABANDONED"
	}
	return fake.Pick(f, []string{"CREATED", "PENDING_APPROVAL", "APPROVED", "PENDING_ACCEPTANCE"})
}

func (w *world) genOffer(f *fake.Faker, status string, at, horizon time.Time) *offer {
	o := &offer{ID: f.UUID(), Status: status, CreatedOn: at}
	o.UpdatedOn = step(f, at, horizon, 0, 7*24*time.Hour)
	o.Props = map[string]string{
		"salary":    fmt.Sprint(f.Between(40, 150) * 1000),
		"currency":  fake.Pick(f, []string{"EUR", "USD", "GBP", "JPY", "BRL", "INR"}),
		"startDate": o.CreatedOn.AddDate(0, 1, 0).Format("2006-01-02"),
	}
	if f.Chance(0.3) {
		o.Props["Signing bonus"] = fake.Pick(f, []string{"5 000 €", "$10,000", "none"})
	}
	if f.Chance(0.2) {
		o.Props["Remarques"] = "Offre validée par la direction ✅"
	}
	return o
}

func (w *world) genInterview(f *fake.Faker, a *application, at time.Time) *interview {
	iv := &interview{ID: f.UUID(), JobID: a.job.ID, Location: fake.Pick(f, interviewLocations), Timezone: fake.Pick(f, timezones), CreatedOn: at}
	pool := w.interviewerPool(f, a.job)
	iv.OrganizerID = pool[0]
	start := at
	for i, n := 0, 1+weighted(f, []int{6, 3, 1}); i < n; i++ {
		start = start.Add(time.Duration(f.Between(24, 240)) * time.Hour).Truncate(time.Hour)
		s := &timeslot{
			ID:         f.UUID(),
			Type:       fake.Pick(f, interviewTypes),
			Place:      fake.Pick(f, interviewPlaces),
			Starts:     start,
			Ends:       start.Add(time.Duration(fake.Pick(f, []int{30, 45, 60, 90})) * time.Minute),
			CandStatus: fake.Pick(f, candStatuses),
		}
		if f.Chance(0.7) {
			s.Title = fake.Pick(f, []string{"Technical interview", "Culture chat", "Entretien RH", "一次面接", "Case study 📊", "Hiring manager interview"})
		}
		for _, id := range fake.Sample(f, pool, f.Between(1, 3)) {
			s.Interviewers = append(s.Interviewers, interviewer{ID: id, Status: fake.Pick(f, []string{"accepted", "accepted", "declined", "pending"})})
		}
		iv.Slots = append(iv.Slots, s)
	}
	return iv
}

// interviewerPool is the distinct users of j's hiring team plus two random users.
func (w *world) interviewerPool(f *fake.Faker, j *job) []string {
	var ids []string
	for _, t := range j.Team {
		if !slices.Contains(ids, t.UserID) {
			ids = append(ids, t.UserID)
		}
	}
	for _, u := range fake.Sample(f, w.users, 2) {
		if !slices.Contains(ids, u.ID) {
			ids = append(ids, u.ID)
		}
	}
	return ids
}

var answerTypes = map[string]string{
	"RADIO": "RADIO", "SINGLE_SELECT": "SELECT", "MULTI_SELECT": "SELECT", "INPUT_TEXT": "TEXT",
	"TEXTAREA": "TEXTAREA", "CHECKBOX": "CHECKBOX", "INFORMATION": "ACKNOWLEDGEMENT",
}

func (w *world) genAnswers(f *fake.Faker, a *application) {
	a.Answers = nil
	p := postingOf(a.job)
	if p != nil {
		for _, q := range p.Questions {
			required := slices.ContainsFunc(q.Fields, func(fl qField) bool { return fl.Required })
			if required || f.Chance(0.75) {
				a.Answers = append(a.Answers, w.answerFor(f, q, 0))
			}
		}
	}
	if f.Chance(0.08) || (p == nil && f.Chance(0.2)) {
		a.Answers = append(a.Answers, w.legacyAnswer(f, f.Chance(0.5)))
	}
}

// answerFor answers q; nMulti > 0 forces that many values on a MULTI_SELECT.
func (w *world) answerFor(f *fake.Faker, q *question, nMulti int) answer {
	first := q.Fields[0]
	ans := answer{ID: q.ID, Type: answerTypes[first.Type], Category: "SCREENING", Name: q.name, Label: q.Label}
	if first.Compliance == "DIVERSITY" {
		ans.Category = "DIVERSITY"
	}
	if f.Chance(0.05) {
		ans.Label = "" // title falls back to the name
	}
	nrec := 1
	if q.Repeatable {
		nrec = f.Between(1, 3)
	}
	for r := 0; r < nrec; r++ {
		var rec ansRecord
		for _, fl := range q.Fields {
			rec.Fields = append(rec.Fields, ansField{ID: fl.ID, Label: fl.Label, Values: answerValues(f, fl, nMulti)})
		}
		ans.Records = append(ans.Records, rec)
	}
	return ans
}

func answerValues(f *fake.Faker, fl qField, nMulti int) []ansValue {
	switch fl.Type {
	case "RADIO", "SINGLE_SELECT":
		v := fake.Pick(f, fl.Values)
		return []ansValue{{ID: v.ID, Label: v.Label}}
	case "MULTI_SELECT":
		n := nMulti
		if n == 0 {
			n = f.Between(1, 3)
		}
		var out []ansValue
		for _, v := range fake.Sample(f, fl.Values, n) {
			out = append(out, ansValue(v))
		}
		return out
	case "INPUT_TEXT":
		return []ansValue{{Label: fake.Pick(f, []string{"65 000 €", "$120k + equity", "Negotiable", f.Company(), f.JobTitle(), "2024-09-01", "H-1B"})}}
	case "TEXTAREA":
		return []ansValue{{Label: f.Paragraph(f.Between(1, 3))}}
	case "CHECKBOX":
		checked := f.Chance(0.75)
		switch {
		case f.Chance(0.2) && checked:
			return []ansValue{{Label: "yes"}}
		case f.Chance(0.2):
			return []ansValue{{Label: "no"}}
		case checked:
			return []ansValue{{ID: "true", Label: "Yes"}}
		}
		return []ansValue{{ID: "false", Label: "No"}}
	case "INFORMATION":
		return []ansValue{{ID: "1", Label: "I acknowledge"}}
	}
	return []ansValue{}
}

// legacyAnswer answers a question that no current posting asks (type FILE or DATE).
func (w *world) legacyAnswer(f *fake.Faker, file bool) answer {
	if file {
		return answer{ID: "legacy-portfolio-upload", Type: "FILE", Category: "SCREENING", Name: "q_portfolio_upload", Label: "Upload your portfolio",
			Records: []ansRecord{{Fields: []ansField{{ID: "portfolio-file", Label: "File", Values: []ansValue{{ID: f.Hex(16), Label: "portfolio-" + f.Hex(4) + ".pdf"}}}}}}}
	}
	d := f.Time(histStart, histEnd.AddDate(1, 0, 0)).Format("2006-01-02")
	return answer{ID: "legacy-start-date", Type: "DATE", Category: "SCREENING", Name: "q_start_date", Label: "Earliest possible start date",
		Records: []ansRecord{{Fields: []ansField{{ID: "start-date", Label: "Date", Values: []ansValue{{Label: d}}}}}}}
}

func (w *world) genProp(f *fake.Faker, i int) appProp {
	d := appPropDefs[i]
	p := appProp{ID: w.appPropIDs[i], Label: d.label, Type: d.typ}
	switch d.typ {
	case "CURRENCY":
		amt := f.Between(40, 150) * 1000
		cur := fake.Pick(f, []string{"EUR", "USD", "GBP"})
		p.Value = map[string]any{"amount": amt, "currency": cur}
		p.ValueLabel = fmt.Sprintf("%d %s", amt, cur)
	case "NUMBER":
		p.Value = float64(f.Between(0, 12))
	case "TEXT":
		per := f.Person()
		p.Value = per.First + " " + per.Last
	case "SINGLE_SELECT":
		k := f.Intn(3)
		p.Value = []string{"strong_yes", "yes", "no"}[k]
		p.ValueLabel = []string{"Strong yes 👍", "Yes", "No 👎"}[k]
	case "BOOLEAN":
		p.Value = f.Chance(0.5)
	case "DATE":
		p.Value = f.Time(histStart, histEnd.AddDate(1, 0, 0)).Format("2006-01-02")
	case "MULTI_SELECT":
		p.Value = []string{"go", "sql"}
		p.ValueLabel = "Go, SQL"
	}
	return p
}

// finishCandidate moves the candidate's updatedOn past every change of it
// and of its applications.
func (w *world) finishCandidate(f *fake.Faker, c *candidate, horizon time.Time) {
	last := c.CreatedOn
	for _, a := range c.Apps {
		last = maxTime(last, a.CreatedOn)
		for _, h := range a.History {
			last = maxTime(last, h.ChangedOn)
		}
		for _, o := range a.Offers {
			last = maxTime(last, o.UpdatedOn)
		}
		for _, iv := range a.Interviews {
			last = maxTime(last, iv.CreatedOn)
		}
	}
	c.UpdatedOn = step(f, last, horizon, 0, 3*24*time.Hour)
}

// applyCandidateQuirks builds the three protected quirk candidates (see the
// package tests): several applications each; current sub-statuses only in an
// inactive process or in none; deleted sub-statuses in history; an empty
// status history; offers; every screening answer type; tags differing only in
// case and blanks.
func (w *world) applyCandidateQuirks(f *fake.Faker, c *candidate, i int) {
	c.protected = true
	j0, j1, j2 := w.jobs[0], w.jobs[1], w.jobs[2]
	std, legacy := w.processes[procStandard], w.processes[procLegacy]
	var apps []*application
	switch i {
	case 0:
		c.Tags = []string{"Java", "Remote", "Café ☕"}
		a := w.genApp(f, c, j0, histEnd, []scriptEntry{{status: "NEW"}, {status: "IN_REVIEW", sub: std.Sub[0][0]}, {status: "INTERVIEW", sub: std.Sub[1][1]}, {status: "OFFERED", sub: std.Sub[2][1]}})
		a.Answers = nil
		for k, q := range w.questions[:10] {
			n := 0
			switch k {
			case 2:
				n = 2 // SELECT with several values
			case 8:
				n = 1 // SELECT with one value, MULTI_SELECT in P2
			}
			ans := w.answerFor(f, q, n)
			ans.Label = q.Label
			if k == 4 {
				ans.Type = "Textarea" // types compare case-insensitively
			}
			a.Answers = append(a.Answers, ans)
		}
		a.Answers = append(a.Answers, w.legacyAnswer(f, true), w.legacyAnswer(f, false))
		at := a.History[3].ChangedOn
		a.Offers = []*offer{w.genOffer(f, "NOT_ACCEPTED", at, histEnd), w.genOffer(f, "PENDING_ACCEPTANCE", at, histEnd)}
		iv := w.genInterview(f, a, a.History[2].ChangedOn)
		for len(iv.Slots) < 2 {
			iv.Slots = append(iv.Slots, w.genInterview(f, a, a.History[2].ChangedOn).Slots[0])
		}
		iv.Slots[0].CandStatus, iv.Slots[1].CandStatus = "accepted", "declined"
		iv.Slots[0].Title, iv.Slots[1].Title = "", "Technical interview" // title falls back to the type
		iv.Slots[0].Place = ""                                           // location falls back to the interview's
		a.Interviews = []*interview{iv}
		a.Props = nil
		for k := range appPropDefs {
			a.Props = append(a.Props, w.genProp(f, k))
		}
		b := w.genApp(f, c, j1, histEnd, []scriptEntry{{status: "NEW"}, {status: "IN_REVIEW", sub: legacy.Sub[0][0]}})
		d := w.genApp(f, c, j2, histEnd, []scriptEntry{{status: "NEW"}})
		d.History = nil
		apps = []*application{a, b, d}
	case 1:
		c.Tags = []string{"java ", "REMOTE", "Go"}
		a := w.genApp(f, c, j0, histEnd, []scriptEntry{{status: "NEW"}, {status: "IN_REVIEW", sub: std.Sub[0][0]}, {status: "INTERVIEW", sub: deletedInterviewSub}})
		b := w.genApp(f, c, j2, histEnd, []scriptEntry{{status: "NEW"}, {status: "IN_REVIEW", sub: deletedReviewSub}, {status: "REJECTED"}})
		if b.Rejection == nil {
			r := w.reasons[0]
			b.Rejection = &r
		}
		apps = []*application{a, b}
	case 2:
		c.Tags = []string{" Java", "café ☕"}
		a := w.genApp(f, c, j1, histEnd, []scriptEntry{{status: "NEW"}, {status: "IN_REVIEW", sub: legacy.Sub[0][1], same: true}, {status: "INTERVIEW", sub: legacy.Sub[1][0]}, {status: "OFFERED", sub: legacy.Sub[2][0]}, {status: "HIRED", same: true}})
		a.Offers = []*offer{w.genOffer(f, "ACCEPTED", a.History[3].ChangedOn, histEnd)}
		b := w.genApp(f, c, j0, histEnd, []scriptEntry{{status: "NEW"}, {status: "IN_REVIEW", sub: std.Sub[0][1]}, {status: "WITHDRAWN"}})
		if b.Withdrawal == nil {
			r := w.withdrawals[0]
			b.Withdrawal = &r
		}
		apps = []*application{a, b}
	}
	for _, a := range apps {
		a.protected = true
	}
	c.Apps = apps
}
