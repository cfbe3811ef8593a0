package phenom

import (
	"encoding/base64"
	"encoding/json"

	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 3, 4, 10, 20, 30, 400_000_000, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// newTestServer returns a server with cfg (scale, seed set by the caller)
// running on loopback, and its base URL.
func newTestServer(t testing.TB, cfg Config) (*Server, string) {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs.URL
}

// do sends one request and returns the status and the whole body (a
// truncated body is an error).
func do(t testing.TB, method, u, token string, form url.Values) (int, []byte, error) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// mustGet is do for a GET that must reach the handler whole.
func mustGet(t testing.TB, u, token string) (int, []byte) {
	t.Helper()
	status, b, err := do(t, http.MethodGet, u, token, nil)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	return status, b
}

// fetchToken gets a token with the default credentials.
func fetchToken(t testing.TB, base string) string {
	t.Helper()
	status, b, err := do(t, http.MethodPost, base+pathToken, "", url.Values{formClientID: {DefaultClientID}, formClientSecret: {DefaultClientSecret}})
	if err != nil || status != http.StatusOK {
		t.Fatalf("token: %d %s %v", status, b, err)
	}
	var r tokenReply
	if err := json.Unmarshal(b, &r); err != nil || r.AccessToken == "" {
		t.Fatalf("token reply %s: %v", b, err)
	}
	return r.AccessToken
}

// jwtClaims decodes a token's payload.
func jwtClaims(t testing.TB, tok string) claims {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c claims
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// decodeError reads an error envelope and checks its status.
func decodeError(t testing.TB, status int, b []byte) errorBody {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("error body %q: %v", b, err)
	}
	if e.Status != status || e.Message == "" {
		t.Fatalf("error body %s: want status %d and a message", b, status)
	}
	return e
}

// allJobs reads the whole jobs listing of site with page size limit and
// returns the items and the totalRecordsCount of each page.
func allJobs(t testing.TB, base, token, site string, limit int) ([]wireJob, []int) {
	t.Helper()
	var items []wireJob
	var totals []int
	for offset := 0; ; {
		q := url.Values{paramSiteType: {site}, paramOffset: {itoa(offset)}, paramLimit: {itoa(limit)}}
		status, b := mustGet(t, base+pathJobs+"?"+q.Encode(), token)
		if status != http.StatusOK {
			t.Fatalf("jobs offset %d: %d %s", offset, status, b)
		}
		var p jobsPage
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		if p.Offset != offset || p.Limit != limit || p.Status != "success" || p.Data == nil {
			t.Fatalf("jobs page envelope %+v (offset %d limit %d)", p, offset, limit)
		}
		items = append(items, p.Data...)
		totals = append(totals, p.TotalRecordsCount)
		offset += len(p.Data)
		if len(p.Data) == 0 || offset >= p.TotalRecordsCount {
			return items, totals
		}
	}
}

// allApps reads the whole applications listing with page size limit and
// returns the items and the size of each page.
func allApps(t testing.TB, base, token string, limit int) ([]wireApp, []int) {
	t.Helper()
	var items []wireApp
	var sizes []int
	for offset := 0; ; {
		status, b := mustGet(t, base+pathApplications+"?offset="+itoa(offset)+"&limit="+itoa(limit), token)
		if status != http.StatusOK {
			t.Fatalf("applications offset %d: %d %s", offset, status, b)
		}
		var p appsPage
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		if p.Status != "success" || p.StatusCode != "200" || p.StatusMessage != "OK" || p.Data == nil {
			t.Fatalf("applications page envelope: %s", b[:min(len(b), 200)])
		}
		if strings.Contains(string(b), "totalRecordsCount") {
			t.Fatal("applications page has a total")
		}
		items = append(items, p.Data...)
		sizes = append(sizes, len(p.Data))
		offset += len(p.Data)
		if len(p.Data) < limit {
			return items, sizes
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func newHTTPTest(h http.Handler) *httptest.Server { return httptest.NewServer(h) }
