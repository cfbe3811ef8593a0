package extract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// script serves its steps in order, one per request; the last step repeats.
type script struct {
	n     atomic.Int64
	steps []http.HandlerFunc
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int(s.n.Add(1) - 1)
	s.steps[min(i, len(s.steps)-1)](w, r)
}

func (s *script) requests() int { return int(s.n.Load()) }

func reply(status int, body string, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

const okBody = `{"id":"j1","title":"Engineer","tags":["a","b"]}`

var ok = reply(200, okBody)

// truncatedLength announces a length, sends half of it and drops the connection.
func truncatedLength(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Length", fmt.Sprint(len(okBody)))
	io.WriteString(w, okBody[:len(okBody)/2])
	w.(http.Flusher).Flush()
	panic(http.ErrAbortHandler)
}

// truncatedChunked sends part of a chunked body and drops the connection.
func truncatedChunked(w http.ResponseWriter, r *http.Request) {
	io.WriteString(w, `{"id":"j1","title":"`+strings.Repeat("x", 10000))
	w.(http.Flusher).Flush()
	panic(http.ErrAbortHandler)
}

// hangUp closes the connection without a reply.
func hangUp(w http.ResponseWriter, r *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

// stall waits d (or until the client goes away) before step.
func stall(d time.Duration, step http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
		step(w, r)
	}
}

// slowBody sends half the body, stalls d, then the rest.
func slowBody(d time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(okBody)))
		io.WriteString(w, okBody[:10])
		w.(http.Flusher).Flush()
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
		io.WriteString(w, okBody[10:])
	}
}

func newTestClient(t testing.TB, h http.Handler, opts ...Option) (*Client, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	opts = append([]Option{WithBackoff(time.Millisecond, 5*time.Millisecond), WithLogger(discardLogger)}, opts...)
	c, err := New(srv.URL, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

var discardLogger = slog.New(slog.DiscardHandler)

type job struct {
	ID    string          `json:"id"`
	Title string          `json:"title"`
	Tags  json.RawMessage `json:"tags"`
}

func TestGetJSON(t *testing.T) {
	srErr := `{"message":"Job not found","errors":[{"code":"JOB_NOT_FOUND","message":"no job j9"}]}`
	tests := []struct {
		name     string
		steps    []http.HandlerFunc
		opts     []Option
		wantErr  []error // all must match; nil: success
		wantMsg  []string
		requests int
		stats    Stats // only Retries and Throttled are compared
		status   int   // the *HTTPError status the error must hold
	}{
		{name: "ok", steps: []http.HandlerFunc{ok}, requests: 1},
		{name: "429 without Retry-After then ok", steps: []http.HandlerFunc{reply(429, `{"message":"slow down"}`), ok},
			requests: 2, stats: Stats{Retries: 1, Throttled: 1}},
		{name: "429 with Retry-After 0 is no hint", steps: []http.HandlerFunc{reply(429, "", "Retry-After", "0"), reply(429, "", "Retry-After", "-3"), ok},
			requests: 3, stats: Stats{Retries: 2, Throttled: 2}},
		{name: "5xx then ok", steps: []http.HandlerFunc{reply(500, ""), reply(502, ""), reply(503, ""), reply(504, ""), ok},
			requests: 5, stats: Stats{Retries: 4}},
		{name: "network error then ok", steps: []http.HandlerFunc{hangUp, ok}, requests: 2, stats: Stats{Retries: 1}},
		{name: "truncated body (content-length) retried", steps: []http.HandlerFunc{truncatedLength, ok}, requests: 2, stats: Stats{Retries: 1}},
		{name: "truncated body (chunked) retried", steps: []http.HandlerFunc{truncatedChunked, truncatedChunked, ok}, requests: 3, stats: Stats{Retries: 2}},
		{name: "timeout then ok", steps: []http.HandlerFunc{stall(2*time.Second, ok), ok}, opts: []Option{WithTimeout(100 * time.Millisecond)},
			requests: 2, stats: Stats{Retries: 1}},
		{name: "slow body times out then ok", steps: []http.HandlerFunc{slowBody(2 * time.Second), ok}, opts: []Option{WithTimeout(100 * time.Millisecond)},
			requests: 2, stats: Stats{Retries: 1}},
		{name: "slow body within timeout", steps: []http.HandlerFunc{slowBody(50 * time.Millisecond)}, opts: []Option{WithTimeout(time.Second)}, requests: 1},
		{name: "retries exhausted", steps: []http.HandlerFunc{reply(503, `{"message":"maintenance"}`)}, opts: []Option{WithRetries(2)},
			wantErr: []error{ErrRetriesExhausted}, wantMsg: []string{"GET /jobs/j1", "HTTP 503", "maintenance", "3 attempts"}, requests: 3, stats: Stats{Retries: 2}, status: 503},
		{name: "retries exhausted on network errors", steps: []http.HandlerFunc{hangUp}, opts: []Option{WithRetries(1)},
			wantErr: []error{ErrRetriesExhausted}, wantMsg: []string{"GET /jobs/j1"}, requests: 2, stats: Stats{Retries: 1}},
		{name: "retries exhausted on timeouts", steps: []http.HandlerFunc{stall(2*time.Second, ok)}, opts: []Option{WithRetries(1), WithTimeout(50 * time.Millisecond)},
			wantErr: []error{ErrRetriesExhausted, errAttemptTimeout}, wantMsg: []string{"GET /jobs/j1", "timed out"}, requests: 2, stats: Stats{Retries: 1}},
		{name: "no retries", steps: []http.HandlerFunc{reply(500, "")}, opts: []Option{WithRetries(0)},
			wantErr: []error{ErrRetriesExhausted}, requests: 1, status: 500},
		{name: "404 not retried", steps: []http.HandlerFunc{reply(404, srErr)},
			wantErr: []error{ErrNotFound}, wantMsg: []string{"GET /jobs/j1: HTTP 404: Job not found; JOB_NOT_FOUND: no job j9"}, requests: 1, status: 404},
		{name: "403 not retried", steps: []http.HandlerFunc{reply(403, `{"status":403,"message":"no access"}`)},
			wantErr: []error{ErrForbidden}, wantMsg: []string{"HTTP 403: no access"}, requests: 1, status: 403},
		{name: "400 not retried", steps: []http.HandlerFunc{reply(400, `<html>bad</html>`)},
			wantMsg: []string{"GET /jobs/j1: HTTP 400"}, requests: 1, status: 400},
		{name: "non-JSON body", steps: []http.HandlerFunc{reply(200, "<html><body>maintenance</body></html>")},
			wantErr: []error{ErrMalformed}, wantMsg: []string{"GET /jobs/j1 (/jobs/{jobId})", "offset 1", "<html>"}, requests: 1},
		{name: "wrong JSON shape", steps: []http.HandlerFunc{reply(200, `{"id": 17}`)},
			wantErr: []error{ErrMalformed}, wantMsg: []string{"offset"}, requests: 1},
		{name: "empty body", steps: []http.HandlerFunc{reply(200, "")},
			wantErr: []error{ErrMalformed}, requests: 1},
		{name: "body too large (content-length)", steps: []http.HandlerFunc{reply(200, `{"id":"`+strings.Repeat("x", 5000)+`"}`)},
			opts: []Option{WithMaxBodySize(1024)}, wantErr: []error{ErrBodyTooLarge}, requests: 1},
		{name: "body too large (chunked)", steps: []http.HandlerFunc{func(w http.ResponseWriter, r *http.Request) {
			for range 100 {
				io.WriteString(w, strings.Repeat("x", 1000))
				w.(http.Flusher).Flush()
			}
		}}, opts: []Option{WithMaxBodySize(1024)}, wantErr: []error{ErrBodyTooLarge}, requests: 1},
		{name: "body of exactly the maximum", steps: []http.HandlerFunc{ok}, opts: []Option{WithMaxBodySize(int64(len(okBody)))}, requests: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := &script{steps: tt.steps}
			c, _ := newTestClient(t, s, tt.opts...)
			var got job
			err := c.GetJSON(t.Context(), "/jobs/{jobId}", "/jobs/j1", nil, &got)
			if tt.wantErr == nil && tt.wantMsg == nil {
				if err != nil {
					t.Fatalf("GetJSON: %v", err)
				}
				if got.ID != "j1" || got.Title != "Engineer" || string(got.Tags) != `["a","b"]` {
					t.Errorf("decoded %+v", got)
				}
			} else {
				if err == nil {
					t.Fatal("GetJSON succeeded, want an error")
				}
				for _, want := range tt.wantErr {
					if !errors.Is(err, want) {
						t.Errorf("error %q does not match %v", err, want)
					}
				}
				for _, want := range tt.wantMsg {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q does not contain %q", err, want)
					}
				}
				var he *HTTPError
				if tt.status != 0 && (!errors.As(err, &he) || he.Status != tt.status || he.Endpoint != "/jobs/{jobId}" || he.Path != "/jobs/j1") {
					t.Errorf("error %q: want an *HTTPError with status %d", err, tt.status)
				}
			}
			if s.requests() != tt.requests {
				t.Errorf("server saw %d requests, want %d", s.requests(), tt.requests)
			}
			st := c.Stats()
			if st.Requests != int64(tt.requests) || st.Retries != tt.stats.Retries || st.Throttled != tt.stats.Throttled {
				t.Errorf("stats %+v, want %d requests, %d retries, %d throttled", st, tt.requests, tt.stats.Retries, tt.stats.Throttled)
			}
			if wantFail := int64(len(tt.wantErr) + len(tt.wantMsg)); min(wantFail, 1) != st.Failures {
				t.Errorf("stats.Failures = %d, want %d", st.Failures, min(wantFail, 1))
			}
		})
	}
}

func TestHTTPErrorAfterExhaustion(t *testing.T) {
	c, _ := newTestClient(t, reply(503, `{"status":503,"message":"down"}`), WithRetries(1))
	err := c.GetJSON(t.Context(), "/jobs", "/jobs", nil, nil)
	var he *HTTPError
	if !errors.As(err, &he) || he.Status != 503 || he.Message != "down" || he.Endpoint != "/jobs" || he.Method != "GET" {
		t.Fatalf("error %v: want an *HTTPError 503 inside", err)
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	for _, status := range []int{429, 503} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			var times []time.Time
			var mu sync.Mutex
			s := &script{steps: []http.HandlerFunc{reply(status, "", "Retry-After", "1"), ok}}
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				times = append(times, time.Now())
				mu.Unlock()
				s.ServeHTTP(w, r)
			})
			c, _ := newTestClient(t, h) // backoff at most 5ms: only the hint explains a 1s wait
			if err := c.GetJSON(t.Context(), "/x", "/x", nil, nil); err != nil {
				t.Fatal(err)
			}
			if len(times) != 2 {
				t.Fatalf("%d requests, want 2", len(times))
			}
			if d := times[1].Sub(times[0]); d < 950*time.Millisecond || d > 3*time.Second {
				t.Errorf("retried after %v, want about 1s", d)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"-5", 0},
		{"NaN", 0},
		{"abc", 0},
		{"3", 3 * time.Second},
		{" 2 ", 2 * time.Second},
		{"1.5", 1500 * time.Millisecond},
		{"99999999999", time.Hour},
		{"+Inf", time.Hour},
		{now.Add(10 * time.Second).Format(http.TimeFormat), 10 * time.Second},
		{now.Add(-10 * time.Second).Format(http.TimeFormat), 0},
		{now.Add(48 * time.Hour).Format(http.TimeFormat), time.Hour},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestBackoffFullJitter(t *testing.T) {
	c, err := New("http://example.invalid", WithBackoff(100*time.Millisecond, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	for n, ceil := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 4: 800 * time.Millisecond, 5: time.Second, 60: time.Second} {
		var maxSeen, minSeen time.Duration = 0, ceil
		for range 2000 {
			d := c.backoff(n)
			if d < 0 || d > ceil {
				t.Fatalf("backoff(%d) = %v outside [0, %v]", n, d, ceil)
			}
			maxSeen, minSeen = max(maxSeen, d), min(minSeen, d)
		}
		if maxSeen < ceil*8/10 || minSeen > ceil*2/10 {
			t.Errorf("backoff(%d) spans [%v, %v], want most of [0, %v]", n, minSeen, maxSeen, ceil)
		}
	}
}

func TestHeadersAndQuery(t *testing.T) {
	var got *http.Request
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(context.Background())
		ok(w, r)
	})
	c, srv := newTestClient(t, h, WithHeader("Accept-Language", "en"), WithAuth(APIKey("x-smarttoken", "secret-key")))
	_ = srv
	q := url.Values{"sort": {"job_id"}, "q": {"a b&c"}}
	if err := c.GetJSON(t.Context(), "/jobs", "/jobs?fixed=1", q, nil); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"Accept": "application/json", "Accept-Language": "en", "X-Smarttoken": "secret-key"} {
		if v := got.Header.Get(k); v != want {
			t.Errorf("header %s = %q, want %q", k, v, want)
		}
	}
	if got.URL.Path != "/jobs" || got.URL.Query().Get("fixed") != "1" || got.URL.Query().Get("sort") != "job_id" || got.URL.Query().Get("q") != "a b&c" {
		t.Errorf("URL %s", got.URL)
	}
}

func TestBasePathPrefix(t *testing.T) {
	var path string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.Path
		ok(w, r)
	}))
	defer srv.Close()
	c, err := New(srv.URL + "/api/v1/")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.GetJSON(t.Context(), "/jobs/{id}", "/jobs/"+url.PathEscape("a b"), nil, nil); err != nil {
		t.Fatal(err)
	}
	if path != "/api/v1/jobs/a b" {
		t.Errorf("server saw path %q", path)
	}
}

func TestNewRejectsBadBaseURL(t *testing.T) {
	for _, u := range []string{"", "example.com", "ftp://example.com", "http://", "http://user:pw@%zz"} {
		c, err := New(u)
		if err == nil {
			t.Errorf("New(%q) = %v, want an error", u, c)
		}
		if err != nil && strings.Contains(err.Error(), "pw") && !strings.Contains(u, "%zz") {
			t.Errorf("New(%q) error %q shows the password", u, err)
		}
	}
}

// tokenServer is an API that accepts only the listed bearer tokens.
func bearerAPI(valid ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for _, v := range valid {
			if r.Header.Get("Authorization") == "Bearer "+v {
				ok(w, r)
				return
			}
		}
		reply(401, `{"message":"invalid token"}`)(w, r)
	}
}

// countingFetch hands out tokens t1, t2, ... with the given lifetime.
func countingFetch(n *atomic.Int64, ttl time.Duration) TokenFetcher {
	return func(ctx context.Context) (string, time.Time, error) {
		i := n.Add(1)
		var exp time.Time
		if ttl > 0 {
			exp = time.Now().Add(ttl)
		}
		return fmt.Sprintf("t%d", i), exp, nil
	}
}

func TestUnauthorized(t *testing.T) {
	tests := []struct {
		name     string
		valid    []string
		wantErr  error
		fetches  int64
		requests int
	}{
		{name: "refresh then ok", valid: []string{"t2"}, fetches: 2, requests: 2},
		{name: "first token ok", valid: []string{"t1"}, fetches: 1, requests: 1},
		{name: "401 twice", valid: nil, wantErr: ErrUnauthorized, fetches: 2, requests: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int64
			s := &script{steps: []http.HandlerFunc{bearerAPI(tt.valid...)}}
			c, _ := newTestClient(t, s, WithAuth(NewCachedToken(countingFetch(&n, time.Hour))))
			err := c.GetJSON(t.Context(), "/jobs", "/jobs", nil, nil)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			var he *HTTPError
			if err != nil && (!errors.As(err, &he) || he.Status != 401 || !strings.Contains(err.Error(), "invalid token")) {
				t.Errorf("error %q: want the 401 *HTTPError", err)
			}
			if n.Load() != tt.fetches || s.requests() != tt.requests {
				t.Errorf("%d token fetches and %d requests, want %d and %d", n.Load(), s.requests(), tt.fetches, tt.requests)
			}
		})
	}
	t.Run("api key", func(t *testing.T) {
		s := &script{steps: []http.HandlerFunc{reply(401, `{"message":"bad key"}`)}}
		c, _ := newTestClient(t, s, WithAuth(APIKey("X-SmartToken", "k")))
		err := c.GetJSON(t.Context(), "/jobs", "/jobs", nil, nil)
		if !errors.Is(err, ErrUnauthorized) || s.requests() != 2 {
			t.Errorf("err = %v after %d requests, want ErrUnauthorized after 2", err, s.requests())
		}
	})
	t.Run("no authenticator", func(t *testing.T) {
		s := &script{steps: []http.HandlerFunc{reply(401, "")}}
		c, _ := newTestClient(t, s)
		err := c.GetJSON(t.Context(), "/jobs", "/jobs", nil, nil)
		if !errors.Is(err, ErrUnauthorized) || s.requests() != 1 {
			t.Errorf("err = %v after %d requests, want ErrUnauthorized after 1", err, s.requests())
		}
	})
}

// An expired token rejected by many concurrent requests is refreshed once.
func TestUnauthorizedBurstRefreshesOnce(t *testing.T) {
	var n atomic.Int64
	var gate sync.WaitGroup
	gate.Add(8)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "Bearer t1" {
			gate.Done()
			gate.Wait() // every request has been sent with t1 before any 401 comes back
		}
		bearerAPI("t2")(w, r)
	})
	c, _ := newTestClient(t, h, WithAuth(NewCachedToken(countingFetch(&n, time.Hour))))
	// Fetch t1 first so that all 8 requests carry it.
	if err := c.auth.Authorize(t.Context(), httptest.NewRequest("GET", "/", nil)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if err := c.GetJSON(t.Context(), "/jobs", "/jobs", nil, nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n.Load() != 2 {
		t.Errorf("%d token fetches, want 2", n.Load())
	}
}

// recordHandler keeps slog records.
type recordHandler struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (h *recordHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *recordHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	h.recs = append(h.recs, r.Clone())
	h.mu.Unlock()
	return nil
}
func (h *recordHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recordHandler) WithGroup(string) slog.Handler      { return h }

func TestRetriesAreLogged(t *testing.T) {
	rh := &recordHandler{}
	s := &script{steps: []http.HandlerFunc{reply(429, ""), reply(503, ""), bearerAPI("t2")}}
	var n atomic.Int64
	c, _ := newTestClient(t, s, WithLogger(slog.New(rh)), WithAuth(NewCachedToken(countingFetch(&n, time.Hour))))
	if err := c.GetJSON(t.Context(), "/jobs/{jobId}", "/jobs/j1", nil, nil); err != nil {
		t.Fatal(err)
	}
	if len(rh.recs) != 3 {
		t.Fatalf("%d log records, want 3 (429, 503, 401)", len(rh.recs))
	}
	for i, wantStatus := range []int64{429, 503} {
		attrs := map[string]slog.Value{}
		rh.recs[i].Attrs(func(a slog.Attr) bool { attrs[a.Key] = a.Value; return true })
		if attrs["endpoint"].String() != "/jobs/{jobId}" || attrs["attempt"].Int64() != int64(i+1) ||
			attrs["status"].Int64() != wantStatus || attrs["delay"].Kind() != slog.KindDuration {
			t.Errorf("record %d: %v", i, attrs)
		}
	}
	for _, r := range rh.recs {
		var b strings.Builder
		b.WriteString(r.Message)
		r.Attrs(func(a slog.Attr) bool { b.WriteString(a.String()); return true })
		if strings.Contains(b.String(), "Bearer") || strings.Contains(b.String(), "t1") {
			t.Errorf("log record shows the credentials: %s", b.String())
		}
	}
}

func TestRateLimitWindow(t *testing.T) {
	const (
		n     = 5
		per   = 200 * time.Millisecond
		total = 30
	)
	var mu sync.Mutex
	var arrivals []time.Time
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		mu.Lock()
		// The sandbox's rule: admitted when fewer than n started in the last per.
		recent := 0
		for _, a := range arrivals {
			if now.Sub(a) < per {
				recent++
			}
		}
		arrivals = append(arrivals, now)
		mu.Unlock()
		if recent >= n {
			reply(429, "")(w, r)
			return
		}
		ok(w, r)
	})
	// The margin covers the time from the client's start to the handler
	// running; under the race detector that is up to tens of milliseconds.
	margin := defaultRateMargin
	if raceEnabled {
		margin = 60 * time.Millisecond
	}
	c, _ := newTestClient(t, h, WithRateLimit(n, per), WithRateMargin(margin), WithConcurrency(8), WithRetries(0))
	start := time.Now()
	var wg sync.WaitGroup
	for i := range total {
		wg.Go(func() {
			if err := c.GetJSON(t.Context(), "/jobs/{id}", fmt.Sprintf("/jobs/%d", i), nil, nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if st := c.Stats(); st.Throttled != 0 || st.Requests != total {
		t.Errorf("stats %+v: want %d requests, none throttled", st, total)
	}
	// Fully used: the last start can happen (total/n - 1) windows after the first.
	// How fully the limit is used is a benchmark figure (BenchmarkExtractRateLimited),
	// not a test assertion: a loaded machine only slows it down. Exceeding the
	// limit, though, is a bug at any load.
	ideal := time.Duration(total/n-1) * (per + margin)
	t.Logf("%d requests took %v (%.2f x the minimum %v)", total, elapsed, float64(elapsed)/float64(ideal), ideal)
	if elapsed < ideal-10*time.Millisecond {
		t.Errorf("%d requests took %v, faster than the limit allows (%v)", total, elapsed, ideal)
	}
}

func TestSlidingWindowNeverExceeds(t *testing.T) {
	// The limiter alone, many goroutines: no n+1 starts within per.
	const n, per = 4, 50 * time.Millisecond
	w := newSlidingWindow(n, per, 0)
	var mu sync.Mutex
	var starts []time.Time
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for range 5 {
				if err := w.wait(t.Context()); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				starts = append(starts, time.Now())
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	// starts are appended after wait returns, so their order may differ
	// slightly from admission order: sort them.
	sortTimes(starts)
	for i := n; i < len(starts); i++ {
		// Allow the scheduling slack between admission and the append.
		if d := starts[i].Sub(starts[i-n]); d < per-5*time.Millisecond {
			t.Fatalf("starts %d and %d only %v apart, want >= %v", i-n, i, d, per)
		}
	}
}

func TestSlidingWindowWidens(t *testing.T) {
	w := newSlidingWindow(10, time.Second, 15*time.Millisecond)
	want := []time.Duration{30, 45, 60, 75, 90, 100, 100}
	for i, m := range want {
		if got := w.widen(); got != m*time.Millisecond {
			t.Fatalf("widen #%d = %v, want %v", i+1, got, m*time.Millisecond)
		}
	}
	// A throttled reply widens the client's window.
	c, _ := newTestClient(t, &script{steps: []http.HandlerFunc{reply(429, ""), ok}}, WithRateLimit(10, time.Second))
	if err := c.GetJSON(t.Context(), "/x", "/x", nil, nil); err != nil {
		t.Fatal(err)
	}
	if m := c.impl.window.margin; m != 2*defaultRateMargin {
		t.Errorf("margin after a 429 = %v, want %v", m, 2*defaultRateMargin)
	}
}

func sortTimes(ts []time.Time) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Before(ts[j-1]); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

func TestConcurrencyCaps(t *testing.T) {
	var inFlight, maxInFlight, inCand, maxCand atomic.Int64
	raise := func(m *atomic.Int64, v int64) {
		for {
			old := m.Load()
			if v <= old || m.CompareAndSwap(old, v) {
				return
			}
		}
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raise(&maxInFlight, inFlight.Add(1))
		defer inFlight.Add(-1)
		if r.URL.Path == "/candidates" {
			raise(&maxCand, inCand.Add(1))
			defer inCand.Add(-1)
		}
		time.Sleep(20 * time.Millisecond)
		ok(w, r)
	})
	c, _ := newTestClient(t, h, WithConcurrency(3), WithPathConcurrency("/candidates", 1))
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Go(func() {
			if err := c.GetJSON(t.Context(), "/candidates", "/candidates", url.Values{"pageId": {fmt.Sprint(i)}}, nil); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() {
			if err := c.GetJSON(t.Context(), "/candidates/{id}", fmt.Sprintf("/candidates/%d", i), nil, nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if maxInFlight.Load() != 3 {
		t.Errorf("max %d requests in flight, want exactly the cap 3", maxInFlight.Load())
	}
	if maxCand.Load() != 1 {
		t.Errorf("max %d candidate-list requests in flight, want 1", maxCand.Load())
	}
}

func TestContextCancellationEndsWaits(t *testing.T) {
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	blocking := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	})
	tests := []struct {
		name  string
		h     http.Handler
		opts  []Option
		setup func(t *testing.T, c *Client) // occupies the limit first
	}{
		{name: "rate limiter", h: ok, opts: []Option{WithRateLimit(1, time.Hour)}, setup: func(t *testing.T, c *Client) {
			if err := c.GetJSON(t.Context(), "/x", "/x", nil, nil); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "concurrency slot", h: blocking, opts: []Option{WithConcurrency(1)}, setup: func(t *testing.T, c *Client) {
			go c.GetJSON(t.Context(), "/x", "/x", nil, nil)
			waitFor(t, func() bool { return c.Stats().Requests == 1 })
		}},
		{name: "path slot", h: blocking, opts: []Option{WithPathConcurrency("/x", 1)}, setup: func(t *testing.T, c *Client) {
			go c.GetJSON(t.Context(), "/x", "/x", nil, nil)
			waitFor(t, func() bool { return c.Stats().Requests == 1 })
		}},
		{name: "Retry-After", h: reply(429, "", "Retry-After", "3600")},
		{name: "backoff", h: reply(503, ""), opts: []Option{WithBackoff(time.Hour, time.Hour)}},
		{name: "slow server", h: blocking},
		{name: "token fetch", h: ok, opts: []Option{WithAuth(NewCachedToken(func(ctx context.Context) (string, time.Time, error) {
			<-ctx.Done()
			return "", time.Time{}, ctx.Err()
		}))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _ := newTestClient(t, tt.h, tt.opts...)
			if tt.setup != nil {
				tt.setup(t, c)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
			defer cancel()
			start := time.Now()
			err := c.GetJSON(ctx, "/x", "/x", nil, nil)
			if d := time.Since(start); d > time.Second {
				t.Errorf("GetJSON returned %v after the context ended", d-50*time.Millisecond)
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v, want context.DeadlineExceeded", err)
			}
			if c.Stats().Failures != 0 {
				t.Errorf("a cancelled request counted as a failure")
			}
		})
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestPostForm(t *testing.T) {
	var got url.Values
	var ct, auth string
	s := &script{steps: []http.HandlerFunc{reply(503, ""), func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		got, ct, auth = r.PostForm, r.Header.Get("Content-Type"), r.Header.Get("X-Key")
		reply(200, `{"access_token":"abc"}`)(w, r)
	}}}
	// Limits and the authenticator do not apply to PostForm.
	c, srv := newTestClient(t, s, WithRateLimit(1, time.Hour), WithConcurrency(1), WithAuth(APIKey("X-Key", "k")))
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := c.PostForm(t.Context(), "/token", srv.URL+"/token", url.Values{"a": {"1"}, "b": {"x y"}}, &out); err != nil {
		t.Fatal(err)
	}
	if out.AccessToken != "abc" || got.Get("a") != "1" || got.Get("b") != "x y" || ct != "application/x-www-form-urlencoded" || auth != "" {
		t.Errorf("out %+v, form %v, content type %q, auth %q", out, got, ct, auth)
	}
	if s.requests() != 2 {
		t.Errorf("%d requests, want 2 (one retry)", s.requests())
	}
}

func TestStatsBytes(t *testing.T) {
	c, _ := newTestClient(t, ok)
	for range 3 {
		if err := c.GetJSON(t.Context(), "/x", "/x", nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if st := c.Stats(); st.Bytes != int64(3*len(okBody)) || st.Requests != 3 {
		t.Errorf("stats %+v, want %d bytes", st, 3*len(okBody))
	}
}

func TestErrorMessage(t *testing.T) {
	tests := []struct{ body, want string }{
		{`{"message":"Job not found","errors":[{"code":"JOB_NOT_FOUND","message":"no such job"}]}`, "Job not found; JOB_NOT_FOUND: no such job"},
		{`{"status":401,"message":"Invalid credentials"}`, "Invalid credentials"},
		{`{"message":"x","errors":"weird"}`, "x"},
		{`{"errors":[{"code":"C"}]}`, "C"},
		{`{"message":42}`, ""},
		{`<html>oops</html>`, ""},
		{``, ""},
		{`{"message":"` + strings.Repeat("é", 400) + `"}`, strings.Repeat("é", 150) + "..."},
	}
	for _, tt := range tests {
		if got := errorMessage([]byte(tt.body)); got != tt.want {
			t.Errorf("errorMessage(%.40q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

// The decoded value must not alias the pooled body buffer.
func TestDecodedValuesOutliveTheBuffer(t *testing.T) {
	var i atomic.Int64
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"content":[{"n":%d}]}`, i.Add(1))
	})
	c, _ := newTestClient(t, h)
	var outs []map[string]json.RawMessage
	for range 20 {
		var out map[string]json.RawMessage
		if err := c.GetJSON(t.Context(), "/x", "/x", nil, &out); err != nil {
			t.Fatal(err)
		}
		outs = append(outs, out)
	}
	for k, out := range outs {
		if want := fmt.Sprintf(`[{"n":%d}]`, k+1); !bytes.Equal(out["content"], []byte(want)) {
			t.Fatalf("response %d decoded as %s, want %s", k, out["content"], want)
		}
	}
}
