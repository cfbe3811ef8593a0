package smartrecruiters

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atslake/atslake/schemas"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fixedClock is a settable clock.
type fixedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fixedClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fixedClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newClock() *fixedClock {
	return &fixedClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func newServer(t testing.TB, cfg Config) *Server {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func cfgOf(seed int64, scale, epoch int, clock *fixedClock) Config {
	c := DefaultConfig()
	c.Seed, c.Scale, c.Epoch, c.RateLimit = seed, scale, epoch, 0
	if clock != nil {
		c.Clock = clock.Now
	}
	return c
}

// do sends one in-process request with the API key and returns status and body.
func do(h http.Handler, method, path string, hdr map[string]string) (int, http.Header, []byte) {
	req := httptest.NewRequest(method, path, nil)
	if hdr == nil {
		req.Header.Set("X-SmartToken", "sandbox-token")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Header(), rec.Body.Bytes()
}

func checkErrorBody(t *testing.T, what string, body []byte) {
	t.Helper()
	var e struct {
		Message string
		Errors  []struct{ Code, Message string }
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Message == "" || len(e.Errors) == 0 || e.Errors[0].Code == "" {
		t.Errorf("%s: not an SR error body: %s", what, body)
	}
}

func TestTruthCoversEveryTable(t *testing.T) {
	s := newServer(t, cfgOf(1, 10, 0, nil))
	tr := s.Truth()
	if got, want := slices.Sorted(mapsKeys(tr.Tables)), schemas.Names(); !slices.Equal(got, want) {
		t.Fatalf("truth tables %v\nwant %v", got, want)
	}
	for name, ids := range tr.Tables {
		if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
			t.Errorf("%s: ids not sorted and distinct", name)
		}
		if len(ids) == 0 {
			t.Errorf("%s: empty at scale 10", name)
		}
	}
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// The truth is exactly what a full sync over the wire finds.
func TestTruthMatchesFullCrawl(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ scale, epoch int }{{10, 0}, {10, 4}, {200, 0}, {120, 3}} {
		t.Run(fmt.Sprintf("scale%d-epoch%d", tc.scale, tc.epoch), func(t *testing.T) {
			s := newServer(t, cfgOf(7, tc.scale, tc.epoch, newClock()))
			got := doCrawl(t, s).remoteIDs()
			want := s.Truth()
			if want.Epoch != tc.epoch {
				t.Errorf("epoch %d, want %d", want.Epoch, tc.epoch)
			}
			for _, name := range truthTables {
				if !slices.Equal(got[name], want.Tables[name]) {
					t.Errorf("%s: crawl has %d ids, truth %d\ncrawl only: %v\ntruth only: %v", name, len(got[name]), len(want.Tables[name]),
						diff(got[name], want.Tables[name]), diff(want.Tables[name], got[name]))
				}
			}
		})
	}
}

func diff(a, b []string) []string {
	var out []string
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			out = append(out, x)
			if len(out) == 5 {
				break
			}
		}
	}
	return out
}

func TestProportions(t *testing.T) {
	t.Parallel()
	s := newServer(t, cfgOf(3, 2000, 0, nil))
	tr := s.Truth().Tables
	n := func(name string) float64 { return float64(len(tr[name])) }
	within := func(what string, got, lo, hi float64) {
		if got < lo || got > hi {
			t.Errorf("%s = %.3g, want in [%.3g, %.3g]", what, got, lo, hi)
		}
	}
	within("candidates", n("candidates"), 2000, 2000)
	within("jobs", n("jobs"), 50, 50)
	within("users", n("users"), 20, 20)
	within("applications per candidate", n("applications")/n("candidates"), 1.2, 1.4)
	apps := 0
	withInterviews := 0
	for _, c := range s.w.cands {
		for _, a := range c.Apps {
			apps++
			if len(a.Interviews) > 0 {
				withInterviews++
			}
		}
	}
	within("share of applications with interviews", float64(withInterviews)/float64(apps), 0.18, 0.32)
	within("offers per application", n("offers")/n("applications"), 0.03, 0.08)
	within("stages", n("application_stages"), 25, 60)
	within("screening questions", n("screening_questions"), 20, 60)
	within("tags", n("tags"), 30, 60)
	within("rejection reasons", n("rejection_reasons"), 10, 30)
}

func TestPagingAndLimits(t *testing.T) {
	s := newServer(t, cfgOf(2, 60, 0, nil))
	tr := s.Truth().Tables
	c := newCrawler(t, s)
	for _, tc := range []struct {
		path, table string
		limit       int
	}{
		{"/user-api/v201804/users", "users", 1},
		{"/user-api/v201804/users", "users", 100},
		{"/jobs?sort=job_id", "jobs", 1},
		{"/jobs?sort=job_id", "jobs", 2},
		{"/candidates", "candidates", 7},
		{"/candidates", "candidates", 100},
	} {
		var ids []string
		for _, it := range pages[struct{ ID string }](c, tc.path, tc.limit) {
			ids = append(ids, it.ID)
		}
		if !slices.Equal(ids, tr[tc.table]) {
			t.Errorf("%s limit %d: %d ids, want the %d of the truth in order", tc.path, tc.limit, len(ids), len(tr[tc.table]))
		}
	}
	// Offset paging of postings.
	var company struct{ Identifier string }
	c.mustGet("/configuration/company", &company)
	var all struct{ TotalFound int }
	c.mustGet("/v1/companies/"+company.Identifier+"/postings?limit=100", &all)
	var seen []string
	for off := 0; off < all.TotalFound; off += 2 {
		var p struct {
			Limit, Offset int
			Content       []jPosting
		}
		c.mustGet(fmt.Sprintf("/v1/companies/%s/postings?limit=2&offset=%d", company.Identifier, off), &p)
		if p.Limit != 2 || p.Offset != off || len(p.Content) == 0 {
			t.Fatalf("offset %d: %+v", off, p)
		}
		for _, x := range p.Content {
			seen = append(seen, x.ID)
		}
	}
	if len(seen) != all.TotalFound || len(slices.Compact(slices.Sorted(slices.Values(seen)))) != len(seen) {
		t.Errorf("postings by offset: %d ids for totalFound %d", len(seen), all.TotalFound)
	}
	var past struct{ Content []jPosting }
	c.mustGet(fmt.Sprintf("/v1/companies/%s/postings?limit=2&offset=%d", company.Identifier, all.TotalFound), &past)
	if len(past.Content) != 0 {
		t.Errorf("page past the end holds %d postings", len(past.Content))
	}

	for _, tc := range []struct {
		path string
		want int
	}{
		{"/jobs?sort=job_id&limit=100", 200},
		{"/jobs?sort=job_id&limit=0", 400},
		{"/jobs?sort=job_id&limit=101", 400},
		{"/jobs?sort=job_id&limit=ten", 400},
		{"/jobs?limit=10", 400},
		{"/jobs?sort=title&limit=10", 400},
		{"/jobs?sort=job_id&updatedAfter=yesterday", 400},
		{"/jobs?sort=job_id&pageId=%21%21", 400},
		{"/candidates?limit=-1", 400},
		{"/candidates?limit=1&pageId=bm9wZQ", 400},
		{"/candidates?updatedAfter=2024-01-01", 400},
		{"/candidates?updatedAfter=2024-01-01T00:00:00.000Z", 200},
		{"/user-api/v201804/users?limit=1000", 400},
		{"/v1/companies/" + company.Identifier + "/postings?limit=101", 400},
		{"/v1/companies/" + company.Identifier + "/postings?offset=-3", 400},
		{"/v1/companies/nobody/postings", 404},
		{"/jobs/00000000-0000-4000-8000-000000000000", 404},
		{"/jobs/nope/hiring-team", 404},
		{"/candidates/nope", 404},
		{"/candidates/nope/jobs/nope/offers", 404},
		{"/candidates/" + tr["candidates"][0] + "/jobs/nope", 404},
		{"/postings/nope/configuration", 404},
		{"/interviews-api/v201904/interviews", 400},
		{"/no/such/endpoint", 404},
	} {
		code, _, body := do(s, "GET", tc.path, nil)
		if code != tc.want {
			t.Errorf("GET %s: %d, want %d: %s", tc.path, code, tc.want, body)
		}
		if code >= 400 {
			checkErrorBody(t, tc.path, body)
		}
	}
}

func TestUpdatedAfter(t *testing.T) {
	clock := newClock()
	s := newServer(t, cfgOf(4, 150, 0, clock))
	clock.Add(time.Hour)
	s.Advance()
	at := ts(clock.Now())
	c := newCrawler(t, s)
	for _, tc := range []struct{ list, path string }{{"jobs", "/jobs?sort=job_id"}, {"candidates", "/candidates"}} {
		all := pages[struct{ ID, UpdatedOn string }](c, tc.path, 100)
		var want []string
		for _, it := range all {
			if it.UpdatedOn >= at {
				want = append(want, it.ID)
			}
		}
		if len(want) == 0 || len(want) == len(all) {
			t.Fatalf("%s: %d of %d changed in the epoch", tc.list, len(want), len(all))
		}
		var got []string
		sep := "?"
		if strings.Contains(tc.path, "?") {
			sep = "&"
		}
		for _, it := range pages[struct{ ID, UpdatedOn string }](c, tc.path+sep+"updatedAfter="+url.QueryEscape(at), 3) {
			got = append(got, it.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s updatedAfter=%s (inclusive): %d ids, want %d", tc.list, at, len(got), len(want))
		}
	}
}

func TestAuth(t *testing.T) {
	clock := newClock()
	cfg := cfgOf(1, 10, 0, clock)
	cfg.TokenTTL = time.Minute
	s := newServer(t, cfg)
	srv := httptest.NewServer(s)
	defer srv.Close()
	get := func(hdr map[string]string) (int, []byte) {
		req, _ := http.NewRequest("GET", srv.URL+"/jobs?sort=job_id", nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	token := func(form url.Values) (int, map[string]any) {
		resp, err := http.PostForm(srv.URL+"/identity/oauth/token", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		b, _ := io.ReadAll(resp.Body)
		json.Unmarshal(b, &out)
		return resp.StatusCode, out
	}
	for _, tc := range []struct {
		name string
		hdr  map[string]string
		want int
	}{
		{"api key", map[string]string{"X-SmartToken": "sandbox-token"}, 200},
		{"wrong api key", map[string]string{"X-SmartToken": "nope"}, 401},
		{"no credentials", nil, 401},
		{"unknown bearer", map[string]string{"Authorization": "Bearer abc"}, 401},
	} {
		code, body := get(tc.hdr)
		if code != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, code, tc.want)
		}
		if code == 401 {
			checkErrorBody(t, tc.name, body)
			if strings.Contains(string(body), "sandbox-token") {
				t.Errorf("%s: error body leaks the key", tc.name)
			}
		}
	}
	good := url.Values{"grant_type": {"client_credentials"}, "client_id": {"sandbox-client"}, "client_secret": {"sandbox-secret"}}
	for _, tc := range []struct {
		name string
		form url.Values
		want int
	}{
		{"wrong secret", url.Values{"grant_type": {"client_credentials"}, "client_id": {"sandbox-client"}, "client_secret": {"x"}}, 401},
		{"wrong client", url.Values{"grant_type": {"client_credentials"}, "client_id": {"x"}, "client_secret": {"sandbox-secret"}}, 401},
		{"wrong grant", url.Values{"grant_type": {"password"}, "client_id": {"sandbox-client"}, "client_secret": {"sandbox-secret"}}, 400},
	} {
		if code, _ := token(tc.form); code != tc.want {
			t.Errorf("token %s: %d, want %d", tc.name, code, tc.want)
		}
	}
	code, tok := token(good)
	if code != 200 || tok["token_type"] != "bearer" || tok["expires_in"] != float64(60) || tok["access_token"] == "" {
		t.Fatalf("token: %d %v", code, tok)
	}
	bearer := map[string]string{"Authorization": "Bearer " + tok["access_token"].(string)}
	if code, body := get(bearer); code != 200 {
		t.Fatalf("bearer: %d %s", code, body)
	}
	clock.Add(59 * time.Second)
	if code, _ := get(bearer); code != 200 {
		t.Fatalf("bearer before expiry: %d", code)
	}
	clock.Add(time.Second)
	if code, body := get(bearer); code != 401 {
		t.Fatalf("expired bearer: %d %s", code, body)
	}
	// Sandbox routes need no credentials.
	for _, p := range []string{"/_sandbox/truth", "/_sandbox/faults"} {
		if code, _ := get(nil); code != 401 {
			t.Fatalf("sanity: %d", code)
		}
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
}

func TestRateLimit(t *testing.T) {
	cfg := cfgOf(1, 10, 0, nil)
	cfg.RateLimit = 10
	s := newServer(t, cfg)
	srv := httptest.NewServer(s)
	defer srv.Close()
	get := func(path string) *http.Response {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("X-SmartToken", "sandbox-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	start := time.Now()
	var codes []int
	var retry []string
	for i := 0; i < 14; i++ {
		resp := get("/configuration/company")
		codes = append(codes, resp.StatusCode)
		retry = append(retry, resp.Header.Get("Retry-After"))
		for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Concurrent-Limit", "X-RateLimit-Concurrent-Remaining"} {
			if resp.Header.Get(h) == "" {
				t.Errorf("request %d: no %s", i, h)
			}
		}
		if i == 0 && (resp.Header.Get("X-RateLimit-Limit") != "10" || resp.Header.Get("X-RateLimit-Remaining") != "9" || resp.Header.Get("X-RateLimit-Concurrent-Limit") != "8") {
			t.Errorf("first reply headers: %v", resp.Header)
		}
		// Token calls and /_sandbox/* are not counted.
		if i == 5 {
			resp, err := http.PostForm(srv.URL+"/identity/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {"sandbox-client"}, "client_secret": {"sandbox-secret"}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			resp, err = http.Get(srv.URL + "/_sandbox/faults")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
	}
	if time.Since(start) > 900*time.Millisecond {
		t.Skip("machine too slow for a 1 s window test")
	}
	for i, c := range codes {
		want := 200
		if i >= 10 {
			want = 429
		}
		if c != want {
			t.Fatalf("codes %v", codes)
		}
	}
	// Retry-After on every other 429, an integer >= 1.
	for i := 10; i < 14; i++ {
		if (i%2 == 0) != (retry[i] != "") || (retry[i] != "" && retry[i] < "1") {
			t.Errorf("Retry-After %q", retry)
		}
	}
	var rep struct{ Requests, Throttled int }
	_, _, body := do(s, "GET", "/_sandbox/faults", map[string]string{})
	json.Unmarshal(body, &rep)
	if rep.Throttled != 4 || rep.Requests != 15 { // 14 API requests and the token call
		t.Errorf("faults report %s", body)
	}
	// The window slides: after a second the credential may go again.
	time.Sleep(1100 * time.Millisecond)
	if resp := get("/configuration/company"); resp.StatusCode != 200 {
		t.Errorf("after the window: %d", resp.StatusCode)
	}
}

func TestConcurrencyLimits(t *testing.T) {
	t.Parallel() // mostly waiting
	cfg := cfgOf(1, 10, 0, nil)
	cfg.Latency = 1500 * time.Millisecond // holds admitted requests in flight
	s := newServer(t, cfg)
	srv := httptest.NewServer(s)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 20}}
	get := func(path string, hdr map[string]string) *http.Response {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Error(err)
			return &http.Response{}
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	key := map[string]string{"X-SmartToken": "sandbox-token"}
	resp, err := http.PostForm(srv.URL+"/identity/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {"sandbox-client"}, "client_secret": {"sandbox-secret"}})
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	bearer := map[string]string{"Authorization": "Bearer " + tok.AccessToken}

	var wg sync.WaitGroup
	results := make(chan int, 9)
	start := func(path string, hdr map[string]string) {
		wg.Add(1)
		go func() { defer wg.Done(); results <- get(path, hdr).StatusCode }()
	}
	// Phase 1: one candidate list in flight per credential.
	start("/candidates?limit=5", key)
	time.Sleep(300 * time.Millisecond)
	start("/candidates?limit=5", bearer) // another credential: its own cap
	if resp := get("/candidates?limit=7", key); resp.StatusCode != 429 {
		t.Errorf("second candidate list of one credential in flight: %d", resp.StatusCode)
	} else if resp.Header.Get("X-RateLimit-Concurrent-Remaining") != "7" {
		t.Errorf("concurrent remaining %q, want 7", resp.Header.Get("X-RateLimit-Concurrent-Remaining"))
	}
	// Phase 2: seven more requests make eight in flight; the ninth is refused.
	for i := 0; i < 7; i++ {
		start("/configuration/company", key)
	}
	time.Sleep(300 * time.Millisecond)
	resp = get("/user-api/v201804/system-roles", key)
	if resp.StatusCode != 429 || resp.Header.Get("X-RateLimit-Concurrent-Remaining") != "0" || resp.Header.Get("X-RateLimit-Concurrent-Limit") != "8" {
		t.Errorf("ninth request in flight: %d %v", resp.StatusCode, resp.Header)
	}
	wg.Wait()
	close(results)
	for c := range results {
		if c != 200 {
			t.Errorf("held request: %d", c)
		}
	}
}

func TestDeterminism(t *testing.T) {
	t.Parallel()
	clockA, clockB := newClock(), newClock()
	a := newServer(t, cfgOf(11, 40, 2, clockA))
	b := newServer(t, cfgOf(11, 40, 2, clockB))
	if !reflect.DeepEqual(a.Truth(), b.Truth()) {
		t.Fatal("same seed, scale, epoch and clock: truths differ")
	}
	ca, cb := doCrawl(t, a), doCrawl(t, b)
	if !reflect.DeepEqual(ca, cb) {
		t.Fatal("same seed, scale, epoch and clock: crawls differ")
	}
	// Byte-identical bodies for every endpoint.
	paths := []string{"/user-api/v201804/users?limit=100", "/user-api/v201804/system-roles", "/jobs?sort=job_id&limit=100",
		"/candidates?limit=100", "/configuration/hiring-processes", "/configuration/rejection-reasons", "/configuration/company"}
	for _, j := range ca.jobs {
		paths = append(paths, "/jobs/"+j.ID, "/jobs/"+j.ID+"/hiring-team", "/jobs/"+j.ID+"/jobads", "/jobs/"+j.ID+"/status/history")
	}
	for _, p := range ca.postings {
		paths = append(paths, "/postings/"+p.UUID+"/configuration")
	}
	for _, x := range ca.apps {
		base := "/candidates/" + x.cand + "/jobs/" + x.job
		paths = append(paths, "/candidates/"+x.cand, base, base+"/status/history", base+"/screening-answers", base+"/properties", base+"/offers",
			"/interviews-api/v201904/interviews?applicationId="+x.c3.ApplicationID)
	}
	for _, p := range paths {
		_, _, ba := do(a, "GET", p, nil)
		_, _, bb := do(b, "GET", p, nil)
		if string(ba) != string(bb) {
			t.Fatalf("GET %s differs:\n%s\n%s", p, ba, bb)
		}
	}
	// Another seed gives other data.
	c := newServer(t, cfgOf(12, 40, 2, newClock()))
	if reflect.DeepEqual(a.Truth().Tables["jobs"], c.Truth().Tables["jobs"]) {
		t.Fatal("seed does not change the data")
	}
}

// Golden truth of (seed 1, scale 10, epoch 0): catches unintended changes of
// the generated data (run with -update after an intended one).
func TestGoldenTruth(t *testing.T) {
	s := newServer(t, cfgOf(1, 10, 0, nil))
	got, err := json.MarshalIndent(s.Truth(), "", " ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "truth-seed1-scale10.golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if string(got) != string(want) {
		t.Fatalf("truth differs from %s (run with -update if intended)", path)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Config)
	}{
		{"scale too small", func(c *Config) { c.Scale = 2 }},
		{"negative epoch", func(c *Config) { c.Epoch = -1 }},
		{"negative rate", func(c *Config) { c.RateLimit = -1 }},
		{"fail rate above 1", func(c *Config) { c.FailRate = 1.5 }},
		{"rates summing above 1", func(c *Config) { c.FailRate, c.TruncateRate = 0.6, 0.6 }},
		{"negative latency", func(c *Config) { c.Latency = -time.Second }},
	} {
		c := DefaultConfig()
		tc.edit(&c)
		if _, err := New(c); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: %v, want ErrConfig", tc.name, err)
		}
	}
	s := newServer(t, Config{Seed: 1, Scale: 3})
	got := s.Config()
	if got.Token != "sandbox-token" || got.ClientID != "sandbox-client" || got.ClientSecret != "sandbox-secret" || got.TokenTTL != time.Hour || got.RateLimit != 0 {
		t.Errorf("defaults not filled: %+v", got)
	}
}
