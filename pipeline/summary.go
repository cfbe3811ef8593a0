package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

var timeUTC = time.UTC

// Summary is the one-line summary of a run printed at its end, e.g.
// "acme-sr: full succeeded in 14.2s, 580 requests (0 retries), 12040 rows seen, 120 inserted, 30 updated, 4 deleted"
// or, for a failed run, "acme-sr: full failed after 0.3s, 1 requests (0 retries): <cause>".
func Summary(res *Result) string {
	r := res.Record
	seen, ins, upd, del := res.Totals()
	d := r.FinishedAt.Sub(r.StartedAt).Round(100 * time.Millisecond)
	if r.Status == StatusFailed {
		s := fmt.Sprintf("%s: %s failed after %s, %d requests (%d retries)", r.Connection, r.Mode, d, r.Requests, r.Retries)
		if r.Error != "" {
			s += ": " + oneLine(r.Error)
		}
		return s
	}
	s := fmt.Sprintf("%s: %s %s in %s, %d requests (%d retries), %d rows seen, %d inserted, %d updated, %d deleted",
		r.Connection, r.Mode, r.Status, d, r.Requests, r.Retries, seen, ins, upd, del)
	if r.Skipped > 0 {
		s += fmt.Sprintf(", %d records skipped", r.Skipped)
	}
	if r.Error != "" {
		s += ": " + oneLine(r.Error)
	}
	return s
}

// Outcome is how a run of a connection ended, for a summary line.
type Outcome int

// Outcomes of a run.
const (
	OutcomeSucceeded Outcome = iota // committed, every record read and mapped
	OutcomePartial                  // committed, some records skipped
	OutcomeFailed                   // nothing committed; recorded as failed when possible
	OutcomeAbandoned                // stopped by the caller (signal) before committing
)

// String names the outcome.
func (o Outcome) String() string {
	switch o {
	case OutcomeSucceeded:
		return StatusSucceeded
	case OutcomePartial:
		return StatusPartial
	case OutcomeFailed:
		return StatusFailed
	case OutcomeAbandoned:
		return "abandoned"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// OutcomeOf classifies what Runner.Run returned. stopping reports whether the
// caller's context has ended: a run cut short by it is abandoned, not failed.
func OutcomeOf(res *Result, err error, stopping bool) Outcome {
	switch {
	case err != nil && stopping && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)):
		return OutcomeAbandoned
	case err != nil || res == nil:
		return OutcomeFailed
	case res.Record.Status == StatusSucceeded:
		return OutcomeSucceeded
	case res.Record.Status == StatusPartial:
		return OutcomePartial
	}
	return OutcomeFailed
}

// SummaryLine is the one-line summary of any run outcome of connection id:
// Summary when the run has a record, otherwise the cause (a run that could
// not start, e.g. the connection is locked by another process) or
// "abandoned" for a run stopped before it committed.
func SummaryLine(id string, res *Result, err error, stopping bool) string {
	if OutcomeOf(res, err, stopping) == OutcomeAbandoned {
		return fmt.Sprintf("%s: abandoned (stopping), nothing committed; the lake keeps its previous state", id)
	}
	if res != nil && res.Record.RunID != "" && res.Record.Mode != "" {
		return Summary(res)
	}
	if err == nil {
		return id + ": no result"
	}
	return fmt.Sprintf("%s: failed: %s", id, oneLine(strings.TrimPrefix(err.Error(), "connection "+id+": ")))
}

// SummaryAttrs are the structured fields of a finished run for a log line.
func SummaryAttrs(res *Result) []any {
	r := res.Record
	seen, ins, upd, del := res.Totals()
	attrs := []any{"connection", r.Connection, "run_id", r.RunID, "mode", r.Mode, "status", r.Status,
		"duration", r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond),
		"requests", r.Requests, "retries", r.Retries, "skipped", r.Skipped,
		"rows_seen", seen, "inserted", ins, "updated", upd, "deleted", del}
	if r.Error != "" {
		attrs = append(attrs, "error", r.Error)
	}
	return attrs
}

// oneLine folds a multi-line message onto one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
