package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// RunDone is told about every scheduled run when it has ended: its result
// and error as Runner.Run returned them (a recovered panic becomes an error).
type RunDone func(conn Connection, res *Result, err error)

// Schedule runs each connection on its own schedule (ParseSchedule: 5-field
// cron in UTC unless CRON_TZ= says otherwise, or @every) until ctx is done.
// Every schedule is checked before anything runs. A connection never runs
// twice at once: a tick that comes while its previous run is in flight is
// skipped and logged. A failing (or panicking) run never stops the others.
// Full syncs come from the runner's mode choice (full_sync_every).
//
// When ctx ends, runs in flight are cancelled: a run cancelled before its
// commit writes nothing, so the lake keeps its previous state, and one
// already committing completes. Schedule returns nil once they have all
// stopped. onDone, when set, is called after every run, from the run's
// goroutine (calls for different connections may be concurrent).
func (r *Runner) Schedule(ctx context.Context, conns []Connection, onDone RunDone) error {
	scheds := make([]cron.Schedule, len(conns))
	for i, conn := range conns {
		if conn.Schedule == "" {
			return fmt.Errorf("%w: connection %s: schedule: required to run on a schedule", ErrConfig, conn.ID)
		}
		s, err := ParseSchedule(conn.Schedule)
		if err != nil {
			return fmt.Errorf("%w: connection %s: schedule: %v", ErrConfig, conn.ID, err)
		}
		scheds[i] = s
	}
	c := cron.New(cron.WithLocation(timeUTC), cron.WithLogger(cronLogger{r.log}))
	for i, conn := range conns {
		job := &scheduledJob{runner: r, ctx: ctx, conn: conn, onDone: onDone, cron: c}
		job.entry = c.Schedule(scheds[i], job)
		r.log.Info("scheduled", "connection", conn.ID, "schedule", conn.Schedule, "next", scheds[i].Next(r.now()).UTC())
	}
	c.Start()
	<-ctx.Done()
	r.log.Info("stopping: runs in flight finish their commit or are abandoned")
	<-c.Stop().Done()
	r.log.Info("stopped")
	return nil
}

// scheduledJob runs one connection, skipping a tick while its previous run is in flight.
type scheduledJob struct {
	runner *Runner
	ctx    context.Context
	conn   Connection
	onDone RunDone
	cron   *cron.Cron
	entry  cron.EntryID

	mu      sync.Mutex
	running bool
}

// Run implements cron.Job.
func (j *scheduledJob) Run() {
	if j.ctx.Err() != nil {
		return
	}
	j.mu.Lock()
	if j.running {
		j.mu.Unlock()
		j.runner.log.Info("run skipped: the previous run of this connection is still in flight", "connection", j.conn.ID)
		return
	}
	j.running = true
	j.mu.Unlock()
	defer func() {
		j.mu.Lock()
		j.running = false
		j.mu.Unlock()
	}()

	res, err := j.run()
	if j.onDone != nil {
		j.onDone(j.conn, res, err)
	}
	if j.ctx.Err() == nil {
		if next := j.cron.Entry(j.entry).Next; !next.IsZero() {
			j.runner.log.Info("next run", "connection", j.conn.ID, "at", next.UTC())
		}
	}
}

// run is one run of the connection; a panic becomes an error so that the
// other connections keep running.
func (j *scheduledJob) run() (res *Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			j.runner.log.Error("run panicked", "connection", j.conn.ID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			res, err = nil, fmt.Errorf("connection %s: internal error: %v", j.conn.ID, p)
		}
	}()
	return j.runner.Run(j.ctx, j.conn, RunOptions{})
}

// cronLogger routes the cron library's messages to slog (debug, errors as errors).
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) {
	l.log.Debug("cron: "+msg, cronKV(kv)...)
}

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(cronKV(kv), "error", err)...)
}

// cronKV turns cron's time.Time values into UTC for readable logs.
func cronKV(kv []any) []any {
	out := make([]any, len(kv))
	for i, v := range kv {
		if t, ok := v.(time.Time); ok {
			v = t.UTC()
		}
		out[i] = v
	}
	return out
}
