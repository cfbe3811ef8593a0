package phenom

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestToken(t *testing.T) {
	clk := newClock()
	s, base := newTestServer(t, Config{Seed: 3, Scale: 10, TokenTTL: 2 * time.Second, Clock: clk.Now})

	for _, tc := range []struct {
		name         string
		form         url.Values
		method, path string
		want         int
	}{
		{"wrong secret", url.Values{formClientID: {DefaultClientID}, formClientSecret: {"nope"}}, http.MethodPost, pathToken, http.StatusUnauthorized},
		{"wrong id", url.Values{formClientID: {"other"}, formClientSecret: {DefaultClientSecret}}, http.MethodPost, pathToken, http.StatusUnauthorized},
		{"OAuth2 key names", url.Values{"client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret}}, http.MethodPost, pathToken, http.StatusUnauthorized},
		{"no body", nil, http.MethodPost, pathToken, http.StatusUnauthorized},
		{"GET", nil, http.MethodGet, pathToken, http.StatusMethodNotAllowed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, b, err := do(t, tc.method, base+tc.path, "", tc.form)
			if err != nil || status != tc.want {
				t.Fatalf("status %d (%v), want %d: %s", status, err, tc.want, b)
			}
			e := decodeError(t, tc.want, b)
			if strings.Contains(e.Message, DefaultClientSecret) {
				t.Fatal("the error names the secret")
			}
		})
	}
	if n := s.TokensIssued(); n != 0 {
		t.Fatalf("TokensIssued %d after failures", n)
	}

	status, b, err := do(t, http.MethodPost, base+pathToken, "", url.Values{formClientID: {DefaultClientID}, formClientSecret: {DefaultClientSecret}})
	if err != nil || status != http.StatusOK {
		t.Fatalf("token: %d %v %s", status, err, b)
	}
	if !bytes.HasPrefix(b, []byte(`{"accessToken":"`)) {
		t.Fatalf("the token is not the first property: %s", b)
	}
	var reply tokenReply
	if err := json.Unmarshal(b, &reply); err != nil {
		t.Fatal(err)
	}
	c := jwtClaims(t, reply.AccessToken)
	now := clk.Now()
	exp := time.Unix(c.Exp, 0)
	if c.Sub != DefaultClientID || c.Iat != now.Unix() || exp.Before(now.Add(2*time.Second)) || !exp.Before(now.Add(3*time.Second)) {
		t.Fatalf("claims %+v at %s (ttl 2s)", c, now)
	}
	if reply.TokenType != "Bearer" || reply.ExpiresIn != 2 {
		t.Fatalf("reply %+v", reply)
	}
	if n := s.TokensIssued(); n != 1 {
		t.Fatalf("TokensIssued %d, want 1", n)
	}

	jobs := base + pathJobs + "?siteType=external&offset=0&limit=5"
	other, otherBase := newTestServer(t, Config{Seed: 3, Scale: 10, Clock: clk.Now})
	foreign := fetchToken(t, otherBase)
	_ = other
	tampered := strings.Split(reply.AccessToken, ".")
	tampered[1] = strings.TrimRight(tampered[1], "=") + "x"
	for _, tc := range []struct {
		name  string
		at    time.Time
		token string
		want  int
	}{
		{"valid", now, reply.AccessToken, http.StatusOK},
		{"just before exp", exp.Add(-time.Nanosecond), reply.AccessToken, http.StatusOK},
		{"at exp", exp, reply.AccessToken, http.StatusUnauthorized},
		{"after exp", exp.Add(time.Hour), reply.AccessToken, http.StatusUnauthorized},
		{"no token", now, "", http.StatusUnauthorized},
		{"garbage", now, "abc", http.StatusUnauthorized},
		{"tampered payload", now, strings.Join(tampered, "."), http.StatusUnauthorized},
		{"another sandbox's token", now, foreign, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk.Set(tc.at)
			defer clk.Set(now)
			status, b := mustGet(t, jobs, tc.token)
			if status != tc.want {
				t.Fatalf("status %d, want %d: %s", status, tc.want, b)
			}
			if status != http.StatusOK {
				decodeError(t, status, b)
			}
		})
	}
	// The applications listing needs a token too.
	if status, b := mustGet(t, base+pathApplications, ""); status != http.StatusUnauthorized {
		t.Fatalf("applications without a token: %d %s", status, b)
	}
	// A token with a lifetime under a second still lives at least that long.
	s2, base2 := newTestServer(t, Config{Seed: 3, Scale: 10, TokenTTL: 300 * time.Millisecond, Clock: clk.Now})
	c2 := jwtClaims(t, fetchToken(t, base2))
	if exp2 := time.Unix(c2.Exp, 0); exp2.Before(now.Add(300*time.Millisecond)) || !exp2.After(now) {
		t.Fatalf("exp %s for a 300ms token issued at %s", exp2, now)
	}
	_ = s2
}

func TestJobsPaging(t *testing.T) {
	for _, scale := range []int{10, 200, 1000} {
		s, base := newTestServer(t, Config{Seed: 5, Scale: scale})
		tok := fetchToken(t, base)
		want := s.Truth()
		for _, limit := range []int{1, 7, 100} {
			items, totals := allJobs(t, base, tok, siteExternal, limit)
			if len(items) != totals[0] {
				t.Fatalf("scale %d limit %d: read %d jobs, total %d", scale, limit, len(items), totals[0])
			}
			for _, n := range totals {
				if n != totals[0] {
					t.Fatalf("totalRecordsCount changes between pages: %v", totals)
				}
			}
			ids := map[string]bool{}
			for _, j := range items {
				ids[j.JobID] = true
			}
			if len(ids) >= len(items) {
				t.Fatalf("scale %d: no locale duplicates in %d items", scale, len(items))
			}
			if !slices.Equal(sortedKeys(ids), want.Tables[tableJobs]) {
				t.Fatalf("scale %d: listed job ids differ from the truth", scale)
			}
		}
		// Past the end: an empty page with the total.
		status, b := mustGet(t, base+pathJobs+"?siteType=external&offset=100000&limit=100", tok)
		var p jobsPage
		if err := json.Unmarshal(b, &p); status != http.StatusOK || err != nil || p.Data == nil || len(p.Data) != 0 || p.TotalRecordsCount == 0 {
			t.Fatalf("past the end: %d %s", status, b)
		}
	}
}

func TestApplicationsPaging(t *testing.T) {
	for _, tc := range []struct{ scale, epoch int }{{5, 0}, {10, 0}, {10, 3}, {99, 0}, {200, 0}, {200, 2}, {1234, 1}} {
		s, base := newTestServer(t, Config{Seed: 9, Scale: tc.scale, Epoch: tc.epoch})
		tok := fetchToken(t, base)
		items, sizes := allApps(t, base, tok, 100)
		if len(items) == 0 || len(items)%100 != 0 || sizes[len(sizes)-1] != 0 {
			t.Fatalf("scale %d epoch %d: %d applications, page sizes %v: want a multiple of 100 ending on an empty page",
				tc.scale, tc.epoch, len(items), sizes)
		}
		if got := len(s.Truth().Tables[tableApps]); got != len(items) {
			t.Fatalf("scale %d: truth has %d applications, the listing %d", tc.scale, got, len(items))
		}
		// Another page size reads the same list.
		again, _ := allApps(t, base, tok, 33)
		if !slices.EqualFunc(items, again, func(a, b wireApp) bool { return a.ApplicationID == b.ApplicationID }) {
			t.Fatalf("scale %d: page size changes the list", tc.scale)
		}
	}
}

func TestBadRequests(t *testing.T) {
	_, base := newTestServer(t, Config{Seed: 1, Scale: 10})
	tok := fetchToken(t, base)
	for _, tc := range []struct {
		name, path string
		want       int
	}{
		{"limit 0", pathJobs + "?limit=0", http.StatusBadRequest},
		{"limit 101", pathJobs + "?limit=101", http.StatusBadRequest},
		{"limit 100", pathJobs + "?limit=100", http.StatusOK},
		{"limit text", pathApplications + "?limit=ten", http.StatusBadRequest},
		{"applications limit 101", pathApplications + "?offset=0&limit=101", http.StatusBadRequest},
		{"negative offset", pathApplications + "?offset=-1&limit=10", http.StatusBadRequest},
		{"unknown site type", pathJobs + "?siteType=intranet", http.StatusBadRequest},
		{"defaults", pathJobs, http.StatusOK},
		{"unknown path", "/jobs-api/v1/nope", http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, b := mustGet(t, base+tc.path, tok)
			if status != tc.want {
				t.Fatalf("status %d, want %d: %s", status, tc.want, b)
			}
			if status != http.StatusOK {
				decodeError(t, status, b)
			}
		})
	}
	status, b, err := do(t, http.MethodPost, base+pathJobs, tok, url.Values{})
	if err != nil || status != http.StatusMethodNotAllowed {
		t.Fatalf("POST jobs: %d %v %s", status, err, b)
	}
	decodeError(t, status, b)
}

func TestSiteTypeFiltering(t *testing.T) {
	s, base := newTestServer(t, Config{Seed: 2, Scale: 400, Epoch: 1})
	tok := fetchToken(t, base)
	ext, _ := allJobs(t, base, tok, siteExternal, 100)
	internal, _ := allJobs(t, base, tok, siteInternal, 100)
	if len(ext) == 0 || len(internal) == 0 {
		t.Fatalf("%d external and %d internal items", len(ext), len(internal))
	}
	extIDs := map[string]bool{}
	for _, j := range ext {
		if j.SiteType != siteExternal || j.Status == statusClosed {
			t.Fatalf("external listing holds %s (%s, %s)", j.JobID, j.SiteType, j.Status)
		}
		extIDs[j.JobID] = true
	}
	for _, j := range internal {
		if j.SiteType != siteInternal || j.Status == statusClosed || extIDs[j.JobID] {
			t.Fatalf("internal listing holds %s (%s, %s)", j.JobID, j.SiteType, j.Status)
		}
	}
	// Closed and deleted jobs are in neither listing, and the model has some.
	closed, deleted := 0, 0
	for _, j := range s.st.jobs {
		if j.deleted || j.status == statusClosed {
			if extIDs[j.id] {
				t.Fatalf("closed or deleted job %s is listed", j.id)
			}
			if j.deleted {
				deleted++
			} else {
				closed++
			}
		}
	}
	if closed == 0 || deleted == 0 {
		t.Fatalf("%d closed and %d deleted jobs", closed, deleted)
	}
}

func TestRateLimit(t *testing.T) {
	_, base := newTestServer(t, Config{Seed: 1, Scale: 10, RateLimit: 2})
	tok := fetchToken(t, base)
	var got []int
	for range 4 {
		status, b := mustGet(t, base+pathApplications+"?limit=1", tok)
		got = append(got, status)
		if status == http.StatusTooManyRequests {
			decodeError(t, status, b)
		}
	}
	if got[0] != 200 || got[1] != 200 || got[2] != 429 {
		t.Fatalf("statuses %v, want 200 200 429 ...", got)
	}
	// The sandbox routes and the token endpoint are not limited.
	fetchToken(t, base)
	if status, _ := mustGet(t, base+pathTruth, ""); status != http.StatusOK {
		t.Fatalf("truth: %d", status)
	}
}

// outcomes sends paths in order and records each status, or "trunc".
func outcomes(t *testing.T, base, tok string, paths []string) []string {
	var out []string
	for _, p := range paths {
		status, _, err := do(t, http.MethodGet, base+p, tok, nil)
		switch {
		case err != nil && (errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "EOF")):
			out = append(out, "trunc")
		case err != nil:
			t.Fatalf("GET %s: %v", p, err)
		default:
			out = append(out, itoa(status))
		}
	}
	return out
}

func TestFaultsDeterministic(t *testing.T) {
	var paths []string
	for i := range 6 {
		for range 5 {
			paths = append(paths, pathApplications+"?offset="+itoa(i*20)+"&limit=20", pathJobs+"?siteType=external&offset=0&limit="+itoa(i+1))
		}
	}
	run := func(seed int64) ([]string, string) {
		_, base := newTestServer(t, Config{Seed: seed, Scale: 50, FailRate: 0.3, TruncateRate: 0.2})
		tok := fetchToken(t, base) // the token endpoint has no faults
		got := outcomes(t, base, tok, paths)
		_, rep := mustGet(t, base+pathFaults, "")
		return got, string(rep)
	}
	a, ra := run(4)
	b, rb := run(4)
	if !slices.Equal(a, b) || ra != rb {
		t.Fatalf("faults differ between runs:\n%v %s\n%v %s", a, ra, b, rb)
	}
	count := map[string]int{}
	for _, o := range a {
		count[o]++
	}
	if count["200"] == 0 || count["trunc"] == 0 || count["500"]+count["503"] == 0 {
		t.Fatalf("outcomes %v: want successes, truncations and failures", count)
	}
	var rep struct{ Requests, Failed, Truncated int64 }
	if err := json.Unmarshal([]byte(ra), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Requests != int64(len(paths)) || rep.Failed != int64(count["500"]+count["503"]) || rep.Truncated != int64(count["trunc"]) {
		t.Fatalf("report %s, outcomes %v", ra, count)
	}
	if c, _ := run(5); slices.Equal(a, c) {
		t.Fatal("another seed gives the same faults")
	}
	// Injected failures use Phenom's envelope.
	_, base := newTestServer(t, Config{Seed: 1, Scale: 10, FailRate: 1})
	status, body := mustGet(t, base+pathApplications, fetchToken(t, base))
	if status != 500 && status != 503 {
		t.Fatalf("fail rate 1: %d", status)
	}
	decodeError(t, status, body)
}

func TestSandboxRoutes(t *testing.T) {
	clk := newClock()
	s, base := newTestServer(t, Config{Seed: 1, Scale: 10, Clock: clk.Now})
	status, b := mustGet(t, base+pathTruth, "")
	var tr Truth
	if err := json.Unmarshal(b, &tr); status != http.StatusOK || err != nil || tr.Epoch != 0 || len(tr.Tables) != 7 {
		t.Fatalf("truth: %d %v %s", status, err, b[:min(len(b), 200)])
	}
	status, b, err := do(t, http.MethodPost, base+pathAdvance, "", url.Values{})
	if err != nil || status != http.StatusOK || string(b) != `{"epoch":1}` {
		t.Fatalf("advance: %d %v %s", status, err, b)
	}
	if s.Epoch() != 1 || s.Truth().Epoch != 1 {
		t.Fatalf("epoch %d after advance", s.Epoch())
	}
	if status, _ := mustGet(t, base+pathAdvance, ""); status != http.StatusMethodNotAllowed {
		t.Fatalf("GET advance: %d", status)
	}
	status, b = mustGet(t, base+pathFaults, "")
	if status != http.StatusOK || !strings.Contains(string(b), `"requests":0`) {
		t.Fatalf("faults: %d %s", status, b)
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestConcurrentAdvance(t *testing.T) {
	s, base := newTestServer(t, Config{Seed: 1, Scale: 300})
	tok := fetchToken(t, base)
	done := make(chan struct{})
	errs := make(chan string, 8)
	for w := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 15 {
				p := pathApplications + "?offset=" + itoa(i*10) + "&limit=10"
				if w%2 == 0 {
					p = pathJobs + "?siteType=external&limit=5&offset=" + itoa(i)
				}
				if status, b, err := do(t, http.MethodGet, base+p, tok, nil); err != nil || status != http.StatusOK {
					errs <- fmt.Sprintf("%s: %d %v %s", p, status, err, b)
					return
				}
				_ = s.Truth()
			}
		}()
	}
	for range 3 {
		s.Advance()
	}
	for range 4 {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if s.Epoch() != 3 {
		t.Fatalf("epoch %d", s.Epoch())
	}
}
