package simapi

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func okHandler(body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteRaw(w, http.StatusOK, []byte(body))
	})
}

// faultOutcomes sends each path n times in order and records status or "trunc".
func faultOutcomes(t *testing.T, url string, paths []string, n int) []string {
	t.Helper()
	var out []string
	for _, p := range paths {
		for i := 0; i < n; i++ {
			resp, err := http.Get(url + p)
			if err != nil {
				t.Fatal(err)
			}
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
			switch {
			case err != nil && errors.Is(err, io.ErrUnexpectedEOF):
				out = append(out, "trunc")
			case err != nil:
				t.Fatalf("read %s: %v", p, err)
			default:
				out = append(out, fmt.Sprint(resp.StatusCode))
			}
		}
	}
	return out
}

func TestFaultsDeterministicAndCounted(t *testing.T) {
	body := `{"content":[` + strings.Repeat(`"xxxxxxxxxx",`, 50) + `"end"]}`
	paths := []string{"/a?x=1", "/a?x=2", "/b", "/c/d?limit=100"}
	cfg := FaultConfig{Seed: 7, FailRate: 0.3, TruncateRate: 0.3}
	run := func() ([]string, FaultReport) {
		f := NewFaults(cfg, nil)
		srv := httptest.NewServer(f.Wrap(okHandler(body)))
		defer srv.Close()
		return faultOutcomes(t, srv.URL, paths, 25), f.Counters().Report()
	}
	a, ra := run()
	b, rb := run()
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Fatalf("faults not deterministic:\n%v\n%v", a, b)
	}
	if ra != rb {
		t.Fatalf("reports differ: %+v %+v", ra, rb)
	}
	count := map[string]int{}
	for _, o := range a {
		count[o]++
	}
	if count["200"] == 0 || count["trunc"] == 0 || count["500"]+count["503"] == 0 {
		t.Fatalf("expected every outcome, got %v", count)
	}
	want := FaultReport{Requests: int64(len(a)), Failed: int64(count["500"] + count["503"]), Truncated: int64(count["trunc"])}
	if ra != want {
		t.Fatalf("report %+v, want %+v", ra, want)
	}
	// A different seed gives a different pattern.
	cfg.Seed = 8
	c, _ := run()
	if strings.Join(a, ",") == strings.Join(c, ",") {
		t.Fatalf("seed does not change the faults")
	}
}

func TestFaultsIndependentOfConcurrency(t *testing.T) {
	cfg := FaultConfig{Seed: 3, FailRate: 0.5}
	f := NewFaults(cfg, nil)
	srv := httptest.NewServer(f.Wrap(okHandler(`{}`)))
	defer srv.Close()
	// Many goroutines, each repeating its own path: the outcome of the k-th
	// attempt of a path must equal Decide(path, k).
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := fmt.Sprintf("/p/%d?q=%d", g, g)
			for k := uint32(1); k <= 20; k++ {
				resp, err := http.Get(srv.URL + p)
				if err != nil {
					errs <- err
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				want := http.StatusOK
				switch f.Decide("GET", p, k) {
				case FaultFail500:
					want = 500
				case FaultFail503:
					want = 503
				}
				if resp.StatusCode != want {
					errs <- fmt.Errorf("%s attempt %d: %d, want %d", p, k, resp.StatusCode, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestFaultErrorBody(t *testing.T) {
	f := NewFaults(FaultConfig{FailRate: 1}, nil)
	rec := httptest.NewRecorder()
	f.Wrap(okHandler(`{}`)).ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != 500 && rec.Code != 503 {
		t.Fatalf("status %d", rec.Code)
	}
	var eb ErrorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &eb); err != nil || eb.Message == "" || len(eb.Errors) != 1 || eb.Errors[0].Code == "" {
		t.Fatalf("error body %q: %v", rec.Body.String(), err)
	}
}

func TestLatency(t *testing.T) {
	f := NewFaults(FaultConfig{Latency: 30 * time.Millisecond}, nil)
	start := time.Now()
	rec := httptest.NewRecorder()
	f.Wrap(okHandler(`{}`)).ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Fatalf("latency %v", d)
	}
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func credReq(cred, path string) *http.Request {
	r := httptest.NewRequest("GET", path, nil)
	return r.WithContext(WithCredential(r.Context(), cred))
}

func TestLimiterRate(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1000, 0)}
	counters := &Counters{}
	l := NewLimiter(LimitConfig{Rate: 10, Concurrent: 8, Now: clk.Now}, counters)
	h := l.Wrap(okHandler(`{}`))
	type step struct {
		advance time.Duration
		cred    string
		code    int
		rem     string
		retry   string
	}
	var steps []step
	for i := 0; i < 10; i++ {
		steps = append(steps, step{advance: 10 * time.Millisecond, cred: "a", code: 200, rem: fmt.Sprint(9 - i)})
	}
	steps = append(steps,
		step{0, "a", 429, "0", "1"},
		step{0, "a", 429, "0", ""},
		step{0, "a", 429, "0", "1"},
		step{0, "b", 200, "9", ""},                      // other credential unaffected
		step{880 * time.Millisecond, "a", 429, "0", ""}, // first start at +10ms, now +980ms
		step{40 * time.Millisecond, "a", 200, "1", ""},  // now +1020ms: first two dropped out of the window
		step{0, "a", 200, "0", ""},
		step{0, "a", 429, "0", "1"},
	)
	for i, s := range steps {
		clk.Add(s.advance)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, credReq(s.cred, "/x"))
		if rec.Code != s.code {
			t.Fatalf("step %d: status %d, want %d", i, rec.Code, s.code)
		}
		hd := rec.Header()
		if hd.Get("X-RateLimit-Limit") != "10" || hd.Get("X-RateLimit-Concurrent-Limit") != "8" || hd.Get("X-RateLimit-Concurrent-Remaining") == "" {
			t.Fatalf("step %d: headers %v", i, hd)
		}
		if got := hd.Get("X-RateLimit-Remaining"); got != s.rem {
			t.Fatalf("step %d: remaining %q, want %q", i, got, s.rem)
		}
		if got := hd.Get("Retry-After"); got != s.retry {
			t.Fatalf("step %d: Retry-After %q, want %q", i, got, s.retry)
		}
	}
	if got := counters.Report().Throttled; got != 5 {
		t.Fatalf("throttled %d, want 5", got)
	}
}

// blockingHandler holds requests until release is closed.
func blockingHandler(entered chan<- struct{}, release <-chan struct{}) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
		WriteRaw(w, http.StatusOK, []byte(`{}`))
	})
}

func TestLimiterConcurrencyAndPathCaps(t *testing.T) {
	l := NewLimiter(LimitConfig{Rate: 0, Concurrent: 3, PathCaps: map[string]int{"GET /candidates": 1}}, nil)
	entered := make(chan struct{}, 10)
	release := make(chan struct{})
	h := l.Wrap(blockingHandler(entered, release))
	var wg sync.WaitGroup
	start := func(cred, path string) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.ServeHTTP(httptest.NewRecorder(), credReq(cred, path))
		}()
		<-entered
	}
	do := func(cred, path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		done := make(chan struct{})
		go func() { h.ServeHTTP(rec, credReq(cred, path)); close(done) }()
		select {
		case <-done:
		case <-entered:
			t.Fatalf("%s %s was admitted", cred, path)
		}
		return rec
	}
	start("a", "/candidates?limit=100")
	if rec := do("a", "/candidates?pageId=x"); rec.Code != 429 {
		t.Fatalf("second candidate list: %d", rec.Code)
	}
	start("b", "/candidates")     // other credential
	start("a", "/candidates/123") // not the list
	start("a", "/jobs")
	rec := do("a", "/jobs")
	if rec.Code != 429 || rec.Header().Get("X-RateLimit-Concurrent-Remaining") != "0" {
		t.Fatalf("over concurrency: %d %v", rec.Code, rec.Header())
	}
	if _, ok := rec.Header()["X-Ratelimit-Limit"]; ok {
		t.Fatalf("rate headers with unlimited rate: %v", rec.Header())
	}
	close(release)
	wg.Wait()
	// All slots are free again.
	rec = httptest.NewRecorder()
	h2 := l.Wrap(okHandler(`{}`))
	h2.ServeHTTP(rec, credReq("a", "/candidates"))
	if rec.Code != 200 || rec.Header().Get("X-RateLimit-Concurrent-Remaining") != "2" {
		t.Fatalf("after release: %d %v", rec.Code, rec.Header())
	}
}

// A client that has read a whole body must be able to send the next request
// at once without meeting its own previous request in the accounting.
func TestLimiterReleasesBeforeBody(t *testing.T) {
	l := NewLimiter(LimitConfig{Concurrent: 1, PathCaps: map[string]int{"GET /candidates": 1}}, nil)
	srv := httptest.NewServer(l.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := []byte(`{"content":[` + strings.Repeat(`"x",`, 5000) + `"y"]}`)
		WriteRaw(w, 200, body)
		time.Sleep(2 * time.Millisecond) // work after the body must not hold the slot
	})))
	defer srv.Close()
	for i := 0; i < 200; i++ {
		resp, err := http.Get(srv.URL + "/candidates")
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("request %d: %d", i, resp.StatusCode)
		}
	}
}

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, "127.0.0.1:0", okHandler(`{"ok":true}`), pw); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	url := strings.TrimSuffix(line, "\n")
	if !strings.HasPrefix(url, "http://127.0.0.1:") || strings.TrimPrefix(url, "http://127.0.0.1:") == "" {
		t.Fatalf("announced %q", line)
	}
	resp, err := http.Get(url + "/x")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != `{"ok":true}` {
		t.Fatalf("body %q", b)
	}
	go io.Copy(io.Discard, pr)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not stop")
	}
}

func TestMarshal(t *testing.T) {
	got := string(MustMarshal(Object{{"z", "<a&b>"}, {"a", []int{1}}, {"m", Object{}}}))
	if want := `{"z":"<a&b>","a":[1],"m":{}}`; got != want {
		t.Fatalf("got %s want %s", got, want)
	}
}
