package pipeline

import (
	"fmt"
	"time"
)

var timeUTC = time.UTC

// Summary is the one-line summary of a run printed at its end.
func Summary(res *Result) string {
	r := res.Record
	seen, ins, upd, del := res.Totals()
	d := r.FinishedAt.Sub(r.StartedAt).Round(100 * time.Millisecond)
	s := fmt.Sprintf("%s: %s %s in %s, %d requests (%d retries), %d rows seen, %d inserted, %d updated, %d deleted",
		r.Connection, r.Mode, r.Status, d, r.Requests, r.Retries, seen, ins, upd, del)
	if r.Skipped > 0 {
		s += fmt.Sprintf(", %d records skipped", r.Skipped)
	}
	if r.Error != "" {
		s += ": " + r.Error
	}
	return s
}
