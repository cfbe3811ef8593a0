package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/atslake/atslake/internal/render"
	"github.com/atslake/atslake/load"
	"github.com/atslake/atslake/pipeline"
)

// logFlags are the logging flags of the commands that run connections.
type logFlags struct{ format, level string }

func addLogFlags(fs *flag.FlagSet) *logFlags {
	f := &logFlags{}
	fs.StringVar(&f.format, "log-format", "text", "log line format on standard error: text or json")
	fs.StringVar(&f.level, "log-level", "", "least important log lines shown: debug, info, warn or error (default info; warn while live progress shows)")
	return f
}

// uiConfig says how a command that runs connections talks to people.
type uiConfig struct {
	terminalLevel slog.Level    // default log level while live progress shows
	plainLevel    slog.Level    // default log level without a terminal
	progressEvery time.Duration // progress log lines without a terminal (0: none)
	clock         bool          // log lines on a terminal show the time of day (UTC)
}

// ui is the output of a command that runs connections: live progress on a
// terminal (standard error), structured log lines otherwise, and summary
// lines on standard output. It is safe for concurrent use.
type ui struct {
	e      env
	log    *slog.Logger
	obs    pipeline.Observer
	stdTTY bool // standard output is a terminal too

	mu      sync.Mutex
	display *render.Display // nil without a terminal, or once closed
}

func newUI(e env, f *logFlags, c uiConfig) (*ui, error) {
	u := &ui{e: e}
	live := e.isTerminal(e.stderr)
	level := c.plainLevel
	if live {
		level = c.terminalLevel
	}
	if f.level != "" {
		if err := level.UnmarshalText([]byte(f.level)); err != nil {
			return nil, usagef("unknown --log-level %q (debug, info, warn or error)", f.level)
		}
	}
	opts := &slog.HandlerOptions{Level: level}
	if live {
		// People read the terminal as it happens: no dates, a clock at most.
		opts.ReplaceAttr = func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) > 0 || a.Key != slog.TimeKey {
				return a
			}
			if !c.clock {
				return slog.Attr{}
			}
			return slog.String(slog.TimeKey, a.Value.Time().UTC().Format("15:04:05Z"))
		}
	}
	switch f.format {
	case "json":
		u.log = slog.New(slog.NewJSONHandler(logSink{u}, opts))
	case "text", "":
		u.log = slog.New(slog.NewTextHandler(logSink{u}, opts))
	default:
		return nil, usagef("unknown --log-format %q (text or json)", f.format)
	}
	if live {
		u.display = render.NewDisplay(e.stderr, e.display...)
		u.stdTTY = e.isTerminal(e.stdout)
		d := u.display
		u.obs = pipeline.ObserverFunc(func(p pipeline.Progress) {
			d.Update(render.Status{Name: p.Connection, Phase: p.Phase, Requests: p.Requests, Docs: p.Docs,
				Rows: p.Rows, Retries: p.Retries, Elapsed: p.Elapsed})
		})
	} else if c.progressEvery > 0 {
		u.obs = pipeline.LogProgress(u.log, c.progressEvery)
	}
	return u, nil
}

// logSink writes log lines above the live display while it shows, to
// standard error otherwise.
type logSink struct{ u *ui }

func (s logSink) Write(p []byte) (int, error) {
	s.u.mu.Lock()
	defer s.u.mu.Unlock()
	if s.u.display != nil {
		return s.u.display.Write(p)
	}
	return s.u.e.stderr.Write(p)
}

// runnerOptions are the runner options that route logs and progress here.
func (u *ui) runnerOptions() []pipeline.RunnerOption {
	opts := []pipeline.RunnerOption{pipeline.WithLogger(u.log), pipeline.WithLakeOptions(load.WithLogger(u.log))}
	if u.obs != nil {
		opts = append(opts, pipeline.WithObserver(u.obs))
	}
	return opts
}

// finished notes the end of a run: its log line and the end of its live line.
func (u *ui) finished(conn pipeline.Connection, res *pipeline.Result, err error, stopping bool) {
	u.mu.Lock()
	d := u.display
	u.mu.Unlock()
	if d != nil {
		d.Done(conn.ID)
	}
	switch pipeline.OutcomeOf(res, err, stopping) {
	case pipeline.OutcomeAbandoned:
		u.log.Info("run abandoned", "connection", conn.ID, "reason", "stopping")
	case pipeline.OutcomeFailed:
		if res == nil {
			// The runner logs the failures of runs it started ("run failed").
			u.log.Error("run failed", "connection", conn.ID, "error", strings.TrimPrefix(err.Error(), "connection "+conn.ID+": "))
		}
	default:
		u.log.Info("run finished", pipeline.SummaryAttrs(res)...)
	}
}

// println prints a result line on standard output, through the live display
// when both share the terminal so that neither tears the other.
func (u *ui) println(line string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.display != nil && u.stdTTY {
		if _, err := u.display.Write([]byte(line + "\n")); err == nil {
			return
		}
	}
	fmt.Fprintln(u.e.stdout, line)
}

// close removes the live display; later log lines go to standard error.
func (u *ui) close() {
	u.mu.Lock()
	d := u.display
	u.display = nil
	u.mu.Unlock()
	if d != nil {
		d.Close()
	}
}

// runSafely runs one connection; a panic becomes that connection's error so
// that the others finish.
func runSafely(ctx context.Context, r *pipeline.Runner, conn pipeline.Connection, opts pipeline.RunOptions, log *slog.Logger) (res *pipeline.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			log.Error("run panicked", "connection", conn.ID, "panic", fmt.Sprint(p))
			res, err = nil, fmt.Errorf("connection %s: internal error: %v", conn.ID, p)
		}
	}()
	return r.Run(ctx, conn, opts)
}
