package phenom

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/atslake/atslake/extract"
	phenomx "github.com/atslake/atslake/extract/phenom"
	"github.com/atslake/atslake/transform"
)

// nullable renders a row value for compact expectations ("-" for NULL).
func nullable(v any) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprint(v)
}

// teamView summarises the hiring-team tables: users as "email first|last",
// members as "<remote_id>=<roles>", assignments as remote ids, each in
// emission order, after checking every relation points where its remote id says.
func teamView(t *testing.T, out *collector) (users, members, assignments []string) {
	t.Helper()
	for _, u := range out.rows[tableUsers] {
		if u["id"] != id(tableUsers, u["remote_id"].(string)) || u["email"] != u["remote_id"] {
			t.Errorf("user row %v: id or email does not follow the remote id", u)
		}
		users = append(users, fmt.Sprintf("%s %s|%s", u["remote_id"], nullable(u["first_name"]), nullable(u["last_name"])))
	}
	for _, m := range out.rows[tableMembers] {
		rid := m["remote_id"].(string)
		job, user, _ := strings.Cut(rid, ":")
		if m["id"] != id(tableMembers, rid) || m["job_id"] != id(tableJobs, job) || m["user_id"] != id(tableUsers, user) {
			t.Errorf("member row %v: ids do not follow the remote id", m)
		}
		var roles []string
		for _, r := range m["roles"].([]any) {
			roles = append(roles, r.(string))
		}
		members = append(members, rid+"="+strings.Join(roles, ","))
	}
	for _, a := range out.rows[tableAssignments] {
		rid := a["remote_id"].(string)
		i := strings.LastIndex(rid, ":")
		if a["id"] != id(tableAssignments, rid) || a["job_user_id"] != id(tableMembers, rid[:i]) || a["role_id"] != id(tableRoles, rid[i+1:]) {
			t.Errorf("assignment row %v: ids do not follow the remote id", a)
		}
		assignments = append(assignments, rid)
	}
	return users, members, assignments
}

func TestRoleDerivation(t *testing.T) {
	for _, c := range []struct {
		name        string
		jobs        []string
		users       []string
		members     []string
		assignments []string
	}{
		{
			name:        "hiring_manager_only",
			jobs:        []string{`{"jobId":"J1","hiringManagerEmail":"hm@x.com","hiringManagerName":"Hana Moss"}`},
			users:       []string{"hm@x.com Hana|Moss"},
			members:     []string{"J1:hm@x.com=HIRING_MANAGER"},
			assignments: []string{"J1:hm@x.com:HIRING_MANAGER"},
		},
		{
			name:        "recruiters_only",
			jobs:        []string{`{"jobId":"J1","multiRecruiter":[{"recruiterEmail":"r1@x.com","recruiterName":"Rob Ray"},{"recruiterEmail":"r2@x.com"}]}`},
			users:       []string{"r1@x.com Rob|Ray", "r2@x.com -|-"},
			members:     []string{"J1:r1@x.com=RECRUITER", "J1:r2@x.com=RECRUITER"},
			assignments: []string{"J1:r1@x.com:RECRUITER", "J1:r2@x.com:RECRUITER"},
		},
		{
			name: "blank_hiring_manager_email_with_name",
			jobs: []string{
				`{"jobId":"J1","hiringManagerEmail":"","hiringManagerName":"Nora Blank","multiRecruiter":[{"recruiterEmail":"r1@x.com","recruiterName":"Rob Ray"}]}`,
				`{"jobId":"J2","hiringManagerEmail":"   ","hiringManagerName":"Nora Blank"}`,
			},
			users:       []string{"r1@x.com Rob|Ray"},
			members:     []string{"J1:r1@x.com=RECRUITER"},
			assignments: []string{"J1:r1@x.com:RECRUITER"},
		},
		{
			name: "multirecruiter_missing_null_empty_object",
			jobs: []string{
				`{"jobId":"J1","hiringManagerEmail":"h1@x.com"}`,
				`{"jobId":"J2","hiringManagerEmail":"h2@x.com","multiRecruiter":null}`,
				`{"jobId":"J3","hiringManagerEmail":"h3@x.com","multiRecruiter":[]}`,
				`{"jobId":"J4","hiringManagerEmail":"h4@x.com","multiRecruiter":{"recruiterEmail":"r@x.com"}}`,
			},
			users:       []string{"h1@x.com -|-", "h2@x.com -|-", "h3@x.com -|-", "h4@x.com -|-"},
			members:     []string{"J1:h1@x.com=HIRING_MANAGER", "J2:h2@x.com=HIRING_MANAGER", "J3:h3@x.com=HIRING_MANAGER", "J4:h4@x.com=HIRING_MANAGER"},
			assignments: []string{"J1:h1@x.com:HIRING_MANAGER", "J2:h2@x.com:HIRING_MANAGER", "J3:h3@x.com:HIRING_MANAGER", "J4:h4@x.com:HIRING_MANAGER"},
		},
		{
			name:        "blank_recruiter_between_valid_ones",
			jobs:        []string{`{"jobId":"J1","multiRecruiter":[{"recruiterEmail":"b@x.com","recruiterName":"Bea"},{"recruiterEmail":"","recruiterName":"No Mail"},{"recruiterEmail":"  ","recruiterName":"Talent Team"},null,"junk",{"recruiterName":"Missing"},{"recruiterEmail":"a@x.com","recruiterName":"Al Abe"}]}`},
			users:       []string{"b@x.com Bea|-", "a@x.com Al|Abe"},
			members:     []string{"J1:b@x.com=RECRUITER", "J1:a@x.com=RECRUITER"},
			assignments: []string{"J1:b@x.com:RECRUITER", "J1:a@x.com:RECRUITER"},
		},
		{
			name:        "hiring_manager_also_recruiter",
			jobs:        []string{`{"jobId":"J1","hiringManagerEmail":"Pat@X.com","hiringManagerName":"Pat Doe","multiRecruiter":[{"recruiterEmail":" pat@x.COM ","recruiterName":"Patricia Doe"},{"recruiterEmail":"c@x.com","recruiterName":"Cy"}]}`},
			users:       []string{"pat@x.com Pat|Doe", "c@x.com Cy|-"},
			members:     []string{"J1:pat@x.com=HIRING_MANAGER,RECRUITER", "J1:c@x.com=RECRUITER"},
			assignments: []string{"J1:pat@x.com:HIRING_MANAGER", "J1:pat@x.com:RECRUITER", "J1:c@x.com:RECRUITER"},
		},
		{
			name:        "same_recruiter_twice",
			jobs:        []string{`{"jobId":"J1","multiRecruiter":[{"recruiterEmail":"r@x.com"},{"recruiterEmail":"R@x.com","recruiterName":"Ria Roe"}]}`},
			users:       []string{"r@x.com Ria|Roe"},
			members:     []string{"J1:r@x.com=RECRUITER"},
			assignments: []string{"J1:r@x.com:RECRUITER"},
		},
		{
			name: "emails_differing_in_case_and_spaces",
			jobs: []string{
				`{"jobId":"J1","hiringManagerEmail":"Dana@X.com","hiringManagerName":"  "}`,
				`{"jobId":"J2","hiringManagerEmail":"other@x.com","hiringManagerName":"Cher","multiRecruiter":[{"recruiterEmail":" dana@x.COM ","recruiterName":"  Dana   Lee Smith "}]}`,
				`{"jobId":"J3","hiringManagerEmail":"DANA@x.com","hiringManagerName":"Someone Else"}`,
			},
			users:       []string{"dana@x.com Dana|Lee Smith", "other@x.com Cher|-"},
			members:     []string{"J1:dana@x.com=HIRING_MANAGER", "J2:other@x.com=HIRING_MANAGER", "J2:dana@x.com=RECRUITER", "J3:dana@x.com=HIRING_MANAGER"},
			assignments: []string{"J1:dana@x.com:HIRING_MANAGER", "J2:other@x.com:HIRING_MANAGER", "J2:dana@x.com:RECRUITER", "J3:dana@x.com:HIRING_MANAGER"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, skip := mapDocs(t, jobDocs(t, c.jobs...), 3)
			if len(skip.list) > 0 {
				t.Fatalf("skipped %v", skip.list)
			}
			users, members, assignments := teamView(t, out)
			for _, cmp := range []struct {
				what      string
				got, want []string
			}{{"users", users, c.users}, {"members", members, c.members}, {"assignments", assignments, c.assignments}} {
				if !slices.Equal(cmp.got, cmp.want) {
					t.Errorf("%s\n got %q\nwant %q", cmp.what, cmp.got, cmp.want)
				}
			}
			if got := out.remoteIDs(tableRoles); !slices.Equal(got, []string{"HIRING_MANAGER", "RECRUITER"}) {
				t.Errorf("roles %v", got)
			}
			if got, want := len(out.rows[tableJobs]), len(c.jobs); got != want {
				t.Errorf("%d jobs, want %d", got, want)
			}
			golden(t, "roles_"+c.name, out.text())
		})
	}
}

func TestRolesRows(t *testing.T) {
	out, _ := mapDocs(t, jobDocs(t), 10)
	want := []string{"HIRING_MANAGER Hiring Manager JOB HIRING_MANAGER", "RECRUITER Recruiter JOB RECRUITER"}
	var got []string
	for _, r := range out.rows[tableRoles] {
		got = append(got, fmt.Sprint(r["remote_id"], " ", r["remote_label"], " ", r["scope"], " ", r["unified_type"]))
	}
	if !slices.Equal(got, want) {
		t.Errorf("roles %q, want %q", got, want)
	}
	if len(out.rows[tableJobs]) != 0 || len(out.rows[tableUsers]) != 0 {
		t.Errorf("rows without jobs: %v", out.order)
	}
}

func TestLocaleDeduplication(t *testing.T) {
	jobs := []string{
		`{"jobId":"J1","title":"DE","locale":"de_DE","hiringManagerEmail":"de@x.com"}`,
		`{"jobId":"J2","title":"FR","locale":"fr_FR"}`,
		`{"jobId":"J1","title":"EN","locale":"en_US","hiringManagerEmail":"en@x.com"}`,
		`{"jobId":"J3","title":"EN","locale":"en_US"}`,
		`{"jobId":"J2","title":"ES","locale":"es_ES"}`,
		`{"jobId":"J3","title":"DE","locale":"de_DE"}`,
		`{"jobId":"J4","title":"DE","locale":"de_DE"}`,
		`{"jobId":"J1","title":"EN2","locale":"en_US"}`,
	}
	for _, c := range []struct {
		name   string
		opts   []Option
		titles string // jobId=title in row order
		users  string
	}{
		{"default_locale", nil, "J1=EN J2=FR J3=EN J4=DE", "en@x.com"},
		{"de_DE", []Option{WithLocale("de_DE")}, "J1=DE J2=FR J3=DE J4=DE", "de@x.com"},
		{"unknown_locale", []Option{WithLocale("it_IT")}, "J1=DE J2=FR J3=EN J4=DE", "de@x.com"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, _ := mapDocs(t, jobDocs(t, jobs...), 2, c.opts...)
			var titles []string
			for _, r := range out.rows[tableJobs] {
				titles = append(titles, fmt.Sprint(r["remote_id"], "=", r["name"]))
			}
			if got := strings.Join(titles, " "); got != c.titles {
				t.Errorf("jobs %s, want %s", got, c.titles)
			}
			if got := strings.Join(out.remoteIDs(tableUsers), " "); got != c.users {
				t.Errorf("users %s, want %s (derived from the kept items only)", got, c.users)
			}
			golden(t, "locale_"+c.name, out.text())
		})
	}
}

func TestCandidateDeduplication(t *testing.T) {
	apps := []string{
		`{"applicationId":"A1","candidateId":"C1","updatedDate":"2024-06-01T10:00:00.000+0000","candidateData":{"candidateId":"C1","firstName":"Old"}}`,
		`{"applicationId":"A2","candidateId":"C1","updatedDate":"2024-06-03T00:00:00.000+0200","candidateData":{"candidateId":"C1","firstName":"New"}}`,
		`{"applicationId":"A3","candidateId":"C1","updatedDate":"2024-06-02T12:00:00.000+0000","candidateData":{"candidateId":"C1","firstName":"Mid"}}`,
		// tie on updatedDate (the same instant in two offsets): greatest applicationId as a string
		`{"applicationId":"A10","candidateId":"C2","updatedDate":"2024-06-01T10:00:00.000+0000","candidateData":{"candidateId":"C2","firstName":"Ten"}}`,
		`{"applicationId":"A9","candidateId":"C2","updatedDate":"2024-06-01T12:00:00.000+0200","candidateData":{"candidateId":"C2","firstName":"Nine"}}`,
		`{"applicationId":"A11","candidateId":"C2","updatedDate":"2024-06-01T10:00:00.000+0000","candidateData":{"candidateId":"C2","firstName":"Eleven"}}`,
		// no updatedDate loses to any
		`{"applicationId":"A21","candidateId":"C3","candidateData":{"candidateId":"C3","firstName":"NoDate"}}`,
		`{"applicationId":"A20","candidateId":"C3","updatedDate":"2020-01-01T00:00:00.000+0000","candidateData":{"candidateId":"C3","firstName":"Dated"}}`,
		`{"applicationId":"A22","candidateId":"C3","updatedDate":"garbage","candidateData":{"candidateId":"C3","firstName":"Garbage"}}`,
		// candidate id rule
		`{"applicationId":"A30","candidateId":"C4","candidateData":{"firstName":"Fallback"}}`,
		`{"applicationId":"A31","candidateId":"C4x","candidateData":{"candidateId":"C5","firstName":"Inner"}}`,
		`{"applicationId":"A32","candidateData":{"candidateId":"  ","firstName":"Nobody"}}`,
		`{"applicationId":"A33","candidateId":"C6"}`,
	}
	out, skip := mapDocs(t, appDocs(t, apps...), 4)
	if len(skip.list) > 0 {
		t.Fatalf("skipped %v", skip.list)
	}
	last := out.last(tableCandidates)
	want := map[string]string{"C1": "New", "C2": "Nine", "C3": "Dated", "C4": "Fallback", "C5": "Inner", "C6": "-"}
	if len(last) != len(want) {
		t.Errorf("candidates %v", out.remoteIDs(tableCandidates))
	}
	for cand, name := range want {
		if got := nullable(last[cand]["first_name"]); got != name {
			t.Errorf("candidate %s: first_name %s, want %s (the winning application's)", cand, got, name)
		}
	}
	// A row is written only when a better application is met.
	rows := map[string]int{}
	for _, r := range out.rows[tableCandidates] {
		rows[r["remote_id"].(string)]++
	}
	for cand, n := range map[string]int{"C1": 2, "C2": 2, "C3": 2, "C4": 1} {
		if rows[cand] != n {
			t.Errorf("candidate %s written %d times, want %d", cand, rows[cand], n)
		}
	}
	appRows := out.last(tableApplications)
	for app, cand := range map[string]string{"A1": "C1", "A30": "C4", "A31": "C5", "A33": "C6"} {
		if appRows[app]["candidate_id"] != id(tableCandidates, cand) {
			t.Errorf("application %s: candidate_id %v, want the id of %s", app, appRows[app]["candidate_id"], cand)
		}
	}
	if appRows["A32"]["candidate_id"] != nil {
		t.Errorf("application without a candidate id: candidate_id %v", appRows["A32"]["candidate_id"])
	}
	if len(appRows) != len(apps) {
		t.Errorf("%d applications, want %d", len(appRows), len(apps))
	}
	golden(t, "candidates_dedup", out.text())
}

func TestDanglingJobs(t *testing.T) {
	docs := jobDocs(t, `{"jobId":"J1","title":"Visible","siteType":"external"}`)
	docs = append(docs, appDocs(t,
		`{"applicationId":"A1","jobId":"J1","candidateId":"C1"}`,
		`{"applicationId":"A2","jobId":"JOBID","candidateId":"C2"}`,
		`{"applicationId":"A3","jobId":"J-internal","candidateId":"C3"}`,
		`{"applicationId":"A4","jobId":"J-deleted","candidateId":"C4"}`,
		`{"applicationId":"A5","candidateId":"C5"}`,
	)...)
	out, _ := mapDocs(t, docs, 100)
	jobIDs := map[any]bool{}
	for _, j := range out.rows[tableJobs] {
		jobIDs[j["id"]] = true
	}
	apps := out.last(tableApplications)
	for app, job := range map[string]string{"A1": "J1", "A2": "JOBID", "A3": "J-internal", "A4": "J-deleted"} {
		got := apps[app]["job_id"]
		if got != id(tableJobs, job) {
			t.Errorf("%s: job_id %v, want the id of %s", app, got, job)
		}
		if dangles := !jobIDs[got]; dangles != (job != "J1") {
			t.Errorf("%s: job_id dangles=%v", app, dangles)
		}
	}
	if apps["A5"]["job_id"] != nil {
		t.Errorf("A5 without jobId: job_id %v", apps["A5"]["job_id"])
	}
	golden(t, "dangling_jobs", out.text())
}

func TestOutcome(t *testing.T) {
	for status, want := range map[string]string{
		`"Hired"`: "HIRED", `"HIRED"`: "HIRED", `"Rejected"`: "DECLINED", `"withdrawn"`: "DECLINED",
		`"Applied"`: "PENDING", `"Offer"`: "PENDING", `"Interview"`: "PENDING", `""`: "PENDING", `null`: "PENDING", `7`: "PENDING",
	} {
		out, _ := mapDocs(t, appDocs(t, `{"applicationId":"A1","hiringStatus":`+status+`}`), 10)
		if got := out.rows[tableApplications][0]["outcome"]; got != want {
			t.Errorf("hiringStatus %s: outcome %v, want %s", status, got, want)
		}
	}
}

// TestFixture maps realistic documents through every column of the mapping.
func TestFixture(t *testing.T) {
	jobs := []string{
		`{"jobId":"J100","reqId":"REQ-100","title":"Backend Engineer","description":"<p>Build <b>things</b> &amp; more</p>","category":"Engineering","department":"Platform","type":"Full-Time","status":"Open","locale":"en_US","siteType":"external","applyUrl":"https://jobs.example.com/J100/apply","city":"Berlin","state":"BE","country":"Germany","postalCode":"10115","location":"Berlin, BE, Germany","postedDate":"2024-05-17T22:00:00.000+0000","dateCreated":"2024-05-01T08:30:00.000+0000","hiringManagerEmail":"Ana.Lopez@Example.com ","hiringManagerName":"Ana López","multiRecruiter":[{"recruiterEmail":"r.kim@example.com","recruiterName":"Rae Kim"}]}`,
		`{"jobId":"J101","reqId":101,"title":"日本語 🚀","type":"TEMPORARY","status":"On Hold","locale":"ja_JP","siteType":"internal","city":"Tokyo","country":"jp","postedDate":"2024-05-18T09:00:00.000+0900"}`,
		`{"jobId":"J102","reqId":null,"type":"Working student","status":"closed","siteType":"partner","country":"Atlantis","location":"Remote","postedDate":"not a date"}`,
		`{"jobId":"J103","type":"intern","status":"","siteType":"","country":"United States of America"}`,
		`{"jobId":"J104","type":"Part time","city":"","state":"  "}`,
	}
	apps := []string{
		`{"applicationId":"A1","jobId":"J100","candidateId":"C1","hiringStatus":"Applied","appliedDate":"2024-06-01T10:00:00.000+0000","updatedDate":"2024-06-02T10:00:00.000+0200","source":"LinkedIn","candidateData":{"candidateId":"C1","firstName":"Zoë","middleName":"Q","lastName":"Ng","currentCompany":"Acme","currentJobTitle":"Dev","contactData":{"email":" zoe@example.org ","countryPhoneCode":"49","phoneNumber":"30 1234 567","deviceType":"Mobile","phoneExtension":"12","city":"Hamburg","state":"HH","country":"DE","zipCode":"20095"}}}`,
		`{"applicationId":"A2","jobId":"J101","candidateId":"C2","hiringStatus":"Hired","appliedDate":"2024-06-01T00:00:00.000+0000","updatedDate":"2024-07-01T00:00:00.000+0000","candidateData":{"candidateId":"C2","firstName":"Li","lastName":"Wei","contactData":{"email":"n/a","countryPhoneCode":"+86","phoneNumber":"139 0000 0000","deviceType":"","country":"China"}}}`,
		`{"applicationId":"A3","jobId":"JOBID","candidateId":"C3","hiringStatus":"Withdrawn","candidateData":{"candidateId":"C3","contactData":{"email":"","countryPhoneCode":"1","phoneNumber":"  ","city":"Austin","country":"United States"}}}`,
		`{"applicationId":"A4","jobId":"J100","candidateId":"C4","hiringStatus":"Rejected","candidateData":{"candidateId":"C4","contactData":{"phoneNumber":"+44 20 7946 0000","countryPhoneCode":"44","email":"a@@b.com"}}}`,
		`{"applicationId":"A5","jobId":"J100","candidateId":"C5","candidateData":{"candidateId":"C5","contactData":{"phoneNumber":"555 0100","country":"Narnia"}}}`,
	}
	out, skip := mapDocs(t, append(jobDocs(t, jobs...), appDocs(t, apps...)...), 3, WithBatchRows(2))
	if len(skip.list) > 0 {
		t.Fatalf("skipped %v", skip.list)
	}
	if out.emits[tableApplications] < 3 {
		t.Errorf("applications emitted in %d records, want batches of 2", out.emits[tableApplications])
	}
	golden(t, "fixture", out.text())

	jobsBy := out.last(tableJobs)
	for _, c := range []struct{ job, col, want string }{
		{"J100", "employment_type", "FULL_TIME"}, {"J101", "employment_type", "CONTRACT"},
		{"J102", "employment_type", "Working student"}, {"J103", "employment_type", "INTERNSHIP"},
		{"J104", "employment_type", "PART_TIME"},
		{"J100", "status", "OPEN"}, {"J101", "status", "On Hold"}, {"J102", "status", "CLOSED"}, {"J103", "status", "-"},
		{"J100", "visibility", "PUBLIC"}, {"J101", "visibility", "INTERNAL"}, {"J102", "visibility", "partner"},
		{"J100", "opened_at", "2024-05-17T22:00:00.000000Z"}, {"J101", "opened_at", "2024-05-18T00:00:00.000000Z"},
		{"J102", "opened_at", "-"},
		{"J100", "custom_fields", "-"}, {"J100", "remote_data", "-"}, {"J100", "job_code", "-"},
	} {
		if got := nullable(jobsBy[c.job][c.col]); got != c.want {
			t.Errorf("%s.%s = %s, want %s", c.job, c.col, got, c.want)
		}
	}
	for job, want := range map[string]string{
		"J100": "Berlin DE Berlin, BE, Germany BE 10115", "J101": "Tokyo JP - - -", "J102": "- Atlantis Remote - -",
		"J103": "- US - - -", "J104": "<nil>",
	} {
		loc, _ := jobsBy[job]["location"].(map[string]any)
		got := "<nil>"
		if loc != nil {
			got = strings.Join([]string{nullable(loc["city"]), nullable(loc["country"]), nullable(loc["raw"]), nullable(loc["state"]), nullable(loc["zip_code"])}, " ")
		}
		if got != want {
			t.Errorf("%s location %s, want %s", job, got, want)
		}
	}
	for job, want := range map[string]string{
		"J100": `reqId/reqId/DEFAULT/"REQ-100" locale/locale/DEFAULT/"en_US"`,
		"J101": `reqId/reqId/DEFAULT/101 locale/locale/DEFAULT/"ja_JP"`,
		"J102": ``, "J104": ``,
	} {
		var got []string
		for _, f := range jobsBy[job]["integration_fields"].([]any) {
			m := f.(map[string]any)
			if m["label"] != nil {
				t.Errorf("%s: integration field label %v", job, m["label"])
			}
			got = append(got, fmt.Sprintf("%v/%v/%v/%v", m["id"], m["key"], m["type"], m["value"]))
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s integration_fields %q, want %q", job, got, want)
		}
	}
	cands := out.last(tableCandidates)
	for _, c := range []struct{ cand, want string }{
		{"C1", `[{"phone_number":"+49301234567","type":"Mobile"}] [{"email_address":"zoe@example.org","type":null}]`},
		{"C2", `[{"phone_number":"+8613900000000","type":null}] []`},
		{"C3", `null null`},
		{"C4", `[{"phone_number":"+442079460000","type":null}] []`},
		{"C5", `[{"phone_number":"5550100","type":null}] null`},
	} {
		got := jsonText(t, cands[c.cand]["phone_numbers"]) + " " + jsonText(t, cands[c.cand]["email_addresses"])
		if got != c.want {
			t.Errorf("%s phones and e-mails %s, want %s", c.cand, got, c.want)
		}
	}
	if got := jsonText(t, cands["C1"]["location"]); got != `{"city":"Hamburg","country":"DE","raw":null,"state":"HH","street_1":null,"street_2":null,"zip_code":"20095"}` {
		t.Errorf("C1 location %s", got)
	}
	if got := nullable(cands["C1"]["source"]) + " " + nullable(cands["C1"]["company"]) + " " + nullable(cands["C1"]["title"]); got != "LinkedIn Acme Dev" {
		t.Errorf("C1 source/company/title %s", got)
	}
	appsBy := out.last(tableApplications)
	if got := jsonText(t, appsBy["A1"]["integration_fields"]); got != `[{"id":"hiringStatus","key":"hiringStatus","label":null,"type":"DEFAULT","value":"\"Applied\""}]` {
		t.Errorf("A1 integration_fields %s", got)
	}
	if got := nullable(appsBy["A1"]["remote_created_at"]) + " " + nullable(appsBy["A1"]["remote_updated_at"]); got != "2024-06-01T10:00:00.000000Z 2024-06-02T08:00:00.000000Z" {
		t.Errorf("A1 timestamps %s", got)
	}
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := transform.MarshalJSON(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSkipsAndMarkers(t *testing.T) {
	docs := []doc{
		{phenomx.KindJob, "J1", []byte(`{"/jobs-api/v1/jobs":{"jobId":"J1","hiringManagerEmail":"h@x.com"}}`)},
		{phenomx.KindJob, "J2", []byte(`{"/jobs-api/v1/jobs":{"jobId":"J2","title":{"nested":1}}}`)},
		{phenomx.KindJob, "J3", []byte(`not json`)},
		{phenomx.KindJob, "J4", []byte(`{"/other":{}}`)},
		{phenomx.KindJob, "", []byte(`{"/jobs-api/v1/jobs":{"title":"no id"}}`)},
		{extract.KindSkipped, "", []byte(`{"endpoint":"/jobs-api/v1/jobs","error":"page 1 item 5: no jobId"}`)},
		// no jobs list-complete marker: the jobs list was not read completely
		{phenomx.KindApplication, "A1", []byte(`{"/apply/v2/applications":{"applicationId":"A1","jobId":"J1"}}`)},
		{phenomx.KindApplication, "A2", []byte(`{"/apply/v2/applications":[]}`)},
		{phenomx.KindApplication, "A3", []byte(`{"/apply/v2/applications":null}`)},
		{"mystery", "M1", []byte(`{}`)},
		{extract.KindListComplete, phenomx.ListApplications, []byte(`{}`)},
	}
	out, skip := mapDocs(t, docs, 4)
	var got []string
	for _, s := range skip.list {
		kind := "?"
		for _, e := range []error{transform.ErrMalformed, transform.ErrMissingKey, transform.ErrUnknownKind} {
			if errors.Is(s.err, e) {
				kind = e.Error()
			}
		}
		got = append(got, fmt.Sprintf("%s/%s/%s: %s", s.table, s.remoteID, s.endpoint, kind))
	}
	want := []string{
		"jobs/J2//jobs-api/v1/jobs: malformed document",
		"jobs/J3//jobs-api/v1/jobs: malformed document",
		"jobs/J4//jobs-api/v1/jobs: malformed document",
		"jobs///jobs-api/v1/jobs: missing required key",
		"applications/A2//apply/v2/applications: malformed document",
		"applications/A3//apply/v2/applications: malformed document",
		"/M1/: unknown document kind",
	}
	if !slices.Equal(got, want) {
		t.Errorf("skipped\n got %q\nwant %q", got, want)
	}
	// Finish wrote the jobs although no marker came.
	if ids := out.remoteIDs(tableJobs); !slices.Equal(ids, []string{"J1"}) {
		t.Errorf("jobs %v", ids)
	}
	if ids := out.remoteIDs(tableMembers); !slices.Equal(ids, []string{"J1:h@x.com"}) {
		t.Errorf("members %v", ids)
	}
	if ids := out.remoteIDs(tableApplications); !slices.Equal(ids, []string{"A1"}) {
		t.Errorf("applications %v", ids)
	}
}

func TestJobAfterMarkerIsSkipped(t *testing.T) {
	docs := jobDocs(t, `{"jobId":"J1"}`)
	docs = append(docs, doc{phenomx.KindJob, "J2", []byte(`{"/jobs-api/v1/jobs":{"jobId":"J2"}}`)})
	out, skip := mapDocs(t, docs, 1)
	if len(skip.list) != 1 || skip.list[0].remoteID != "J2" || !errors.Is(skip.list[0].err, transform.ErrMalformed) {
		t.Errorf("skipped %v", skip.list)
	}
	if ids := out.remoteIDs(tableJobs); !slices.Equal(ids, []string{"J1"}) {
		t.Errorf("jobs %v", ids)
	}
}

func TestPhoneNumber(t *testing.T) {
	for _, c := range []struct{ code, number, want string }{
		{"49", "30 1234 567", "+49301234567"},
		{"+1", "(512) 555-0100", "+1(512)555-0100"},
		{" 44 ", "20\u00a07946\t0000", "+442079460000"},
		{"", "555 0100", "5550100"},
		{"33", "+33 1 23 45 67 89", "+33123456789"},
		{"49", "", ""},
		{"49", "   ", ""},
	} {
		if got := phoneNumber(c.code, c.number); got != c.want {
			t.Errorf("phoneNumber(%q, %q) = %q, want %q", c.code, c.number, got, c.want)
		}
	}
}

func TestSplitName(t *testing.T) {
	for _, c := range []struct{ in, first, last string }{
		{"Ana López", "Ana", "López"},
		{"  Dana   Lee Smith ", "Dana", "Lee Smith"},
		{"Cher", "Cher", ""},
		{"", "", ""},
		{"李 小龙", "李", "小龙"},
	} {
		if f, l := splitName(c.in); f != c.first || l != c.last {
			t.Errorf("splitName(%q) = %q, %q; want %q, %q", c.in, f, l, c.first, c.last)
		}
	}
}

func TestBodyTagsMatchEndpoints(t *testing.T) {
	for _, c := range []struct {
		typ  reflect.Type
		path string
	}{{reflect.TypeFor[jobDoc](), phenomx.PathJobs}, {reflect.TypeFor[appDoc](), phenomx.PathApplications}} {
		if tag := c.typ.Field(0).Tag.Get("json"); tag != c.path {
			t.Errorf("%v: tag %q, want %q", c.typ, tag, c.path)
		}
	}
}

func TestTextDecoding(t *testing.T) {
	for in, want := range map[string]string{
		`"plain"`: "plain", `"caf\u00e9 \"q\""`: `café "q"`, `"naïve 🚀"`: "naïve 🚀", `"a\nb"`: "a\nb",
		`42`: "42", `-1.5e3`: "-1.5e3", `true`: "true", `null`: "", `""`: "",
	} {
		var got struct{ V text }
		if err := json.Unmarshal([]byte(`{"V":`+in+`}`), &got); err != nil || string(got.V) != want {
			t.Errorf("%s: %q, %v; want %q", in, got.V, err, want)
		}
	}
	var bad struct{ V text }
	for _, in := range []string{`{}`, `[1]`} {
		if err := json.Unmarshal([]byte(`{"V":`+in+`}`), &bad); err == nil {
			t.Errorf("%s: no error", in)
		}
	}
	// Invalid UTF-8 is replaced as encoding/json does.
	var inv struct{ V text }
	var std struct{ V string }
	raw := []byte("{\"V\":\"a\xffb\"}")
	if json.Unmarshal(raw, &inv) != nil || json.Unmarshal(raw, &std) != nil || string(inv.V) != std.V {
		t.Errorf("invalid UTF-8: %q vs %q", inv.V, std.V)
	}
}
