package render

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Status is what the live display shows of one running task (a connection's
// run): its phase and counters at Elapsed since the task started.
type Status struct {
	Name     string // connection id; one line per name
	Phase    string // extract, commit, done
	Requests int64  // API requests (pages and documents fetched)
	Docs     int64  // source documents read
	Rows     int64  // unified rows produced
	Retries  int64
	Elapsed  time.Duration
}

// Display is a live, multi-line progress display on a terminal: one line per
// running task with a spinner, its phase, counters, a rows/s rate and the
// elapsed time. Lines written to it (Write) appear above the live lines
// without tearing them. It is safe for concurrent use.
type Display struct {
	p       *mpb.Progress
	refresh chan any      // redraw requests (manual refresh: Close flushes)
	stop    chan struct{} // ends the ticker
	ticker  sync.WaitGroup

	mu     sync.Mutex
	tasks  map[string]*task
	closed bool
}

type task struct {
	bar     *mpb.Bar
	status  Status
	samples []sample // recent (elapsed, rows) pairs for the rate
}

type sample struct {
	at   time.Duration
	rows int64
}

// rateWindow is how far back the rows/s rate looks.
const rateWindow = 3 * time.Second

type displayConfig struct {
	opts []mpb.ContainerOption
	rate time.Duration
}

// DisplayOption configures a Display.
type DisplayOption func(*displayConfig)

// WithRefreshRate sets how often the display redraws (default 150 ms).
func WithRefreshRate(d time.Duration) DisplayOption {
	return func(c *displayConfig) { c.rate = d }
}

// WithTerminalEmulation renders to a writer that is not a terminal as if it
// were one of the given width (tests and recordings).
func WithTerminalEmulation(width int) DisplayOption {
	return func(c *displayConfig) {
		c.opts = append(c.opts, mpb.ForceTTY(), mpb.WithWidth(width))
	}
}

// NewDisplay starts a display that draws on w, normally the terminal on
// standard error. Close stops it.
func NewDisplay(w io.Writer, opts ...DisplayOption) *Display {
	c := displayConfig{rate: 150 * time.Millisecond}
	for _, o := range opts {
		o(&c)
	}
	d := &Display{refresh: make(chan any), stop: make(chan struct{}), tasks: map[string]*task{}}
	c.opts = append([]mpb.ContainerOption{mpb.WithOutput(w), mpb.WithManualRefresh(d.refresh)}, c.opts...)
	d.p = mpb.New(c.opts...)
	d.ticker.Add(1)
	go func() {
		defer d.ticker.Done()
		t := time.NewTicker(c.rate)
		defer t.Stop()
		for {
			select {
			case now := <-t.C:
				select {
				case d.refresh <- now:
				case <-d.stop:
					return
				}
			case <-d.stop:
				return
			}
		}
	}()
	return d
}

// Update shows s, adding a line for a task the display does not show yet.
func (d *Display) Update(s Status) {
	d.mu.Lock()
	t, closed := d.tasks[s.Name], d.closed
	d.mu.Unlock()
	if closed {
		return
	}
	if t == nil {
		// The drawing goroutine calls line, which takes d.mu: create the bar
		// without holding it.
		name := s.Name
		bar, err := d.p.Add(0, mpb.SpinnerStyle("⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏").Build(),
			mpb.BarWidth(1),
			mpb.PrependDecorators(decor.Name(name, decor.WCSyncSpaceR)),
			mpb.AppendDecorators(decor.Any(func(decor.Statistics) string { return d.line(name) })),
		)
		if err != nil {
			return // the display is closed
		}
		d.mu.Lock()
		if t = d.tasks[name]; t == nil {
			t = &task{bar: bar}
			d.tasks[name] = t
		} else {
			defer bar.Abort(true) // another Update won the race
		}
		d.mu.Unlock()
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	t.status = s
	t.samples = append(t.samples, sample{at: s.Elapsed, rows: s.Rows})
	// Keep one sample at or before the window's start.
	cut := 0
	for i, x := range t.samples {
		if s.Elapsed-x.at >= rateWindow {
			cut = i
		}
	}
	t.samples = t.samples[cut:]
}

// Done removes the line of a finished task.
func (d *Display) Done(name string) {
	d.mu.Lock()
	t := d.tasks[name]
	d.mu.Unlock()
	if t == nil {
		return
	}
	// The line keeps its text until the bar is gone.
	t.bar.Abort(true)
	t.bar.Wait()
	d.mu.Lock()
	if d.tasks[name] == t {
		delete(d.tasks, name)
	}
	d.mu.Unlock()
}

// Write prints p above the live lines (at the next redraw). It is how log
// lines and results reach the terminal while the display runs.
func (d *Display) Write(p []byte) (int, error) {
	// Back to the first column and clear what is below: text the terminal
	// echoed (such as ^C) may have moved the cursor off the display's grid.
	_, err := d.p.Write(append([]byte(lineReset), p...))
	if err != nil {
		return 0, fmt.Errorf("display closed: %w", err)
	}
	return len(p), nil
}

// lineReset moves the cursor to the first column and clears the screen below.
const lineReset = "\r\x1b[J"

// Close removes every line and stops the display; text written before is
// flushed. The display cannot be used afterwards.
func (d *Display) Close() {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return
	}
	d.closed = true
	tasks := d.tasks
	d.tasks = map[string]*task{}
	d.mu.Unlock()
	for _, t := range tasks {
		t.bar.Abort(true)
	}
	for _, t := range tasks {
		t.bar.Wait() // the ticker's redraws remove them
	}
	// Two redraw requests: the second is taken only once the first has
	// reached the drawing goroutine, whose redraw writes out every line
	// written before Close.
	d.refresh <- time.Now()
	d.refresh <- time.Now()
	close(d.stop)
	d.ticker.Wait()
	d.p.Shutdown()
}

// line renders the counters of one task (called by the drawing goroutine).
func (d *Display) line(name string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	t := d.tasks[name]
	if t == nil {
		return ""
	}
	return StatusLine(t.status, t.rate())
}

// rate is rows per second over the recent window (the whole run while it is
// shorter than the window).
func (t *task) rate() float64 {
	if len(t.samples) == 0 {
		return 0
	}
	first, last := t.samples[0], t.samples[len(t.samples)-1]
	if len(t.samples) == 1 || last.at-first.at < time.Second/2 {
		first = sample{}
	}
	dt := (last.at - first.at).Seconds()
	if dt <= 0 {
		return 0
	}
	return float64(last.rows-first.rows) / dt
}

// StatusLine formats the counters of a status (without its name), e.g.
// "extract  132 requests · 4,210 docs · 12,040 rows · 3,100 rows/s · 0 retries · 4s".
func StatusLine(s Status, rowsPerSecond float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-7s  %s requests · %s docs · %s rows · %s rows/s · %s retries · %s",
		s.Phase, Count(s.Requests), Count(s.Docs), Count(s.Rows), Count(int64(rowsPerSecond+0.5)), Count(s.Retries), Elapsed(s.Elapsed))
	return b.String()
}

// Count formats n with thousands separators: 1234567 -> "1,234,567".
func Count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Elapsed formats a duration for people: "850ms", "4.2s", "3m07s", "2h05m".
func Elapsed(d time.Duration) string {
	switch {
	case d < time.Second:
		return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
	case d < time.Minute:
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + "s"
	case d < time.Hour:
		d = d.Round(time.Second)
		return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	}
	d = d.Round(time.Minute)
	return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
}
