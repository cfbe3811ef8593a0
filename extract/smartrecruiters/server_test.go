package smartrecruiters

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testToken        = "test-token-s3cr3t"
	testClientID     = "test-client"
	testClientSecret = "test-secret-s3cr3t"
	testAccessToken  = "access-t0ken"
)

// reply is an injected answer for one route.
type reply struct {
	status int
	body   string
}

// tenant serves testdata/tenant.json: a map from "path?sorted query" to the
// reply body (a JSON value is served compacted, a JSON string verbatim).
// Requests need the test token (or, with oauth, the bearer token) and
// Accept-Language: en. Unknown routes answer 404 and are recorded.
type tenant struct {
	t      *testing.T
	routes map[string][]byte
	oauth  bool
	// revokeAfter: once this route was served, every request is a 401.
	revokeAfter string

	mu        sync.Mutex
	overrides map[string]reply
	hits      map[string]int
	missing   []string
	revoked   bool
	tokens    int
	inflight  map[string]int // by path
	maxFlight map[string]int // by path, "" for all
	total     int
}

func loadTenant(t *testing.T) *tenant {
	t.Helper()
	raw, err := os.ReadFile("testdata/tenant.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	routes := make(map[string][]byte, len(m))
	for k, v := range m {
		k = norm(k)
		if v[0] == '"' {
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				t.Fatal(err)
			}
			routes[k] = []byte(s)
			continue
		}
		var b bytes.Buffer
		if err := json.Compact(&b, v); err != nil {
			t.Fatal(err)
		}
		routes[k] = b.Bytes()
	}
	return &tenant{t: t, routes: routes, overrides: map[string]reply{}, hits: map[string]int{},
		inflight: map[string]int{}, maxFlight: map[string]int{}}
}

// norm writes a route's query the way the handler sees it (sorted, escaped).
func norm(route string) string {
	path, query, ok := strings.Cut(route, "?")
	if !ok {
		return route
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		panic(err)
	}
	return path + "?" + q.Encode()
}

// set overrides the reply of a route ("path?sorted query").
func (tn *tenant) set(route string, status int, body string) {
	tn.mu.Lock()
	defer tn.mu.Unlock()
	tn.overrides[norm(route)] = reply{status, body}
}

// body returns the bytes served for a route.
func (tn *tenant) body(route string) []byte {
	b, ok := tn.routes[norm(route)]
	if !ok {
		tn.t.Fatalf("no route %q in the fixture", route)
	}
	return b
}

func (tn *tenant) hitCount(route string) int {
	tn.mu.Lock()
	defer tn.mu.Unlock()
	return tn.hits[norm(route)]
}

func (tn *tenant) allHits() map[string]int {
	tn.mu.Lock()
	defer tn.mu.Unlock()
	return maps.Clone(tn.hits)
}

func (tn *tenant) tokenCalls() int {
	tn.mu.Lock()
	defer tn.mu.Unlock()
	return tn.tokens
}

func (tn *tenant) missingRoutes() []string {
	tn.mu.Lock()
	defer tn.mu.Unlock()
	return append([]string(nil), tn.missing...)
}

func (tn *tenant) start() *httptest.Server {
	srv := httptest.NewServer(tn)
	tn.t.Cleanup(srv.Close)
	return srv
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"message":%q,"errors":[{"code":%q,"message":%q}]}`, msg, code, msg)
}

func (tn *tenant) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == PathToken {
		tn.serveToken(w, r)
		return
	}
	authorized := r.Header.Get("X-SmartToken") == testToken
	if tn.oauth {
		authorized = r.Header.Get("X-SmartToken") == "" && r.Header.Get("Authorization") == "Bearer "+testAccessToken
	}
	tn.mu.Lock()
	revoked := tn.revoked
	tn.mu.Unlock()
	if !authorized || revoked {
		writeError(w, http.StatusUnauthorized, "UNAUTHORIZED", "bad credentials")
		return
	}
	if r.Method != http.MethodGet || r.Header.Get("Accept-Language") != "en" {
		writeError(w, http.StatusBadRequest, "BAD_REQUEST", "want GET with Accept-Language: en")
		return
	}
	route := r.URL.Path
	if q := r.URL.Query().Encode(); q != "" {
		route += "?" + q
	}
	tn.mu.Lock()
	tn.hits[route]++
	tn.total++
	tn.inflight[r.URL.Path]++
	tn.inflight[""]++
	tn.maxFlight[r.URL.Path] = max(tn.maxFlight[r.URL.Path], tn.inflight[r.URL.Path])
	tn.maxFlight[""] = max(tn.maxFlight[""], tn.inflight[""])
	if route == tn.revokeAfter {
		tn.revoked = true
	}
	o, overridden := tn.overrides[route]
	body, ok := tn.routes[route]
	if !ok && !overridden {
		tn.missing = append(tn.missing, route)
	}
	tn.mu.Unlock()
	defer func() {
		tn.mu.Lock()
		tn.inflight[r.URL.Path]--
		tn.inflight[""]--
		tn.mu.Unlock()
	}()
	switch {
	case overridden:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(o.status)
		w.Write([]byte(o.body))
	case !ok:
		writeError(w, http.StatusNotFound, "NOT_FOUND", "no such route: "+route)
	default:
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}
}

func (tn *tenant) serveToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.Method != http.MethodPost ||
		r.PostForm.Get("grant_type") != "client_credentials" ||
		r.PostForm.Get("client_id") != testClientID || r.PostForm.Get("client_secret") != testClientSecret {
		writeError(w, http.StatusUnauthorized, "UNAUTHORIZED", "bad client credentials")
		return
	}
	tn.mu.Lock()
	tn.tokens++
	tn.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"access_token":%q,"token_type":"bearer","expires_in":3600}`, testAccessToken)
}

// synth is a generated tenant of n candidates (one application each, on one
// job) served without fixtures, for volume, bounds and timing tests.
type synth struct {
	n       int
	latency time.Duration // added to every reply, while counted in flight

	mu        sync.Mutex
	details   int // C2 calls
	inflight  map[string]int
	maxFlight map[string]int
}

func newSynth(n int) *synth {
	return &synth{n: n, inflight: map[string]int{}, maxFlight: map[string]int{}}
}

func (s *synth) detailCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.details
}

func (s *synth) maxInFlight(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxFlight[key]
}

func (s *synth) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("X-SmartToken") != testToken {
		writeError(w, http.StatusUnauthorized, "UNAUTHORIZED", "bad credentials")
		return
	}
	key := r.URL.Path
	if strings.HasPrefix(key, "/candidates/") {
		key = "/candidates/*"
	}
	s.mu.Lock()
	s.inflight[key]++
	s.inflight[""]++
	s.maxFlight[key] = max(s.maxFlight[key], s.inflight[key])
	s.maxFlight[""] = max(s.maxFlight[""], s.inflight[""])
	s.mu.Unlock()
	time.Sleep(s.latency)
	defer func() {
		s.mu.Lock()
		s.inflight[key]--
		s.inflight[""]--
		s.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "application/json")
	p := r.URL.Path
	switch {
	case p == PathCandidates:
		start := 0
		fmt.Sscan(r.URL.Query().Get("pageId"), &start)
		end := min(start+100, s.n)
		var b strings.Builder
		fmt.Fprintf(&b, `{"totalFound":%d,`, s.n)
		if end < s.n {
			fmt.Fprintf(&b, `"nextPageId":"%d",`, end)
		}
		b.WriteString(`"content":[`)
		for i := start; i < end; i++ {
			if i > start {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"cand-%05d"}`, i)
		}
		b.WriteString("]}")
		w.Write([]byte(b.String()))
	case strings.HasPrefix(p, "/candidates/") && strings.Count(p, "/") == 2:
		s.mu.Lock()
		s.details++
		s.mu.Unlock()
		w.Write([]byte(`{"id":"` + strings.TrimPrefix(p, "/candidates/") + `","primaryAssignment":{"job":{"id":"job-1"}}}`))
	case strings.HasPrefix(p, "/candidates/") && strings.Count(p, "/") == 4:
		w.Write([]byte(`{"applicationId":"app-` + strings.Split(p, "/")[2] + `"}`))
	case p == PathJobs:
		w.Write([]byte(`{"totalFound":1,"content":[{"id":"job-1"}]}`))
	case p == "/jobs/job-1/jobads":
		w.Write([]byte(`[]`))
	case p == PathCompany:
		w.Write([]byte(`{"identifier":"synth"}`))
	case p == "/v1/companies/synth/postings":
		w.Write([]byte(`{"totalFound":0,"content":[]}`))
	default:
		w.Write([]byte(`{"totalFound":0,"content":[]}`))
	}
}
