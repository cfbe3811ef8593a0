package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestLogProgress(t *testing.T) {
	p := func(conn, phase string, ms int, rows int64) Progress {
		return Progress{Connection: conn, Phase: phase, Rows: rows, Requests: 3, Docs: 7, Retries: 1, Elapsed: time.Duration(ms) * time.Millisecond}
	}
	for _, c := range []struct {
		name   string
		events []Progress
		want   []string // "connection phase elapsed_ms"
	}{
		{"first extract report is quiet", []Progress{p("a", "extract", 200, 10)}, nil},
		{"interval", []Progress{p("a", "extract", 200, 10), p("a", "extract", 5000, 20), p("a", "extract", 10200, 30), p("a", "extract", 10400, 40), p("a", "extract", 20300, 50)},
			[]string{"a extract 10200", "a extract 20300"}},
		{"phase change logs at once, done does not", []Progress{p("a", "extract", 200, 10), p("a", "commit", 900, 10), p("a", "done", 1200, 10)},
			[]string{"a commit 900"}},
		{"short run: commit is the first report", []Progress{p("a", "commit", 100, 4), p("a", "done", 150, 4)}, []string{"a commit 100"}},
		{"connections apart", []Progress{p("a", "extract", 200, 1), p("b", "extract", 200, 1), p("a", "commit", 300, 1), p("b", "extract", 10300, 1)},
			[]string{"a commit 300", "b extract 10300"}},
		{"a new run after a failed one starts over", []Progress{p("a", "extract", 200, 1), p("a", "extract", 15000, 1), p("a", "extract", 200, 1), p("a", "extract", 9000, 1)},
			[]string{"a extract 15000"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			obs := LogProgress(slog.New(slog.NewJSONHandler(&buf, nil)), 10*time.Second)
			for _, e := range c.events {
				obs.Progress(e)
			}
			var got []string
			for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
				if line == "" {
					continue
				}
				var m struct {
					Msg, Connection, Phase string
					Elapsed                time.Duration
				}
				if err := json.Unmarshal([]byte(line), &m); err != nil {
					t.Fatal(err)
				}
				if m.Msg != "progress" {
					t.Errorf("message %q", m.Msg)
				}
				got = append(got, fmt.Sprintf("%s %s %d", m.Connection, m.Phase, m.Elapsed.Milliseconds()))
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("logged %q, want %q", got, c.want)
			}
		})
	}
}

func TestLogProgressFields(t *testing.T) {
	var buf bytes.Buffer
	obs := LogProgress(slog.New(slog.NewJSONHandler(&buf, nil)), time.Second)
	obs.Progress(Progress{Connection: "acme", Phase: "commit", Requests: 12, Docs: 340, Rows: 1000, Retries: 2, Elapsed: 4 * time.Second})
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]any{"connection": "acme", "phase": "commit", "requests": 12.0, "docs": 340.0, "rows": 1000.0, "rows_per_s": 250.0, "retries": 2.0} {
		if m[k] != v {
			t.Errorf("%s = %v, want %v (line %s)", k, m[k], v, buf.String())
		}
	}
}

func TestObservers(t *testing.T) {
	var got []string
	rec := func(tag string) Observer {
		return ObserverFunc(func(p Progress) { got = append(got, tag+p.Phase) })
	}
	Observers(rec("a:"), nil, rec("b:")).Progress(Progress{Phase: "extract"})
	if strings.Join(got, ",") != "a:extract,b:extract" {
		t.Errorf("fan-out: %v", got)
	}
	if r := (Progress{Rows: 10}).RowsPerSecond(); r != 0 {
		t.Errorf("rate without elapsed time: %v", r)
	}
}
