package pipeline

import (
	"context"
	"fmt"
	"sync"

	"github.com/robfig/cron/v3"
)

// Schedule runs each connection on its own schedule until ctx is done. A
// connection never runs twice at once: a run that would overlap the one in
// flight is skipped and logged. A failing connection never stops the others.
// When ctx ends, runs in flight are cancelled (a cancelled run commits
// nothing, so the lake keeps its previous state) and Schedule returns nil
// once they have stopped. onDone, when set, is called after every run.
func (r *Runner) Schedule(ctx context.Context, conns []Connection, onDone func(*Result, error)) error {
	c := cron.New(cron.WithLocation(timeUTC))
	for _, conn := range conns {
		if conn.Schedule == "" {
			return fmt.Errorf("%w: connection %s has no schedule", ErrConfig, conn.ID)
		}
		sched, err := ParseSchedule(conn.Schedule)
		if err != nil {
			return fmt.Errorf("%w: connection %s: schedule: %v", ErrConfig, conn.ID, err)
		}
		job := &scheduledJob{runner: r, ctx: ctx, conn: conn, onDone: onDone}
		c.Schedule(sched, job)
		r.log.Info("scheduled", "connection", conn.ID, "schedule", conn.Schedule, "next", sched.Next(r.now()).UTC())
	}
	c.Start()
	<-ctx.Done()
	r.log.Info("stopping: waiting for runs in flight")
	<-c.Stop().Done()
	return nil
}

// scheduledJob runs one connection, skipping a tick while its previous run is in flight.
type scheduledJob struct {
	runner  *Runner
	ctx     context.Context
	conn    Connection
	onDone  func(*Result, error)
	mu      sync.Mutex
	running bool
}

// Run implements cron.Job.
func (j *scheduledJob) Run() {
	j.mu.Lock()
	if j.running {
		j.mu.Unlock()
		j.runner.log.Warn("run skipped: the previous run of this connection is still in flight", "connection", j.conn.ID)
		return
	}
	j.running = true
	j.mu.Unlock()
	defer func() {
		j.mu.Lock()
		j.running = false
		j.mu.Unlock()
	}()
	if j.ctx.Err() != nil {
		return
	}
	res, err := j.runner.Run(j.ctx, j.conn, RunOptions{})
	if j.onDone != nil {
		j.onDone(res, err)
	}
}
