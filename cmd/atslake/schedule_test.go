//go:build unix

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	phsandbox "github.com/atslake/atslake/sandbox/phenom"
	srsandbox "github.com/atslake/atslake/sandbox/smartrecruiters"
)

// runRow is one line of `atslake runs --format json`.
type runRow struct {
	Connection string    `json:"connection"`
	Mode       string    `json:"mode"`
	Status     string    `json:"status"`
	StartedAt  time.Time `json:"started_at"`
	Seconds    float64   `json:"seconds"`
	Inserted   int64     `json:"inserted"`
	Updated    int64     `json:"updated"`
	Deleted    int64     `json:"deleted"`
	Error      *string   `json:"error"`
	RunID      string    `json:"run_id"`
}

// TestScheduleProcess runs `atslake schedule` as a real process with two
// connections on @every 1s: a Phenom one that works and a SmartRecruiters
// one with a wrong token. Once both have run at least twice it sends
// SIGTERM: the process exits 0, the runs view shows both connections' runs
// (the failing one as failed) without overlap, and the working
// connection's data equals the sandbox truth.
func TestScheduleProcess(t *testing.T) {
	t.Parallel()
	phCfg := phsandbox.DefaultConfig()
	phCfg.Scale = 40
	// Slow enough that a run outlasts its 1 s interval: the next tick is skipped.
	phCfg.Latency = 400 * time.Millisecond
	ph, err := phsandbox.New(phCfg)
	if err != nil {
		t.Fatal(err)
	}
	phSrv := httptest.NewServer(ph)
	defer phSrv.Close()
	srCfg := srsandbox.DefaultConfig()
	srCfg.Scale, srCfg.RateLimit = 5, 0
	sr, err := srsandbox.New(srCfg)
	if err != nil {
		t.Fatal(err)
	}
	srSrv := httptest.NewServer(sr)
	defer srSrv.Close()

	dir := t.TempDir()
	conf := writeConfig(t, dir, fmt.Sprintf(`lake: ./lake
connections:
  - id: good-phenom
    connector: phenom
    base_url: %s
    token_url: %s
    client_id_env: SCHED_PH_ID
    client_secret_env: SCHED_PH_SECRET
    schedule: "@every 1s"
  - id: bad-sr
    connector: smartrecruiters
    base_url: %s
    token_env: SCHED_SR_TOKEN
    schedule: "@every 1s"
`, phSrv.URL, phSrv.URL, srSrv.URL))

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := atslakeCommand(t, ctx, []string{"SCHED_PH_ID=sandbox-client", "SCHED_PH_SECRET=sandbox-secret", "SCHED_SR_TOKEN=wrong-token-5e1f"},
		"schedule", "--config", conf, "--log-format", "json")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	started := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}

	// Count the summary lines until both connections have run twice.
	var mu sync.Mutex
	var lines []string
	twice := make(chan struct{})
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		sc := bufio.NewScanner(stdout)
		good, bad, closed := 0, 0, false
		for sc.Scan() {
			line := sc.Text()
			mu.Lock()
			lines = append(lines, line)
			mu.Unlock()
			switch {
			case strings.HasPrefix(line, "good-phenom: full succeeded"):
				good++
			case strings.HasPrefix(line, "bad-sr: full failed"):
				bad++
			}
			if good >= 2 && bad >= 2 && !closed {
				closed = true
				close(twice)
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case <-twice:
	case <-readDone:
		t.Fatalf("schedule ended early: %v\nstderr:\n%s", cmd.Wait(), stderr.String())
	case <-time.After(60 * time.Second):
		mu.Lock()
		t.Fatalf("connections did not run twice in 60 s; stdout:\n%s\nstderr:\n%s", strings.Join(lines, "\n"), stderr.String())
	}
	t0 := time.Now()
	t.Logf("both ran twice after %v", time.Since(started))
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-readDone
	if err := cmd.Wait(); err != nil {
		t.Fatalf("schedule after SIGTERM: %v (want exit 0)\nstderr:\n%s", err, stderr.String())
	}
	t.Logf("stopped %v after SIGTERM", time.Since(t0))
	mu.Lock()
	out := strings.Join(lines, "\n")
	mu.Unlock()

	// Structured JSON log lines on stderr (no terminal): every line parses.
	msgs := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		var m struct{ Msg, Connection string }
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Errorf("stderr line is not JSON: %q", line)
			continue
		}
		msgs[m.Msg+" "+m.Connection]++
	}
	for _, want := range []string{"scheduled good-phenom", "scheduled bad-sr", "run skipped: the previous run of this connection is still in flight good-phenom", "run started good-phenom", "run finished good-phenom", "run failed bad-sr", "stopped "} {
		if msgs[want] == 0 {
			t.Errorf("no %q log line; got %v", want, msgs)
		}
	}
	if strings.Contains(stderr.String()+out, "wrong-token-5e1f") {
		t.Error("the token appears in the output")
	}

	// The runs view: both connections ran at least twice, never overlapping.
	code, runsOut, runsErr := runCLI(t, ctx, nil, "runs", "--lake", filepath.Join(dir, "lake"), "--limit", "1000", "--format", "json")
	if code != 0 {
		t.Fatalf("runs: exit %d: %s", code, runsErr)
	}
	var runs []runRow
	if err := json.Unmarshal([]byte(runsOut), &runs); err != nil {
		t.Fatalf("runs --format json: %v\n%s", err, runsOut)
	}
	byConn := map[string][]runRow{}
	for _, r := range runs {
		byConn[r.Connection] = append(byConn[r.Connection], r)
	}
	for _, r := range byConn["good-phenom"] {
		if r.Status != "succeeded" || r.Mode != "full" {
			t.Errorf("good-phenom run %s: %s %s", r.RunID, r.Mode, r.Status)
		}
	}
	for _, r := range byConn["bad-sr"] {
		if r.Status != "failed" || r.Error == nil || !strings.Contains(*r.Error, "401") {
			t.Errorf("bad-sr run %s: %s, error %v", r.RunID, r.Status, r.Error)
		}
	}
	t.Logf("good-phenom runs took %v s", func() (s []float64) {
		for _, r := range byConn["good-phenom"] {
			s = append(s, r.Seconds)
		}
		return s
	}())
	if len(byConn["good-phenom"]) < 2 || len(byConn["bad-sr"]) < 2 {
		t.Errorf("runs: %d of good-phenom, %d of bad-sr; want at least 2 each\n%s", len(byConn["good-phenom"]), len(byConn["bad-sr"]), runsOut)
	}
	for conn, rs := range byConn {
		for i, a := range rs {
			aEnd := a.StartedAt.Add(time.Duration(a.Seconds * float64(time.Second)))
			for _, b := range rs[i+1:] {
				bEnd := b.StartedAt.Add(time.Duration(b.Seconds * float64(time.Second)))
				// seconds is rounded to 0.1 s: allow that much.
				if a.StartedAt.Before(bEnd.Add(-100*time.Millisecond)) && b.StartedAt.Before(aEnd.Add(-100*time.Millisecond)) {
					t.Errorf("%s: runs %s and %s overlap", conn, a.RunID, b.RunID)
				}
			}
		}
	}
	// Every run that ended got its summary line.
	if n := strings.Count(out, "good-phenom: full succeeded"); n != len(byConn["good-phenom"]) {
		t.Errorf("%d summary lines for %d runs of good-phenom", n, len(byConn["good-phenom"]))
	}

	db := openCatalog(t, filepath.Join(dir, "lake"))
	checkLakeAgainstTruth(t, db, "good-phenom", getTruth(t, phSrv.URL))
}
