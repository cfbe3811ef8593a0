package smartrecruiters

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// A reference full sync written against the wire shapes only: it reads every
// endpoint of the sandbox through its HTTP handler and derives the remote ids
// of every unified table by the mapping of the spec. The truth must equal it.

type (
	jIDLabel struct{ ID, Label string }
	jUser    struct {
		ID, FirstName, LastName, Email string
		Active                         bool
		SystemRole                     struct{ ID, Name string }
		UpdatedOn                      string
	}
	jProcess struct {
		ID, Name    string
		Active      bool
		SubStatuses map[string][]string
	}
	jJob struct {
		ID, Title, RefNumber, CreatedOn, UpdatedOn, Status, PostingStatus string
		HiringProcessID                                                   string
		Properties                                                        []struct {
			ID, Label string
			Value     jIDLabel
		}
	}
	jTeam struct{ ID, Role string }
	jAd   struct {
		ID, Title, PostingStatus, Visibility, ApplyURL string
		Default                                        bool
	}
	jAssign struct {
		Job                                   struct{ ID, Title string }
		Status, SubStatus, Source             string
		ReasonOfRejection, ReasonOfWithdrawal *jIDLabel
	}
	jCandSummary struct {
		ID, FirstName, LastName, Email, CreatedOn, UpdatedOn string
		Tags                                                 []string
		PrimaryAssignment                                    jAssign
		SecondaryAssignments                                 []jAssign
	}
	jCand struct {
		jCandSummary
		PhoneNumber string
	}
	jApp struct {
		ApplicationID, CandidateID, JobID, Status, SubStatus string
	}
	jHist   struct{ ChangedOn, Status, SubStatus string }
	jAnswer struct {
		ID, Type, Category, Name, Label string
		Records                         []struct {
			Fields []struct {
				ID, Label string
				Values    []struct{ ID, Label string }
			}
		}
	}
	jOffer     struct{ ID, Status, CreatedOn, UpdatedOn string }
	jInterview struct {
		ID, JobID string
		Timeslots []struct {
			ID, Title, InterviewType, Place, CandidateStatus string
			Interviewers                                     []struct{ ID, Status string }
		}
	}
	jPosting  struct{ ID, UUID, JobAdID, RefNumber, Name string }
	jQuestion struct {
		ID, Label  string
		Repeatable bool
		Fields     []struct {
			ID, Label, Type, ComplianceType string
			Required                        bool
			Values                          []jIDLabel
		}
	}
)

type crawlApp struct {
	cand    string
	job     string
	c3      jApp
	history []jHist
	answers []jAnswer
	props   []json.RawMessage
	offers  []jOffer
	ivs     []jInterview
}

// crawl is everything a full sync reads.
type crawl struct {
	roles     []jIDLabel
	users     []jUser
	processes []jProcess
	reasons   []jIDLabel
	jobs      []jJob // J2 details, in J1 order
	teams     map[string][]jTeam
	ads       map[string][]jAd
	jobHist   map[string][]struct{ ChangedOn, Status string }
	postings  []jPosting
	questions map[string][]jQuestion // by posting uuid
	cands     []jCand                // C2, in C1 order
	summaries []jCandSummary         // C1
	apps      []*crawlApp
	requests  int
}

type crawler struct {
	t    testing.TB
	h    http.Handler
	auth http.Header
	n    int
}

func newCrawler(t testing.TB, h http.Handler) *crawler {
	return &crawler{t: t, h: h, auth: http.Header{"X-Smarttoken": {"sandbox-token"}}}
}

// get decodes GET path into out and returns the status (failing on 5xx).
func (c *crawler) get(path string, out any) int {
	c.t.Helper()
	c.n++
	req := httptest.NewRequest("GET", path, nil)
	for k, v := range c.auth {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		return rec.Code
	}
	if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
		c.t.Fatalf("GET %s: decode: %v\n%s", path, err, rec.Body.String())
	}
	return rec.Code
}

func (c *crawler) mustGet(path string, out any) {
	c.t.Helper()
	if code := c.get(path, out); code != 200 {
		c.t.Fatalf("GET %s: status %d", path, code)
	}
}

// pages walks a cursor list with limit and returns the raw items.
func pages[T any](c *crawler, path string, limit int) []T {
	c.t.Helper()
	var all []T
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	next := ""
	for n := 0; ; n++ {
		p := path + sep + "limit=" + strconv.Itoa(limit)
		if next != "" {
			p += "&pageId=" + url.QueryEscape(next)
		}
		var page struct {
			TotalFound int
			NextPageID string
			Content    []T
		}
		c.mustGet(p, &page)
		all = append(all, page.Content...)
		if page.NextPageID == "" {
			if len(all) != page.TotalFound {
				c.t.Fatalf("%s: read %d items, totalFound %d", path, len(all), page.TotalFound)
			}
			return all
		}
		if n > 100000 {
			c.t.Fatalf("%s: paging does not end", path)
		}
		next = page.NextPageID
	}
}

func doCrawl(t testing.TB, h http.Handler) *crawl {
	c := newCrawler(t, h)
	out := &crawl{teams: map[string][]jTeam{}, ads: map[string][]jAd{}, jobHist: map[string][]struct{ ChangedOn, Status string }{}, questions: map[string][]jQuestion{}}
	var roles struct{ Content []struct{ ID, Name string } }
	c.mustGet("/user-api/v201804/system-roles", &roles)
	for _, r := range roles.Content {
		out.roles = append(out.roles, jIDLabel{r.ID, r.Name})
	}
	out.users = pages[jUser](c, "/user-api/v201804/users", 7)
	var procs struct{ Content []jProcess }
	c.mustGet("/configuration/hiring-processes", &procs)
	out.processes = procs.Content
	var reasons struct{ Content []jIDLabel }
	c.mustGet("/configuration/rejection-reasons", &reasons)
	out.reasons = reasons.Content
	for _, s := range pages[struct{ ID string }](c, "/jobs?sort=job_id", 3) {
		var d jJob
		c.mustGet("/jobs/"+s.ID, &d)
		out.jobs = append(out.jobs, d)
		var team struct{ Content []jTeam }
		c.mustGet("/jobs/"+s.ID+"/hiring-team", &team)
		out.teams[s.ID] = team.Content
		var ads []jAd
		c.mustGet("/jobs/"+s.ID+"/jobads", &ads)
		out.ads[s.ID] = ads
		var hist struct {
			Content []struct{ ChangedOn, Status string }
		}
		c.mustGet("/jobs/"+s.ID+"/status/history", &hist)
		out.jobHist[s.ID] = hist.Content
	}
	var company struct{ Identifier string }
	c.mustGet("/configuration/company", &company)
	for offset := 0; ; {
		var p struct {
			TotalFound, Limit, Offset int
			Content                   []jPosting
		}
		c.mustGet(fmt.Sprintf("/v1/companies/%s/postings?limit=4&offset=%d", url.PathEscape(company.Identifier), offset), &p)
		out.postings = append(out.postings, p.Content...)
		offset += len(p.Content)
		if len(p.Content) == 0 || offset >= p.TotalFound {
			break
		}
	}
	for _, p := range out.postings {
		var cfg struct{ Questions []jQuestion }
		c.mustGet("/postings/"+p.UUID+"/configuration", &cfg)
		out.questions[p.UUID] = cfg.Questions
	}
	out.summaries = pages[jCandSummary](c, "/candidates", 9)
	for _, s := range out.summaries {
		var d jCand
		c.mustGet("/candidates/"+s.ID, &d)
		out.cands = append(out.cands, d)
		for _, as := range append([]jAssign{d.PrimaryAssignment}, d.SecondaryAssignments...) {
			a := &crawlApp{cand: s.ID, job: as.Job.ID}
			base := "/candidates/" + s.ID + "/jobs/" + as.Job.ID
			c.mustGet(base, &a.c3)
			var h struct{ Content []jHist }
			c.mustGet(base+"/status/history", &h)
			a.history = h.Content
			var ans struct{ Content []jAnswer }
			c.mustGet(base+"/screening-answers", &ans)
			a.answers = ans.Content
			var props struct{ Content []json.RawMessage }
			c.mustGet(base+"/properties", &props)
			a.props = props.Content
			var offers struct{ Content []jOffer }
			c.mustGet(base+"/offers", &offers)
			a.offers = offers.Content
			var ivs struct{ Content []jInterview }
			c.mustGet("/interviews-api/v201904/interviews?applicationId="+url.QueryEscape(a.c3.ApplicationID), &ivs)
			a.ivs = ivs.Content
			out.apps = append(out.apps, a)
		}
	}
	out.requests = c.n
	return out
}

// remoteIDs maps the crawl to the remote ids of every table, by the spec's mapping.
func (cr *crawl) remoteIDs() map[string][]string {
	t := map[string][]string{}
	add := func(table, id string) { t[table] = append(t[table], id) }
	for _, name := range truthTables {
		t[name] = []string{}
	}
	for _, r := range cr.roles {
		add("roles", "SYSTEM:"+r.ID)
	}
	for _, u := range cr.users {
		add("users", u.ID)
		add("user_roles", u.ID+":SYSTEM:"+u.SystemRole.ID)
	}
	for _, r := range cr.reasons {
		add("rejection_reasons", r.ID)
	}
	statuses := []string{"LEAD", "NEW", "IN_REVIEW", "INTERVIEW", "OFFERED", "HIRED", "REJECTED", "WITHDRAWN", "TRANSFERRED"}
	for _, s := range statuses {
		add("application_stages", s)
	}
	for _, p := range cr.processes {
		for st, labels := range p.SubStatuses {
			for _, l := range labels {
				add("application_stages", st+"/"+l)
			}
		}
	}
	adJob := map[string]string{}
	adDefault := map[string]bool{}
	for _, j := range cr.jobs {
		add("jobs", j.ID)
		for _, a := range cr.ads[j.ID] {
			add("job_postings", a.ID)
			adJob[a.ID] = j.ID
			adDefault[a.ID] = a.Default
		}
		for _, m := range cr.teams[j.ID] {
			add("roles", "JOB:"+m.Role)
			add("job_hiring_team_members", j.ID+":"+m.ID)
			add("job_user_role_assignments", j.ID+":"+m.ID+":JOB:"+m.Role)
		}
		var proc *jProcess
		for i := range cr.processes {
			p := &cr.processes[i]
			if (j.HiringProcessID != "" && p.ID == j.HiringProcessID) || (j.HiringProcessID == "" && p.Active && proc == nil) {
				proc = p
			}
		}
		for _, s := range statuses {
			add("job_stages", j.ID+":"+s)
		}
		for st, labels := range proc.SubStatuses {
			for _, l := range labels {
				add("job_stages", j.ID+":"+st+"/"+l)
			}
		}
	}
	byJob := map[string][]jPosting{}
	for _, p := range cr.postings {
		for _, q := range cr.questions[p.UUID] {
			add("screening_questions", q.ID)
		}
		if j, ok := adJob[p.JobAdID]; ok {
			byJob[j] = append(byJob[j], p)
		}
	}
	for j, ps := range byJob {
		chosen := ps[0]
		if len(ps) > 1 {
			chosen = jPosting{}
			for _, p := range ps {
				if adDefault[p.JobAdID] {
					chosen = p
				}
			}
		}
		for _, q := range cr.questions[chosen.UUID] {
			add("job_screening_questions", j+":"+q.ID)
		}
	}
	for _, c := range cr.summaries {
		add("candidates", c.ID)
		for _, tg := range c.Tags {
			k := strings.ToLower(strings.TrimSpace(tg))
			add("tags", k)
			add("candidate_tags", c.ID+":"+k)
		}
	}
	for _, c := range cr.cands {
		for _, as := range append([]jAssign{c.PrimaryAssignment}, c.SecondaryAssignments...) {
			if as.SubStatus != "" {
				add("application_stages", as.Status+"/"+as.SubStatus)
			}
		}
	}
	for _, a := range cr.apps {
		app := a.cand + ":" + a.job
		add("applications", app)
		seen := map[string]int{}
		for _, h := range a.history {
			if h.SubStatus != "" {
				add("application_stages", h.Status+"/"+h.SubStatus)
			}
			id := app + ":" + h.ChangedOn
			seen[id]++
			if seen[id] > 1 {
				id += "#" + strconv.Itoa(seen[id])
			}
			add("application_status_history", id)
		}
		for _, o := range a.offers {
			add("offers", o.ID)
		}
		for _, iv := range a.ivs {
			for _, s := range iv.Timeslots {
				add("interviews", iv.ID+"/"+s.ID)
				for _, x := range s.Interviewers {
					add("interviewing_team_members", iv.ID+"/"+s.ID+":"+x.ID)
				}
			}
		}
	}
	for k, v := range t {
		slices.Sort(v)
		t[k] = slices.Compact(v)
	}
	return t
}
