package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/atslake/atslake/sandbox/simapi"
)

// scales keep every default run short: SmartRecruiters syncs are held to
// the documented 10 requests per second by the client (about 12 s at scale
// 10), Phenom has no such limit.
func srScale() string {
	if *long {
		return "40"
	}
	return "10"
}

func phScale() string {
	if *long {
		return "2000"
	}
	return "400"
}

// TestFaultsSurvived is the acceptance run: with 20% of requests
// failing, 5% of bodies cut off and 5 ms latency, a sync of each connector
// ends with a lake equal to the sandbox truth; the faults injected and the
// retries that survived them are reported.
func TestFaultsSurvived(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ connector, scale string }{
		{"smartrecruiters", srScale()},
		{"phenom", phScale()},
	} {
		t.Run(tc.connector, func(t *testing.T) {
			t.Parallel()
			sb := startSandbox(t, tc.connector, "--scale", tc.scale, "--fail-rate", "0.2", "--truncate-rate", "0.05", "--latency", "5ms")
			dir := t.TempDir()
			cfg := writeConfig(t, dir, conn{id: "faulty", sb: sb})
			res := mustSync(t, cfg)
			lake := filepath.Join(dir, "lake")
			tr := sb.truth(t)
			checkLake(t, lake, "faulty", tr)
			f := sb.faults(t)
			run := lastRun(t, lake, "faulty")
			injected := f.Failed + f.Truncated + f.Throttled
			t.Logf("%s scale %s in %v: faults injected: %d of %d requests (%d answered 500/503, %d bodies truncated, %d throttled 429); survived: run %s with %d requests, %d retries",
				tc.connector, tc.scale, res.elapsed.Round(time.Millisecond), injected, f.Requests, f.Failed, f.Truncated, f.Throttled,
				run.status, run.requests, run.retries)
			if run.status != "succeeded" || run.skipped != 0 {
				t.Errorf("run %+v, want succeeded without skips", run)
			}
			if f.Failed == 0 || f.Truncated == 0 {
				t.Errorf("faults %+v: the fault flags injected nothing", f)
			}
			// Every fault costs exactly one retry; nothing else should.
			if run.retries != injected {
				t.Errorf("%d retries for %d injected faults", run.retries, injected)
			}
			if want := f.Requests + tokenRequests(tc.connector, f.Tokens); run.requests != want {
				t.Errorf("the run counted %d requests, the sandbox %d", run.requests, want)
			}
		})
	}
}

// tokenRequests is how many of a run's requests the sandbox's fault layer
// did not count: Phenom's token endpoint is outside it.
func tokenRequests(connector string, tokens int64) int64 {
	if connector == "phenom" {
		return tokens
	}
	return 0
}

// TestFaultFlags checks each fault flag of the sandbox alone, for both
// connectors: the fault happens (the sandbox reports it, or a request
// shows it) and the sync still ends with the lake equal to the truth.
func TestFaultFlags(t *testing.T) {
	t.Parallel()
	type check func(t *testing.T, sb *sandbox, f faultsAndRun)
	flags := []struct {
		name  string
		sr    []string // SmartRecruiters arguments (nil: not applicable)
		ph    []string // Phenom arguments
		oauth bool     // SmartRecruiters through OAuth (tokens expire)
		check check
	}{
		{"fail-rate", []string{"--fail-rate", "0.3"}, []string{"--fail-rate", "0.3"}, false, func(t *testing.T, sb *sandbox, f faultsAndRun) {
			if f.Failed == 0 || f.run.retries < f.Failed {
				t.Errorf("%d failures injected, %d retries", f.Failed, f.run.retries)
			}
		}},
		{"truncate-rate", []string{"--truncate-rate", "0.2"}, []string{"--truncate-rate", "0.3"}, false, func(t *testing.T, sb *sandbox, f faultsAndRun) {
			if f.Truncated == 0 || f.run.retries < f.Truncated {
				t.Errorf("%d bodies truncated, %d retries", f.Truncated, f.run.retries)
			}
		}},
		{"latency", []string{"--latency", "150ms"}, []string{"--latency", "150ms"}, false, func(t *testing.T, sb *sandbox, f faultsAndRun) {
			if d := sb.probe(t); d < 150*time.Millisecond {
				t.Errorf("an API request took %v with --latency 150ms", d)
			}
		}},
		{"token-ttl", []string{"--token-ttl", "2s"}, []string{"--token-ttl", "1s", "--latency", "120ms", "--scale", "600"}, true, func(t *testing.T, sb *sandbox, f faultsAndRun) {
			// exp is rounded to whole seconds: a token lives ttl to ttl+1s.
			if f.Tokens < 2 {
				t.Errorf("%d tokens issued in a %v run with short-lived tokens", f.Tokens, f.res.elapsed)
			}
		}},
		{"rate-limit", []string{"--rate-limit", "6"}, []string{"--rate-limit", "1"}, false, func(t *testing.T, sb *sandbox, f faultsAndRun) {
			if f.Throttled == 0 || f.run.retries < f.Throttled {
				t.Errorf("%d requests throttled, %d retries", f.Throttled, f.run.retries)
			}
		}},
	}
	for _, fl := range flags {
		for _, connector := range []string{"smartrecruiters", "phenom"} {
			args := fl.sr
			scale := srScale()
			if connector == "phenom" {
				args, scale = fl.ph, phScale()
			}
			t.Run(fl.name+"/"+connector, func(t *testing.T) {
				t.Parallel()
				sb := startSandbox(t, connector, append([]string{"--scale", scale}, args...)...)
				dir := t.TempDir()
				cfg := writeConfig(t, dir, conn{id: "flag", sb: sb, oauth: fl.oauth})
				res := mustSync(t, cfg)
				lake := filepath.Join(dir, "lake")
				checkLake(t, lake, "flag", sb.truth(t))
				f := faultsAndRun{FaultReport: sb.faults(t), run: lastRun(t, lake, "flag"), res: res}
				t.Logf("%s %v: %v, faults %+v, run %+v", connector, args, res.elapsed.Round(time.Millisecond), f.FaultReport, f.run)
				fl.check(t, sb, f)
			})
		}
	}
}

// faultsAndRun is what a fault flag check looks at.
type faultsAndRun struct {
	simapi.FaultReport
	run runRow
	res result
}

// probe times one authenticated API request.
func (s *sandbox) probe(t *testing.T) time.Duration {
	t.Helper()
	var req *http.Request
	switch s.connector {
	case "smartrecruiters":
		req, _ = http.NewRequest(http.MethodGet, s.URL+"/configuration/company", nil)
		req.Header.Set("X-SmartToken", "sandbox-token")
	case "phenom":
		resp, err := http.PostForm(s.URL+"/token", url.Values{"clientId": {"sandbox-client"}, "clientSecret": {"sandbox-secret"}})
		if err != nil {
			t.Fatal(err)
		}
		var tok map[string]any
		err = json.NewDecoder(resp.Body).Decode(&tok)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		req, _ = http.NewRequest(http.MethodGet, s.URL+"/jobs-api/v1/jobs?limit=1", nil)
		req.Header.Set("Authorization", "Bearer "+str(tok["accessToken"]))
	}
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("probe %s: HTTP %d", req.URL.Path, resp.StatusCode)
	}
	return time.Since(start)
}

// TestFaultsDeterministic: which requests fail is decided by the sandbox's
// seed, not by timing: two syncs against two sandboxes of the same seed meet
// the same faults (throttling aside, which is about timing by nature).
func TestFaultsDeterministic(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ connector, scale string }{
		{"smartrecruiters", "5"},
		{"phenom", phScale()},
	} {
		t.Run(tc.connector, func(t *testing.T) {
			t.Parallel()
			reports := make([]simapi.FaultReport, 2)
			t.Run("syncs", func(t *testing.T) { // returns once both parallel syncs are done
				for i := range reports {
					t.Run(fmt.Sprint(i), func(t *testing.T) {
						t.Parallel()
						sb := startSandbox(t, tc.connector, "--scale", tc.scale, "--seed", "42", "--fail-rate", "0.25", "--truncate-rate", "0.1", "--junk-rate", "0.05", "--rate-limit", "0")
						if res := runSync(t, writeConfig(t, t.TempDir(), conn{id: "det", sb: sb})); res.signaled {
							t.Errorf("the sync died: %v", res)
						}
						reports[i] = sb.faults(t)
					})
				}
			})
			a, b := reports[0], reports[1]
			t.Logf("faults of two syncs: %+v / %+v", a, b)
			if a.Failed == 0 || a.Truncated == 0 {
				t.Fatalf("no faults injected: %+v", a)
			}
			if a.Failed != b.Failed || a.Truncated != b.Truncated || a.JunkCounts != b.JunkCounts || a.Requests-a.Throttled != b.Requests-b.Throttled {
				t.Errorf("the same seed injected different faults:\n%+v\n%+v", a, b)
			}
		})
	}
}

// TestRequestKeepsFailing (-e2e.long: the client backs off for about half a
// minute before it gives up): when every request fails, the sync fails with
// one clear line naming the connection, the list and the cause, records a
// failed run, and leaves the committed state as it was.
func TestRequestKeepsFailing(t *testing.T) {
	t.Parallel()
	if !*long {
		t.Skip("-e2e.long")
	}
	clean := startSandbox(t, "phenom", "--scale", phScale())
	broken := startSandbox(t, "phenom", "--scale", phScale(), "--fail-rate", "1")
	dir := t.TempDir()
	lake := filepath.Join(dir, "lake")
	tr := clean.truth(t)
	mustSync(t, writeConfig(t, dir, conn{id: "failing", sb: clean}))
	res := runSync(t, writeConfig(t, dir, conn{id: "failing", sb: broken}))
	summary := lastLine(res.stdout)
	t.Logf("exit %d after %v: %s", res.code, res.elapsed.Round(time.Millisecond), summary)
	if res.code != 1 {
		t.Fatalf("want exit 1: %v", res)
	}
	for _, want := range []string{"failing", "failed", "/jobs-api/v1/jobs", "retries exhausted", "HTTP 50"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary line %q does not say %q", summary, want)
		}
	}
	if run := lastRun(t, lake, "failing"); run.status != "failed" || !strings.Contains(run.errText, "retries exhausted") {
		t.Errorf("run %+v, want failed with the cause", run)
	}
	checkLake(t, lake, "failing", tr)
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
