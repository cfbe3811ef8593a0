package render

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the display's drawing goroutine.
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

var ansi = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)

func TestDisplay(t *testing.T) {
	var out syncBuffer
	d := NewDisplay(&out, WithTerminalEmulation(120), WithRefreshRate(100*time.Millisecond))
	d.Update(Status{Name: "acme-sr", Phase: "extract", Requests: 12, Docs: 340, Rows: 1200, Retries: 1, Elapsed: 2 * time.Second})
	d.Update(Status{Name: "acme-phenom", Phase: "extract", Requests: 3, Docs: 50, Rows: 70, Elapsed: 500 * time.Millisecond})
	d.Update(Status{Name: "acme-sr", Phase: "commit", Requests: 20, Docs: 600, Rows: 4200, Retries: 1, Elapsed: 3 * time.Second})
	waitFor(t, &out, "acme-phenom", "commit")
	if _, err := d.Write([]byte("acme-sr: full succeeded\n")); err != nil {
		t.Fatal(err)
	}
	d.Done("acme-sr")
	waitFor(t, &out, "acme-sr: full succeeded")
	d.Update(Status{Name: "acme-sr", Phase: "extract", Elapsed: time.Second}) // a later run gets a line again
	d.Done("acme-sr")
	d.Done("acme-phenom")
	time.Sleep(250 * time.Millisecond) // a redraw with nothing left to remove
	// No line left, the next redraw far off: Close must flush this itself.
	if _, err := d.Write([]byte("written just before Close\n")); err != nil {
		t.Fatal(err)
	}
	d.Close()
	d.Close() // a second Close does nothing
	if _, err := d.Write([]byte("late\n")); err == nil {
		t.Error("Write after Close succeeded")
	}
	d.Update(Status{Name: "x"}) // no panic after Close

	text := ansi.ReplaceAllString(out.String(), "")
	for _, want := range []string{
		"acme-sr", "commit   20 requests · 600 docs · 4,200 rows · 3,000 rows/s · 1 retries · 3.0s",
		"acme-phenom", "extract  3 requests · 50 docs · 70 rows · 140 rows/s · 0 retries · 500ms",
		"acme-sr: full succeeded\n", "written just before Close\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("display lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(out.String(), "\x1b[") {
		t.Error("no cursor movement: the display does not redraw in place")
	}
}

func waitFor(t *testing.T, out *syncBuffer, want ...string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		text := ansi.ReplaceAllString(out.String(), "")
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(text, w)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("display never showed %q:\n%s", want, text)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestRate(t *testing.T) {
	var tk task
	add := func(sec float64, rows int64) {
		at := time.Duration(sec * float64(time.Second))
		tk.samples = append(tk.samples, sample{at: at, rows: rows})
	}
	add(0.2, 100)
	if got := tk.rate(); got != 500 {
		t.Errorf("one sample: rate %v, want 500 (rows over the run)", got)
	}
	add(1, 1000)
	add(4, 1000) // stalled for 3 s
	add(5, 1000)
	// Update trims to one sample at or before the window start; emulate it.
	tk.samples = tk.samples[2:]
	if got := tk.rate(); got != 0 {
		t.Errorf("stalled: rate %v, want 0", got)
	}
}

func TestCountAndElapsed(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := Count(n); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
	for d, want := range map[time.Duration]string{
		850 * time.Millisecond: "850ms", 4200 * time.Millisecond: "4.2s", 187 * time.Second: "3m07s", 125 * time.Minute: "2h05m",
	} {
		if got := Elapsed(d); got != want {
			t.Errorf("Elapsed(%v) = %q, want %q", d, got, want)
		}
	}
}
