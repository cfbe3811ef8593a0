package pipeline

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/atslake/atslake/load"
)

func TestSummaryLine(t *testing.T) {
	start := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	rec := func(status, errText string) load.RunRecord {
		return load.RunRecord{RunID: "0190", Connection: "acme", Connector: "phenom", Mode: "full", Status: status, Error: errText,
			StartedAt: start, FinishedAt: start.Add(14230 * time.Millisecond), Requests: 580, Retries: 2}
	}
	tables := []load.TableStats{{Table: "jobs", RowsSeen: 40, Inserted: 3, Updated: 2, Deleted: 1}, {Table: "candidates", RowsSeen: 100, Inserted: 100}}
	canceled := fmt.Errorf("connection acme: extract jobs page 3: %w", context.Canceled)
	for _, c := range []struct {
		name     string
		res      *Result
		err      error
		stopping bool
		want     string
		outcome  Outcome
	}{
		{"succeeded", &Result{Record: rec(StatusSucceeded, ""), Tables: tables}, nil, false,
			"acme: full succeeded in 14.2s, 580 requests (2 retries), 140 rows seen, 103 inserted, 2 updated, 1 deleted", OutcomeSucceeded},
		{"partial", &Result{Record: func() load.RunRecord { r := rec(StatusPartial, ""); r.Skipped = 4; return r }(), Tables: tables}, nil, false,
			"acme: full partial in 14.2s, 580 requests (2 retries), 140 rows seen, 103 inserted, 2 updated, 1 deleted, 4 records skipped", OutcomePartial},
		{"failed with a record", &Result{Record: rec(StatusFailed, "extract jobs page 3: 401 Unauthorized\n(check the token)")}, errors.New("connection acme: extract jobs page 3: 401 Unauthorized"), false,
			"acme: full failed after 14.2s, 580 requests (2 retries): extract jobs page 3: 401 Unauthorized (check the token)", OutcomeFailed},
		{"failed before starting", nil, fmt.Errorf("connection acme: %w", load.ErrLocked), false,
			"acme: failed: locked by another atslake process", OutcomeFailed},
		{"abandoned", &Result{Record: rec(StatusFailed, "context canceled")}, canceled, true,
			"acme: abandoned (stopping), nothing committed; the lake keeps its previous state", OutcomeAbandoned},
		{"cancelled without a stop is a failure", &Result{Record: rec(StatusFailed, "context canceled")}, canceled, false,
			"acme: full failed after 14.2s, 580 requests (2 retries): context canceled", OutcomeFailed},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := SummaryLine("acme", c.res, c.err, c.stopping); got != c.want {
				t.Errorf("summary\n%s\nwant\n%s", got, c.want)
			}
			if got := OutcomeOf(c.res, c.err, c.stopping); got != c.outcome {
				t.Errorf("outcome %v, want %v", got, c.outcome)
			}
		})
	}
}

func TestSummaryAttrs(t *testing.T) {
	res := &Result{Record: load.RunRecord{RunID: "r1", Connection: "acme", Mode: "incremental", Status: StatusSucceeded},
		Tables: []load.TableStats{{Table: "jobs", RowsSeen: 5, Inserted: 1, Updated: 2, Deleted: 3}}}
	got := map[string]any{}
	a := SummaryAttrs(res)
	for i := 0; i+1 < len(a); i += 2 {
		got[a[i].(string)] = a[i+1]
	}
	for k, v := range map[string]any{"connection": "acme", "mode": "incremental", "status": "succeeded", "rows_seen": int64(5), "inserted": int64(1), "updated": int64(2), "deleted": int64(3)} {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if _, ok := got["error"]; ok {
		t.Error("error attribute on a run without error")
	}
}
