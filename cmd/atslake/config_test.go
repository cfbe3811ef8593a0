package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestConfigErrors: every configuration mistake stops sync and schedule
// before anything runs (no request, no lake folder) with exit status 2 and
// one line naming the file, the key and the reason.
func TestConfigErrors(t *testing.T) {
	t.Parallel()
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		http.Error(w, "no", http.StatusInternalServerError)
	}))
	defer srv.Close()

	// The first connection is fine; the case breaks the second one.
	good := fmt.Sprintf(`  - id: first
    connector: smartrecruiters
    base_url: %s
    token_env: CFG_TOKEN
    schedule: "@every 1h"
`, srv.URL)
	second := `  - id: second
    connector: phenom
    base_url: https://phenom.example
    token_url: https://auth.example
    client_id_env: CFG_ID
    client_secret_env: CFG_SECRET
    schedule: "0 */3 * * *"
`
	for _, c := range []struct {
		name     string
		commands []string // default: sync and schedule
		config   string   // "" : second with replacements applied
		replace  []string // old, new pairs applied to second
		want     []string // parts of the one-line error (after "atslake.yaml")
	}{
		{name: "unknown key", replace: []string{"    schedule:", "    colour: red\n    schedule:"},
			want: []string{"atslake.yaml:14", "connections[1].colour", "unknown key"}},
		{name: "key of the other connector", replace: []string{"    schedule:", "    full_sync_every: 2d\n    schedule:"},
			want: []string{"atslake.yaml:14", "connections[1] (second).full_sync_every", "not a key of the phenom connector"}},
		{name: "unknown top-level key", config: "lake: ./lake\nlakes: ./other\nconnections:\n" + good,
			want: []string{"atslake.yaml:2", "lakes", "unknown key"}},
		{name: "bad id", replace: []string{"id: second", "id: Second/2"},
			want: []string{"atslake.yaml:8", "connections[1].id", `"Second/2" is not a valid connection id`}},
		{name: "id too long", replace: []string{"id: second", "id: s" + strings.Repeat("x", 63)},
			want: []string{"connections[1].id", "at most 63 characters"}},
		{name: "duplicate id", replace: []string{"id: second", "id: first"},
			want: []string{"connections[1].id", `duplicate connection id "first"`}},
		{name: "bad cron", replace: []string{`"0 */3 * * *"`, `"61 * * * *"`},
			want: []string{"atslake.yaml:14", "connections[1] (second).schedule", `"61 * * * *" is not a schedule`}},
		{name: "six-field cron", replace: []string{`"0 */3 * * *"`, `"0 0 */3 * * *"`},
			want: []string{"connections[1] (second).schedule", "is not a schedule"}},
		{name: "unknown time zone", replace: []string{`"0 */3 * * *"`, `"CRON_TZ=Mars/Olympus 0 2 * * *"`},
			want: []string{"connections[1] (second).schedule", "is not a schedule"}},
		{name: "bad every", replace: []string{`"0 */3 * * *"`, `"@every often"`},
			want: []string{"connections[1] (second).schedule", `"often" is not a duration`}},
		{name: "missing environment variable", replace: []string{"CFG_SECRET", "CFG_NOT_SET_ANYWHERE"},
			want: []string{"atslake.yaml:13", "connections[1] (second).client_secret_env", "environment variable CFG_NOT_SET_ANYWHERE is not set"}},
		{name: "unknown connector", replace: []string{"connector: phenom", "connector: greenhouse"},
			want: []string{"atslake.yaml:9", "connections[1] (second).connector", `unknown connector "greenhouse" (known: smartrecruiters, phenom)`}},
		{name: "missing required key", replace: []string{"    token_url: https://auth.example\n", ""},
			want: []string{"connections[1] (second).token_url", "required key is missing"}},
		{name: "not a URL", replace: []string{"https://phenom.example", "phenom.example"},
			want: []string{"connections[1] (second).base_url", `"phenom.example" is not an http(s) URL`}},
		{name: "schedule missing for schedule", commands: []string{"schedule"}, replace: []string{"    schedule: \"0 */3 * * *\"\n", ""},
			want: []string{"connections[1] (second).schedule", "required key is missing"}},
		{name: "not YAML", config: "lake: [\n", want: []string{"atslake.yaml"}},
		{name: "no file", config: "-", want: []string{"atslake.yaml", "no such file or directory"}},
		{name: "lake is a file", config: "lake: ./afile\nconnections:\n" + good,
			want: []string{"atslake.yaml", "lake", "afile"}},
	} {
		commands := c.commands
		if commands == nil {
			commands = []string{"sync", "schedule"}
		}
		for _, command := range commands {
			t.Run(c.name+"/"+command, func(t *testing.T) {
				dir := t.TempDir()
				body := c.config
				if body == "" {
					s := second
					for i := 0; i+1 < len(c.replace); i += 2 {
						if !strings.Contains(s, c.replace[i]) {
							t.Fatalf("case does not apply: %q", c.replace[i])
						}
						s = strings.Replace(s, c.replace[i], c.replace[i+1], 1)
					}
					body = "lake: ./lake\nconnections:\n" + good + s
				}
				conf := filepath.Join(dir, "atslake.yaml")
				if body != "-" {
					conf = writeConfig(t, dir, body)
				}
				if err := os.WriteFile(filepath.Join(dir, "afile"), []byte("x"), 0o600); err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				before := requests.Load()
				code, out, errOut := runCLI(t, ctx, map[string]string{"CFG_TOKEN": "t", "CFG_ID": "i", "CFG_SECRET": "s"}, command, "--config", conf)
				if code != exitUsage {
					t.Errorf("exit %d, want 2\nstdout: %s\nstderr: %s", code, out, errOut)
				}
				if n := strings.Count(errOut, "\n"); n != 1 || !strings.HasSuffix(errOut, "\n") {
					t.Errorf("error is not one line: %q", errOut)
				}
				if !strings.HasPrefix(errOut, "atslake "+command+": invalid configuration: "+conf) {
					t.Errorf("error does not start with the file: %q", errOut)
				}
				for _, w := range c.want {
					if !strings.Contains(errOut, w) {
						t.Errorf("error %q lacks %q", errOut, w)
					}
				}
				if out != "" {
					t.Errorf("stdout: %q", out)
				}
				if n := requests.Load() - before; n != 0 {
					t.Errorf("%d requests sent before the error", n)
				}
				if _, err := os.Stat(filepath.Join(dir, "lake")); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("lake folder created: %v", err)
				}
			})
		}
	}
}

// TestUsageErrors: bad flags and arguments exit 2 with one line.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	conf := writeConfig(t, dir, "lake: ./lake\nconnections:\n  - id: a\n    connector: smartrecruiters\n    base_url: http://127.0.0.1:1\n    token_env: USAGE_TOKEN\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sync"}, "--config is required"},
		{[]string{"sync", "--config", conf, "--connection", "nope"}, `--connection "nope" is not in`},
		{[]string{"sync", "--config", conf, "--models", "jobs,nope"}, `--models: unknown table "nope"`},
		{[]string{"sync", "--config", conf, "--log-format", "xml"}, `unknown --log-format "xml"`},
		{[]string{"sync", "--config", conf, "--log-level", "loud"}, `unknown --log-level "loud"`},
		{[]string{"schedule", "--config", conf, "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"query", "--lake", dir}, "give exactly one SQL statement"},
		{[]string{"query", "--lake", dir, "--format", "xml", "SELECT 1"}, `unknown --format "xml"`},
		{[]string{"runs"}, "--lake is required"},
		{[]string{"runs", "--lake", dir, "--connection", "Bad'id"}, `--connection "Bad'id" is not a valid connection id`},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
	} {
		code, _, errOut := runCLI(t, context.Background(), map[string]string{"USAGE_TOKEN": "t"}, c.args...)
		if code != exitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "lake")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("lake folder created: %v", err)
	}
}
