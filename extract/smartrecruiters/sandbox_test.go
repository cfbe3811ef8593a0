package smartrecruiters

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/atslake/atslake/extract"
	srsandbox "github.com/atslake/atslake/sandbox/smartrecruiters"
)

// startSandbox serves the SmartRecruiters sandbox in-process.
func startSandbox(t testing.TB, scale, rate int) (*srsandbox.Server, *httptest.Server) {
	t.Helper()
	cfg := srsandbox.DefaultConfig()
	cfg.Scale, cfg.RateLimit = scale, rate
	sb, err := srsandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return sb, srv
}

// sandboxExtractor returns an extractor with the default limits (or none).
func sandboxExtractor(t testing.TB, sb *srsandbox.Server, url string, rate int) *Extractor {
	cfg := DefaultConfig()
	cfg.BaseURL, cfg.Token, cfg.RateLimit = url, sb.Config().Token, rate
	return newExtractor(t, cfg)
}

// seen lists the keys of the documents of a kind, sorted.
func seen(docs []extract.Doc, kind string) []string {
	var out []string
	for _, d := range docs {
		if d.Kind == kind {
			out = append(out, d.Key)
		}
	}
	slices.Sort(out)
	return out
}

// nested collects ids found in the body member key of every document of a
// kind, with pick reading them from that member.
func nested(t *testing.T, docs []extract.Doc, kind, key string, pick func(json.RawMessage) []string) []string {
	t.Helper()
	var out []string
	for _, d := range docs {
		if d.Kind != kind {
			continue
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(d.Body, &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, pick(m[key])...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func equalIDs(t *testing.T, table string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: extracted %d ids, the sandbox has %d\n got %.300q\nwant %.300q", table, len(got), len(want), got, want)
	}
}

// timing records, for every request, when the client handed it to the
// transport (right after its rate limiter admitted it) and when the server
// got it, to tell the client's pacing from delays of an overloaded machine.
type timing struct {
	start time.Time
	mu    sync.Mutex
	sent  []time.Duration
	lag   time.Duration // largest delay from send to arrival
}

const sentHeader = "X-Test-Sent"

// RoundTrip stamps the request with its send time.
func (tm *timing) wrap(base http.RoundTripper) http.RoundTripper {
	return roundTripper(func(r *http.Request) (*http.Response, error) {
		at := time.Since(tm.start)
		tm.mu.Lock()
		tm.sent = append(tm.sent, at)
		tm.mu.Unlock()
		r = r.Clone(r.Context())
		r.Header.Set(sentHeader, strconv.FormatInt(int64(at), 10))
		return base.RoundTrip(r)
	})
}

// serve measures the delay of every request before handing it to next.
func (tm *timing) serve(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sent, err := strconv.ParseInt(r.Header.Get(sentHeader), 10, 64); err == nil {
			lag := time.Since(tm.start) - time.Duration(sent)
			tm.mu.Lock()
			tm.lag = max(tm.lag, lag)
			tm.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestSandboxDefaultLimits runs a full extraction against the sandbox with
// the documented limits on both sides: the client never starts more than 10
// requests in a second, no request is throttled, the wall time approaches
// requests/10 s, and every record comes out.
func TestSandboxDefaultLimits(t *testing.T) {
	scfg := srsandbox.DefaultConfig()
	scfg.Scale = 20
	sb, err := srsandbox.New(scfg)
	if err != nil {
		t.Fatal(err)
	}
	tm := &timing{start: time.Now()}
	srv := httptest.NewServer(tm.serve(sb))
	defer srv.Close()
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	defer transport.CloseIdleConnections()

	cfg := DefaultConfig()
	cfg.BaseURL, cfg.Token = srv.URL, scfg.Token
	cfg.HTTPClient = &http.Client{Transport: tm.wrap(transport)}
	e := newExtractor(t, cfg)
	start := time.Now()
	res := collect(t, t.Context(), e, extract.Request{Mode: extract.Full})
	wall := time.Since(start)
	if res.err != nil {
		t.Fatal(res.err)
	}

	st := e.Stats()
	for i := DefaultRateLimit; i < len(tm.sent); i++ {
		if d := tm.sent[i] - tm.sent[i-DefaultRateLimit]; d < time.Second {
			t.Fatalf("requests %d to %d started within %v", i-DefaultRateLimit+1, i+1, d)
		}
	}
	if f := sb.FaultReport(); f.Throttled != 0 || st.Throttled != 0 {
		// The sandbox counts arrivals: only a machine too busy to deliver a
		// request within the margin may excuse a 429.
		if tm.lag <= e.cfg.RateMargin {
			t.Errorf("throttled: sandbox %d, client %d; want 0 (largest send-to-arrival delay %v)", f.Throttled, st.Throttled, tm.lag)
		} else {
			t.Logf("throttled %d times: a request took %v from send to arrival, more than the %v margin (machine overloaded)", f.Throttled, tm.lag, e.cfg.RateMargin)
		}
	}
	ideal := time.Duration(st.Requests) * time.Second / DefaultRateLimit
	ratio := wall.Seconds() / ideal.Seconds()
	t.Logf("%d requests in %v: %.2f x the ideal %v; largest send-to-arrival delay %v", st.Requests, wall.Round(time.Millisecond), ratio, ideal, tm.lag)
	if ratio > 1.25 {
		t.Errorf("wall time %v is %.2f x requests/10 s", wall, ratio)
	}
	if s := seen(res.docs, extract.KindSkipped); len(s) > 0 {
		t.Errorf("skipped records: %q", s)
	}

	truth := sb.Truth().Tables
	equalIDs(t, "candidates", seen(res.docs, KindCandidate), truth["candidates"])
	equalIDs(t, "jobs", seen(res.docs, KindJob), truth["jobs"])
	equalIDs(t, "applications", seen(res.docs, KindApplication), truth["applications"])
	equalIDs(t, "users", seen(res.docs, KindUser), truth["users"])
	equalIDs(t, "rejection_reasons", seen(res.docs, KindRejectionReason), truth["rejection_reasons"])
	equalIDs(t, "job_postings", nested(t, res.docs, KindJob, PathJobAds, func(raw json.RawMessage) []string {
		var ads []struct{ ID string }
		json.Unmarshal(raw, &ads)
		var ids []string
		for _, a := range ads {
			ids = append(ids, a.ID)
		}
		return ids
	}), truth["job_postings"])
	equalIDs(t, "screening_questions", nested(t, res.docs, KindPosting, PathPostingConfiguration, func(raw json.RawMessage) []string {
		var c struct{ Questions []struct{ ID string } }
		json.Unmarshal(raw, &c)
		var ids []string
		for _, q := range c.Questions {
			ids = append(ids, q.ID)
		}
		return ids
	}), truth["screening_questions"])
}

// TestSandboxIncremental advances the sandbox one epoch and reads only what
// changed: every changed candidate with all its applications, nothing older.
func TestSandboxIncremental(t *testing.T) {
	sb, srv := startSandbox(t, 60, 0)
	e := sandboxExtractor(t, sb, srv.URL, 0)
	watermark := time.Now().Add(-time.Second) // epoch-0 data is historical
	sb.Advance()
	res := collect(t, t.Context(), e, extract.Request{Mode: extract.Incremental, UpdatedAfter: watermark})
	if res.err != nil {
		t.Fatal(res.err)
	}
	truth := sb.Truth().Tables
	cands := seen(res.docs, KindCandidate)
	if len(cands) == 0 || len(cands) >= len(truth["candidates"]) {
		t.Fatalf("%d of %d candidates read incrementally", len(cands), len(truth["candidates"]))
	}
	var apps []string
	for _, a := range truth["applications"] {
		for _, c := range cands {
			if len(a) > len(c) && a[:len(c)+1] == c+":" {
				apps = append(apps, a)
			}
		}
	}
	equalIDs(t, "applications of changed candidates", seen(res.docs, KindApplication), apps)
	for _, d := range res.docs {
		if d.Kind != KindCandidate && d.Kind != KindJob {
			continue
		}
		var item struct{ UpdatedOn time.Time }
		var m map[string]json.RawMessage
		json.Unmarshal(d.Body, &m)
		list := m[PathCandidates]
		if d.Kind == KindJob {
			list = m[PathJobs]
		}
		if err := json.Unmarshal(list, &item); err != nil || item.UpdatedOn.Before(watermark.Truncate(time.Millisecond)) {
			t.Errorf("%s %s updated %v, before the watermark %v (%v)", d.Kind, d.Key, item.UpdatedOn, watermark, err)
		}
		if !slices.Contains(truth[d.Kind+"s"], d.Key) {
			t.Errorf("%s %s is not in the sandbox", d.Kind, d.Key)
		}
	}
}

// BenchmarkExtractRateLimited runs full extractions against the sandbox with
// the documented limits and reports the wall time as a multiple of the ideal
// requests/10 s ("x-of-ideal"; 1 means the rate limit was used fully).
// A run takes about 25 s: go test -run X -bench RateLimited -benchtime 1x
func BenchmarkExtractRateLimited(b *testing.B) {
	sb, srv := startSandbox(b, 20, srsandbox.DefaultConfig().RateLimit)
	e := sandboxExtractor(b, sb, srv.URL, DefaultRateLimit)
	var wall time.Duration
	var requests int64
	for b.Loop() {
		before := e.Stats().Requests
		start := time.Now()
		for rec, err := range e.Extract(context.Background(), extract.Request{Mode: extract.Full}) {
			if err != nil {
				b.Fatal(err)
			}
			rec.Release()
		}
		wall += time.Since(start)
		requests += e.Stats().Requests - before
	}
	ideal := time.Duration(requests) * time.Second / DefaultRateLimit
	b.ReportMetric(wall.Seconds()/ideal.Seconds(), "x-of-ideal")
	b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
	b.ReportMetric(float64(sb.FaultReport().Throttled), "throttled")
}
