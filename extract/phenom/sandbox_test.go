package phenom

import (
	"errors"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/atslake/atslake/extract"
	sandbox "github.com/atslake/atslake/sandbox/phenom"
)

// startSandbox runs the Phenom sandbox on loopback and returns it with an
// extractor configured for it.
func startSandbox(t *testing.T, cfg sandbox.Config, edit func(*Config)) (*sandbox.Server, *Extractor) {
	t.Helper()
	s, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	c := Config{BaseURL: hs.URL, TokenURL: hs.URL, ClientID: sandbox.DefaultClientID, ClientSecret: sandbox.DefaultClientSecret,
		BackoffFirst: time.Millisecond, BackoffMax: 20 * time.Millisecond}
	if edit != nil {
		edit(&c)
	}
	return s, mustNew(t, c)
}

// distinctKeys returns the sorted distinct keys of the documents of kind.
func distinctKeys(docs []doc, kind string) []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range docs {
		if d.kind == kind && !seen[d.key] {
			seen[d.key] = true
			out = append(out, d.key)
		}
	}
	slices.Sort(out)
	return out
}

func sandboxConfig(scale int) sandbox.Config {
	c := sandbox.DefaultConfig()
	c.Scale = scale
	return c
}

// checkAgainstTruth checks that the documents hold every job and
// application the sandbox's truth lists, in the documented order.
func checkAgainstTruth(t *testing.T, s *sandbox.Server, docs []doc) {
	t.Helper()
	truth := s.Truth()
	if got, want := distinctKeys(docs, KindJob), truth.Tables["jobs"]; !slices.Equal(got, want) {
		t.Errorf("job keys: %d, truth %d", len(got), len(want))
	}
	if got, want := distinctKeys(docs, KindApplication), truth.Tables["applications"]; !slices.Equal(got, want) {
		t.Errorf("application keys: %d, truth %d", len(got), len(want))
	}
	var order []string
	for _, d := range docs {
		if len(order) == 0 || order[len(order)-1] != d.kind {
			order = append(order, d.kind)
		}
	}
	if want := []string{KindJob, extract.KindListComplete, KindApplication, extract.KindListComplete}; !slices.Equal(order, want) {
		t.Errorf("document order %v, want %v", order, want)
	}
}

func TestSandboxFullRead(t *testing.T) {
	s, e := startSandbox(t, sandboxConfig(400), nil)
	docs, err := run(t, e)
	if err != nil {
		t.Fatal(err)
	}
	checkAgainstTruth(t, s, docs)
	jobDocs := 0
	for _, d := range docs {
		if d.kind == KindJob {
			jobDocs++
		}
	}
	if jobDocs <= len(s.Truth().Tables["jobs"]) {
		t.Errorf("%d job documents for %d jobs: the locale duplicates are missing", jobDocs, len(s.Truth().Tables["jobs"]))
	}
	// The application count is an exact multiple of 100: the last page is empty.
	apps := len(distinctKeys(docs, KindApplication))
	if apps%100 != 0 {
		t.Fatalf("sandbox served %d applications, not a multiple of 100", apps)
	}
	st := e.Stats()
	jobPages := (jobDocs + 99) / 100
	if want := int64(1 + jobPages + apps/100 + 1); st.Requests != want {
		t.Errorf("%d requests, want %d (token, %d job pages, %d application pages and an empty one)", st.Requests, want, jobPages, apps/100)
	}
}

func TestSandboxShortLivedTokens(t *testing.T) {
	cfg := sandboxConfig(600)
	cfg.TokenTTL = time.Second // exp rounds up to a whole second: 1-2 s
	cfg.Latency = 120 * time.Millisecond
	s, e := startSandbox(t, cfg, nil)
	start := time.Now()
	docs, err := run(t, e)
	if err != nil {
		t.Fatal(err)
	}
	checkAgainstTruth(t, s, docs)
	elapsed := time.Since(start)
	t.Logf("%d tokens, %d requests in %v", e.TokenRefreshes(), e.Stats().Requests, elapsed)
	if n := e.TokenRefreshes(); n < 2 || time.Duration(n)*2*time.Second < elapsed {
		t.Errorf("%d tokens in %v with 1-2 s tokens", n, elapsed)
	}
	if st := e.Stats(); st.Retries != 0 {
		t.Errorf("%d retries: a token expired in use", st.Retries)
	}
}

func TestSandboxFaults(t *testing.T) {
	clean, e := startSandbox(t, sandboxConfig(300), nil)
	want, err := run(t, e)
	if err != nil {
		t.Fatal(err)
	}
	cfg := sandboxConfig(300)
	cfg.FailRate, cfg.TruncateRate = 0.2, 0.1
	faulty, e := startSandbox(t, cfg, func(c *Config) { c.Retries = 10 })
	got, err := run(t, e)
	if err != nil {
		t.Fatal(err)
	}
	compareDocs(t, got, want)
	checkAgainstTruth(t, clean, got)
	if f := faulty.FaultReport(); e.Stats().Retries == 0 || f.Failed+f.Truncated == 0 {
		t.Errorf("no faults met: stats %+v, faults %+v", e.Stats(), f)
	}
}

func TestSandboxBadCredentials(t *testing.T) {
	_, e := startSandbox(t, sandboxConfig(sandbox.MinScale), func(c *Config) { c.ClientSecret = "not-the-secret" })
	_, err := run(t, e)
	if !errors.Is(err, extract.ErrUnauthorized) {
		t.Fatalf("error %v, want ErrUnauthorized", err)
	}
}
