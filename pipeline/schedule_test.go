package pipeline

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atslake/atslake/load"
	phsandbox "github.com/atslake/atslake/sandbox/phenom"
)

// syncBuffer is a log destination safe for concurrent runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestSchedule runs three connections on @every 1s against one Phenom
// sandbox for a few seconds: "slow" takes longer than its interval (its
// commit waits in the observer), "bad" has a wrong client secret and "boom"
// panics. The slow one never overlaps itself and its extra ticks are
// skipped and logged; the failures stop nobody; cancelling returns nil with
// the run in flight abandoned or finished.
func TestSchedule(t *testing.T) {
	cfg := phsandbox.DefaultConfig()
	cfg.Scale = phsandbox.MinScale
	sb, err := phsandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	defer srv.Close()

	conn := func(id, secret string) Connection {
		return Connection{ID: id, Connector: ConnectorPhenom, BaseURL: srv.URL, TokenURL: srv.URL, SiteType: "external", Locale: "en_US",
			ClientID: NewSecret("sandbox-client"), ClientSecret: NewSecret(secret), Schedule: "@every 1s"}
	}
	conns := []Connection{conn("slow", "sandbox-secret"), conn("bad", "wrong-secret"), conn("boom", "sandbox-secret")}

	var logs syncBuffer
	obs := ObserverFunc(func(p Progress) {
		switch {
		case p.Connection == "slow" && p.Phase == "commit":
			time.Sleep(1200 * time.Millisecond)
		case p.Connection == "boom" && p.Phase == "commit":
			panic("boom at commit")
		}
	})
	lake := t.TempDir()
	r, err := NewRunner(lake, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))), WithObserver(obs))
	if err != nil {
		t.Fatal(err)
	}

	type done struct {
		conn    string
		outcome Outcome
		err     error
		at      time.Time
	}
	var mu sync.Mutex
	var dones []done
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Stop once every connection has shown its behaviour (or after a while).
	var stoppedAt time.Time
	enough := make(chan struct{})
	var once sync.Once
	go func() {
		select {
		case <-enough:
		case <-time.After(30 * time.Second):
		}
		mu.Lock()
		stoppedAt = time.Now()
		mu.Unlock()
		cancel()
	}()
	seen := map[string]int{}
	err = r.Schedule(ctx, conns, func(c Connection, res *Result, err error) {
		mu.Lock()
		defer mu.Unlock()
		o := OutcomeOf(res, err, ctx.Err() != nil)
		dones = append(dones, done{c.ID, o, err, time.Now()})
		seen[c.ID+" "+o.String()]++
		if seen["slow succeeded"] >= 1 && seen["bad failed"] >= 2 && seen["boom failed"] >= 1 {
			// Let slow start (or skip) once more so the stop meets a run in flight.
			time.AfterFunc(1200*time.Millisecond, func() { once.Do(func() { close(enough) }) })
		}
	})
	returned := time.Now()
	if err != nil {
		t.Fatalf("Schedule: %v", err)
	}
	if wait := returned.Sub(stoppedAt); wait > 3*time.Second {
		t.Errorf("Schedule took %v to stop", wait)
	}

	count := map[string]map[Outcome]int{}
	for _, d := range dones {
		if count[d.conn] == nil {
			count[d.conn] = map[Outcome]int{}
		}
		count[d.conn][d.outcome]++
		if d.conn == "boom" && d.outcome == OutcomeFailed && d.err != nil && strings.Contains(d.err.Error(), "internal error: boom at commit") {
			count["boom"][-1]++
		}
	}
	if count["slow"][OutcomeSucceeded] < 1 {
		t.Errorf("slow: %v, want a succeeded run", count["slow"])
	}
	if count["slow"][OutcomeFailed] > 0 {
		t.Errorf("slow failed: %v", count["slow"])
	}
	if count["bad"][OutcomeFailed] < 2 {
		t.Errorf("bad: %v, want at least two failed runs", count["bad"])
	}
	if count["boom"][-1] < 1 {
		t.Errorf("boom: %v, want recovered panics", count["boom"])
	}
	out := logs.String()
	for _, want := range []string{`msg="run skipped: the previous run of this connection is still in flight" connection=slow`,
		`msg="run panicked" connection=boom`, `msg=scheduled connection=bad schedule="@every 1s"`, `msg=stopped`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s", want)
		}
	}

	// The lake's run records: slow's runs never overlap, bad's are failed.
	lk, err := load.Open(lake)
	if err != nil {
		t.Fatal(err)
	}
	slow, err := lk.Runs(context.Background(), "slow")
	if err != nil {
		t.Fatal(err)
	}
	if len(slow) < 1 {
		t.Fatalf("slow has %d run records", len(slow))
	}
	for i, a := range slow {
		if a.Status != StatusSucceeded {
			t.Errorf("slow run %s: %s (%s)", a.RunID, a.Status, a.Error)
		}
		for _, b := range slow[i+1:] {
			if a.StartedAt.Before(b.FinishedAt) && b.StartedAt.Before(a.FinishedAt) {
				t.Errorf("slow runs overlap: %v-%v and %v-%v", a.StartedAt, a.FinishedAt, b.StartedAt, b.FinishedAt)
			}
		}
	}
	bad, err := lk.Runs(context.Background(), "bad")
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, b := range bad {
		if b.Status == StatusFailed && b.Error != "" {
			failed++
		}
		if strings.Contains(b.Error, "wrong-secret") {
			t.Errorf("secret in run record: %s", b.Error)
		}
	}
	if failed < 2 {
		t.Errorf("bad has %d failed run records, want at least 2", failed)
	}
}

func TestScheduleRejectsBadSchedules(t *testing.T) {
	r, err := NewRunner(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		sched, want string
	}{
		{"", "connection a: schedule: required"},
		{"61 * * * *", `connection a: schedule: "61 * * * *" is not a schedule`},
		{"CRON_TZ=Mars/Olympus 0 * * * *", "is not a schedule"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		good := Connection{ID: "good", Connector: ConnectorPhenom, Schedule: "@every 1h"}
		err := r.Schedule(ctx, []Connection{good, {ID: "a", Connector: ConnectorPhenom, Schedule: c.sched}}, nil)
		cancel()
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("schedule %q: %v, want ErrConfig with %q", c.sched, err, c.want)
		}
	}
}
