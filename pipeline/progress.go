package pipeline

import (
	"log/slog"
	"sync"
	"time"
)

// ObserverFunc adapts a function to the Observer interface.
type ObserverFunc func(Progress)

// Progress implements Observer.
func (f ObserverFunc) Progress(p Progress) { f(p) }

// Observers fans progress out to every non-nil observer, in order.
func Observers(obs ...Observer) Observer {
	var list []Observer
	for _, o := range obs {
		if o != nil {
			list = append(list, o)
		}
	}
	return ObserverFunc(func(p Progress) {
		for _, o := range list {
			o.Progress(p)
		}
	})
}

// RowsPerSecond is the average rate of unified rows over the run so far.
func (p Progress) RowsPerSecond() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Rows) / p.Elapsed.Seconds()
}

// LogProgress returns an Observer that writes progress as structured log
// lines (for runs without a terminal): one when a connection's run moves from
// extract to commit and at most one per interval in between. The first extract report of a run is not logged ("run started"
// says as much).
func LogProgress(log *slog.Logger, interval time.Duration) Observer {
	return &progressLog{log: log, interval: interval, last: map[string]progressMark{}}
}

type progressLog struct {
	log      *slog.Logger
	interval time.Duration
	mu       sync.Mutex
	last     map[string]progressMark // by connection
}

type progressMark struct {
	phase   string
	elapsed time.Duration
}

func (l *progressLog) Progress(p Progress) {
	l.mu.Lock()
	m, seen := l.last[p.Connection]
	// A new run of the connection starts its elapsed time again.
	if seen && p.Elapsed < m.elapsed {
		seen = false
	}
	log := seen && (p.Phase != m.phase || p.Elapsed-m.elapsed >= l.interval)
	switch {
	case p.Phase == "done":
		// "run finished" (logged by the caller) has the totals.
		delete(l.last, p.Connection)
		log = false
	case !seen:
		// The first report of a run: wait an interval before the next line.
		l.last[p.Connection] = progressMark{phase: p.Phase, elapsed: p.Elapsed}
		log = p.Phase != "extract"
	case log:
		l.last[p.Connection] = progressMark{phase: p.Phase, elapsed: p.Elapsed}
	}
	l.mu.Unlock()
	if !log {
		return
	}
	l.log.Info("progress", "connection", p.Connection, "phase", p.Phase,
		"requests", p.Requests, "docs", p.Docs, "rows", p.Rows,
		"rows_per_s", int64(p.RowsPerSecond()+0.5), "retries", p.Retries,
		"elapsed", p.Elapsed.Round(time.Millisecond))
}
