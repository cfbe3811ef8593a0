package smartrecruiters

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestEpochsChangeDataAndTruth(t *testing.T) {
	clock := newClock()
	s := newServer(t, cfgOf(5, 300, 0, clock))
	before := s.Truth()
	clock.Add(time.Hour)
	code, _, body := do(s, "POST", "/_sandbox/advance", map[string]string{})
	if code != 200 || string(body) != `{"epoch":1}` {
		t.Fatalf("advance: %d %s", code, body)
	}
	after := s.Truth()
	if before.Epoch != 0 || after.Epoch != 1 {
		t.Fatalf("epochs %d -> %d", before.Epoch, after.Epoch)
	}
	for _, table := range []string{"users", "jobs", "candidates", "applications", "job_postings", "job_hiring_team_members", "offers", "interviews", "candidate_tags"} {
		added, removed := diff(after.Tables[table], before.Tables[table]), diff(before.Tables[table], after.Tables[table])
		if len(added) == 0 || len(removed) == 0 {
			t.Errorf("%s: %d added, %d removed in one epoch", table, len(added), len(removed))
		}
	}
	if len(diff(after.Tables["application_status_history"], before.Tables["application_status_history"])) == 0 {
		t.Error("no application moved")
	}
	// Everything new or changed carries the epoch instant; the rest kept its time.
	at := ts(clock.Now())
	c := newCrawler(t, s)
	newJobs := diff(after.Tables["jobs"], before.Tables["jobs"])
	changed := 0
	for _, j := range pages[struct{ ID, UpdatedOn string }](c, "/jobs?sort=job_id", 100) {
		if slices.Contains(newJobs, j.ID) && j.UpdatedOn != at {
			t.Errorf("new job %s updatedOn %s, want %s", j.ID, j.UpdatedOn, at)
		}
		if j.UpdatedOn == at {
			changed++
		} else if j.UpdatedOn > at {
			t.Errorf("job %s updated after the epoch: %s", j.ID, j.UpdatedOn)
		}
	}
	if changed <= len(newJobs) {
		t.Errorf("only the %d new jobs changed", changed)
	}
	// A candidate whose application moved carries the epoch instant.
	moved := map[string]bool{}
	for _, h := range diff(after.Tables["application_status_history"], before.Tables["application_status_history"]) {
		moved[strings.SplitN(h, ":", 2)[0]] = true
	}
	for _, cs := range pages[struct{ ID, UpdatedOn string }](c, "/candidates", 100) {
		if moved[cs.ID] && cs.UpdatedOn != at {
			t.Errorf("candidate %s: application moved, updatedOn %s", cs.ID, cs.UpdatedOn)
		}
	}
	// Epoch instants increase even when the clock does not.
	s.Advance()
	s.Advance()
	if s.Epoch() != 3 || s.w.lastT.Sub(clock.Now()) != 2*time.Millisecond {
		t.Errorf("epoch %d at %v (clock %v)", s.Epoch(), s.w.lastT, clock.Now())
	}
}

// The data at (seed, scale, K) does not depend on when the epochs happened:
// starting at epoch K equals advancing K times, up to the epoch timestamps.
func TestEpochDataIndependentOfTiming(t *testing.T) {
	a := newServer(t, cfgOf(9, 150, 3, newClock()))
	clock := newClock()
	b := newServer(t, cfgOf(9, 150, 0, clock))
	for i := 0; i < 3; i++ {
		clock.Add(time.Duration(i+1) * 37 * time.Minute)
		b.Advance()
	}
	ta, tb := a.Truth(), b.Truth()
	if ta.Epoch != 3 || tb.Epoch != 3 {
		t.Fatalf("epochs %d %d", ta.Epoch, tb.Epoch)
	}
	for _, name := range truthTables {
		if name == "application_status_history" { // remote ids hold the timestamps
			if len(ta.Tables[name]) == 0 || len(ta.Tables[name]) > len(tb.Tables[name]) {
				t.Errorf("%s: %d vs %d", name, len(ta.Tables[name]), len(tb.Tables[name]))
			}
			continue
		}
		if !slices.Equal(ta.Tables[name], tb.Tables[name]) {
			t.Errorf("%s differs between --epoch 3 and three advances", name)
		}
	}
}

// faultOutcomes sends paths in order over real HTTP and records each outcome.
func faultOutcomes(t *testing.T, base string, paths []string) []string {
	t.Helper()
	var out []string
	for _, p := range paths {
		req, _ := http.NewRequest("GET", base+p, nil)
		req.Header.Set("X-SmartToken", "sandbox-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			out = append(out, "neterr")
			continue
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF):
			out = append(out, "truncated")
		case err != nil:
			t.Fatalf("%s: %v", p, err)
		case resp.StatusCode >= 500:
			checkErrorBody(t, p, b)
			out = append(out, fmt.Sprint(resp.StatusCode))
		default:
			if !json.Valid(b) {
				t.Fatalf("%s: %d with invalid JSON", p, resp.StatusCode)
			}
			out = append(out, fmt.Sprint(resp.StatusCode))
		}
	}
	return out
}

func TestFaultsDeterministicAndCounted(t *testing.T) {
	var paths []string
	for i := 1; i <= 30; i++ {
		paths = append(paths, fmt.Sprintf("/jobs?sort=job_id&limit=%d", i), "/configuration/hiring-processes", "/candidates?limit=3")
	}
	run := func(seed int64) ([]string, map[string]int) {
		cfg := cfgOf(seed, 10, 0, nil)
		cfg.FailRate, cfg.TruncateRate = 0.2, 0.2
		s := newServer(t, cfg)
		srv := httptest.NewServer(s)
		defer srv.Close()
		out := faultOutcomes(t, srv.URL, paths)
		for i := 0; i < 30; i++ { // never faulted
			resp, err := http.Get(srv.URL + "/_sandbox/truth")
			if err != nil {
				t.Fatal(err)
			}
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("/_sandbox/truth faulted: %d %v", resp.StatusCode, err)
			}
		}
		resp, err := http.Get(srv.URL + "/_sandbox/faults")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var rep map[string]int
		if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
			t.Fatal(err)
		}
		return out, rep
	}
	a, repA := run(1)
	b, repB := run(1)
	if !slices.Equal(a, b) {
		t.Fatalf("faults differ between runs:\n%v\n%v", a, b)
	}
	count := map[string]int{}
	for _, o := range a {
		count[o]++
	}
	if count["200"] == 0 || count["truncated"] == 0 || count["500"] == 0 || count["503"] == 0 {
		t.Fatalf("outcomes %v", count)
	}
	want := map[string]int{"requests": len(paths), "failed": count["500"] + count["503"], "truncated": count["truncated"], "throttled": 0}
	if fmt.Sprint(repA) != fmt.Sprint(want) || fmt.Sprint(repB) != fmt.Sprint(want) {
		t.Fatalf("reports %v %v, want %v", repA, repB, want)
	}
	if c, _ := run(2); slices.Equal(a, c) {
		t.Fatal("another seed gives the same faults")
	}
}

func FuzzCursor(f *testing.F) {
	f.Add("c3IxOmFiYw")
	f.Add("")
	f.Add("!!")
	f.Add(encodeCursor("5b701287-c3b6-4c4a-a7fc-caf5255a6ef7"))
	f.Fuzz(func(t *testing.T, s string) {
		if id, ok := decodeCursor(s); ok {
			if again, ok := decodeCursor(encodeCursor(id)); !ok || again != id {
				t.Fatalf("round trip of %q: %q %v", id, again, ok)
			}
		}
	})
}

// Any query string gets a well-formed reply, never a server error.
func FuzzListQuery(f *testing.F) {
	s := newServer(f, cfgOf(1, 10, 0, nil))
	var company struct{ Identifier string }
	newCrawler(f, s).mustGet("/configuration/company", &company)
	for _, q := range []string{"limit=5", "sort=job_id&limit=100&pageId=c3IxOmFiYw", "updatedAfter=2024-01-01T00:00:00Z", "limit=%zz", "offset=3&limit=2", "applicationId=x"} {
		f.Add(uint8(0), q)
		f.Add(uint8(3), q)
	}
	paths := []string{"/jobs", "/candidates", "/user-api/v201804/users", "/v1/companies/" + company.Identifier + "/postings", "/interviews-api/v201904/interviews"}
	f.Fuzz(func(t *testing.T, which uint8, query string) {
		p := paths[int(which)%len(paths)] + "?" + query
		if strings.ContainsAny(query, " #\x00\r\n\t") {
			return
		}
		code, _, body := do(s, "GET", p, nil)
		if code >= 500 || !json.Valid(body) {
			t.Fatalf("GET %s: %d %s", p, code, body)
		}
	})
}

// snapshot returns, per job and per candidate, every body an incremental
// sync re-reads for it, and its updatedOn.
func snapshot(t *testing.T, s *Server) (bodies, updated map[string]string) {
	bodies, updated = map[string]string{}, map[string]string{}
	get := func(p string) string {
		code, _, b := do(s, "GET", p, nil)
		if code != 200 {
			t.Fatalf("GET %s: %d", p, code)
		}
		return string(b)
	}
	c := newCrawler(t, s)
	for _, j := range pages[struct{ ID, UpdatedOn string }](c, "/jobs?sort=job_id", 100) {
		updated[j.ID] = j.UpdatedOn
		bodies[j.ID] = get("/jobs/"+j.ID) + get("/jobs/"+j.ID+"/hiring-team") + get("/jobs/"+j.ID+"/jobads") + get("/jobs/"+j.ID+"/status/history")
	}
	for _, cs := range pages[jCandSummary](c, "/candidates", 100) {
		updated[cs.ID] = cs.UpdatedOn
		b := get("/candidates/" + cs.ID)
		for _, as := range append([]jAssign{cs.PrimaryAssignment}, cs.SecondaryAssignments...) {
			base := "/candidates/" + cs.ID + "/jobs/" + as.Job.ID
			var app jApp
			c.mustGet(base, &app)
			b += get(base) + get(base+"/status/history") + get(base+"/screening-answers") + get(base+"/properties") +
				get(base+"/offers") + get("/interviews-api/v201904/interviews?applicationId="+app.ApplicationID)
		}
		bodies[cs.ID] = b
	}
	return bodies, updated
}

// The assumed SmartRecruiters behaviour incremental syncs rely on: any change
// to what is read through a job or a candidate moves its updatedOn.
func TestChangesMoveUpdatedOn(t *testing.T) {
	t.Parallel()
	clock := newClock()
	s := newServer(t, cfgOf(6, 150, 1, clock))
	for epoch := 2; epoch <= 3; epoch++ {
		bodies, _ := snapshot(t, s)
		clock.Add(time.Hour)
		s.Advance()
		at := ts(clock.Now())
		after, updated := snapshot(t, s)
		changed := 0
		for id, b := range after {
			old, ok := bodies[id]
			if !ok || old == b {
				continue
			}
			changed++
			if updated[id] != at {
				t.Errorf("epoch %d: %s changed but its updatedOn is %s, not %s", epoch, id, updated[id], at)
			}
		}
		if changed == 0 {
			t.Fatalf("epoch %d changed nothing", epoch)
		}
	}
}
