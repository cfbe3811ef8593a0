package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/atslake/atslake/internal/render"
	phsandbox "github.com/atslake/atslake/sandbox/phenom"
)

var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)

// TestSyncOutput: sync prints one summary line per connection on stdout,
// structured log lines on stderr without a terminal (text or JSON) and the
// live display with it; a failing connection makes the exit status 1 while
// the other one still completes.
func TestSyncOutput(t *testing.T) {
	t.Parallel()
	cfg := phsandbox.DefaultConfig()
	cfg.Scale = phsandbox.MinScale
	sb, err := phsandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close) // after the parallel subtests
	conn := func(id, secretEnv string) string {
		return fmt.Sprintf("  - id: %s\n    connector: phenom\n    base_url: %s\n    token_url: %s\n    client_id_env: OUT_ID\n    client_secret_env: %s\n", id, srv.URL, srv.URL, secretEnv)
	}
	environ := map[string]string{"OUT_ID": "sandbox-client", "OUT_SECRET": "sandbox-secret", "OUT_WRONG": "not-the-secret"}
	summary := regexp.MustCompile(`^(ok|broken): (full succeeded in [0-9.]+m?s, \d+ requests \(\d+ retries\), \d+ rows seen, \d+ inserted, \d+ updated, \d+ deleted|full failed after [0-9.]+m?s, \d+ requests \(\d+ retries\): .*401.*)$`)

	for _, c := range []struct {
		name     string
		args     []string
		terminal bool
		check    func(t *testing.T, stderr string)
	}{
		{"text logs", nil, false, func(t *testing.T, stderr string) {
			for _, want := range []string{`level=INFO msg="run started" connection=ok`, `level=INFO msg="run finished" connection=ok`,
				`level=ERROR msg="run failed" connection=broken`} {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %s", want)
				}
			}
			for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
				if !strings.HasPrefix(line, "time=") {
					t.Errorf("not a log line: %q", line)
				}
			}
		}},
		{"json logs", []string{"--log-format", "json"}, false, func(t *testing.T, stderr string) {
			msgs := map[string]bool{}
			for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
				var m map[string]any
				if err := json.Unmarshal([]byte(line), &m); err != nil {
					t.Errorf("not JSON: %q", line)
					continue
				}
				msgs[fmt.Sprint(m["msg"], " ", m["connection"])] = true
				if m["msg"] == "run finished" && (m["status"] != "succeeded" || m["rows_seen"] == nil || m["inserted"] == nil) {
					t.Errorf("run finished line lacks its fields: %s", line)
				}
			}
			for _, want := range []string{"run started ok", "run finished ok", "run failed broken"} {
				if !msgs[want] {
					t.Errorf("no %q line in %v", want, msgs)
				}
			}
		}},
		{"warnings only", []string{"--log-level", "warn"}, false, func(t *testing.T, stderr string) {
			if strings.Contains(stderr, "level=INFO") || !strings.Contains(stderr, `level=ERROR msg="run failed" connection=broken`) {
				t.Errorf("stderr:\n%s", stderr)
			}
		}},
		{"terminal", nil, true, func(t *testing.T, stderr string) {
			text := ansiEscape.ReplaceAllString(stderr, "")
			if !regexp.MustCompile(`ok +. (extract|commit) +\d+ requests · [\d,]+ docs · [\d,]+ rows · [\d,]+ rows/s · \d+ retries · `).MatchString(text) {
				t.Errorf("no progress line for ok:\n%s", text)
			}
			if strings.Contains(text, "level=INFO") || strings.Contains(text, "time=") {
				t.Errorf("info lines or timestamps on the terminal:\n%s", text)
			}
			if !strings.Contains(text, `level=ERROR msg="run failed" connection=broken`) {
				t.Errorf("the failure is not shown:\n%s", text)
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			conf := writeConfig(t, dir, "lake: ./lake\nconnections:\n"+conn("ok", "OUT_SECRET")+conn("broken", "OUT_WRONG"))
			var stdout, stderr syncBuffer
			e := env{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return environ[k] }, unthrottled: true}
			if c.terminal {
				// Only stderr is the terminal: stdout gets plain lines.
				e.isTerminal = func(w io.Writer) bool { return w == &stderr }
				e.display = []render.DisplayOption{render.WithTerminalEmulation(150), render.WithRefreshRate(20 * time.Millisecond)}
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			code := runEnv(ctx, e, append([]string{"sync", "--config", conf}, c.args...))
			if code != exitFailed {
				t.Errorf("exit %d, want 1", code)
			}
			lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
			if len(lines) != 2 || !strings.HasPrefix(lines[0], "ok: full succeeded") || !strings.HasPrefix(lines[1], "broken: full failed") {
				t.Errorf("stdout is not the two summary lines in configuration order:\n%s", stdout.String())
			}
			for _, l := range lines {
				if !summary.MatchString(l) {
					t.Errorf("summary line %q", l)
				}
			}
			c.check(t, stderr.String())
		})
	}
}

// TestQueryAndRuns checks the formats of query and the columns of runs on
// a synced lake.
func TestQueryAndRuns(t *testing.T) {
	t.Parallel()
	cfg := phsandbox.DefaultConfig()
	cfg.Scale = phsandbox.MinScale
	sb, err := phsandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	defer srv.Close()
	dir := t.TempDir()
	conf := writeConfig(t, dir, fmt.Sprintf("lake: ./lake\nconnections:\n  - id: q\n    connector: phenom\n    base_url: %s\n    token_url: %s\n    client_id_env: Q_ID\n    client_secret_env: Q_SECRET\n", srv.URL, srv.URL))
	ctx := context.Background()
	environ := map[string]string{"Q_ID": "sandbox-client", "Q_SECRET": "sandbox-secret"}
	for i := 0; i < 2; i++ {
		if code, out, errOut := runCLI(t, ctx, environ, "sync", "--config", conf); code != 0 {
			t.Fatalf("sync: %d\n%s\n%s", code, out, errOut)
		}
	}
	lake := filepath.Join(dir, "lake")
	var jobs int
	if err := openCatalog(t, lake).QueryRow(`SELECT count(*) FROM jobs WHERE connection = 'q'`).Scan(&jobs); err != nil || jobs == 0 {
		t.Fatalf("jobs: %d, %v", jobs, err)
	}

	sql := `SELECT connection, count(*) AS n, bool_and(id IS NOT NULL) AS ids FROM jobs GROUP BY ALL`
	for _, c := range []struct {
		format string
		want   string
	}{
		{"table", fmt.Sprintf("connection  %*s  ids\n----------  %s  ----\nq           %*d  true\n(1 row)\n", max(1, len(fmt.Sprint(jobs))), "n", strings.Repeat("-", max(1, len(fmt.Sprint(jobs)))), max(1, len(fmt.Sprint(jobs))), jobs)},
		{"csv", fmt.Sprintf("connection,n,ids\nq,%d,true\n", jobs)},
		{"json", fmt.Sprintf(`[{"connection":"q","n":%d,"ids":true}]`+"\n", jobs)},
	} {
		code, out, errOut := runCLI(t, ctx, nil, "query", "--lake", lake, "--format", c.format, sql)
		if code != 0 || out != c.want {
			t.Errorf("%s: exit %d\n%s\nwant\n%s\n%s", c.format, code, out, c.want, errOut)
		}
	}
	code, _, errOut := runCLI(t, ctx, nil, "query", "--lake", lake, "SELECT nope FROM jobs")
	if code != 1 || !strings.HasPrefix(errOut, "atslake query: query: ") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("bad SQL: exit %d, %q", code, errOut)
	}

	code, out, errOut := runCLI(t, ctx, nil, "runs", "--lake", lake)
	if code != 0 {
		t.Fatalf("runs: %d %s", code, errOut)
	}
	lines := strings.Split(out, "\n")
	if !regexp.MustCompile(`^connection +mode +status +started_at +seconds +requests +retries +skipped +inserted +updated +deleted +error +run_id$`).MatchString(lines[0]) {
		t.Errorf("runs header: %q", lines[0])
	}
	if !strings.Contains(out, "(2 rows)") || !regexp.MustCompile(`(?m)^q +full +succeeded +\d{4}-`).MatchString(out) {
		t.Errorf("runs:\n%s", out)
	}
	code, out, _ = runCLI(t, ctx, nil, "runs", "--lake", lake, "--format", "json", "--limit", "1", "--connection", "q")
	var rows []runRow
	if err := json.Unmarshal([]byte(out), &rows); code != 0 || err != nil || len(rows) != 1 {
		t.Fatalf("runs json: %d %v %s", code, err, out)
	}
	// The latest run comes first: the second sync found nothing new.
	if r := rows[0]; r.Inserted != 0 || r.Updated != 0 || r.Deleted != 0 || r.Status != "succeeded" || r.Error != nil {
		t.Errorf("latest run: %+v", r)
	}
	code, out, _ = runCLI(t, ctx, nil, "runs", "--lake", lake, "--format", "csv", "--connection", "other")
	if code != 0 || strings.Count(out, "\n") != 1 {
		t.Errorf("runs of an unknown connection: %d %q", code, out)
	}
}
