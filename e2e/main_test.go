package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/atslake/atslake/sandbox/simapi"
)

var long = flag.Bool("e2e.long", false, "also run the heavy variants (larger scales, every junk kind for SmartRecruiters, more kill moments)")

// binary is the atslake executable under test, built once by TestMain.
var binary string

// TestMain builds cmd/atslake (with -race when the tests run with it) and
// raises the default test parallelism: the tests mostly wait for processes
// held to a source's request rate, so running two at a time would waste
// wall time, not save CPU. An explicit -test.parallel wins.
func TestMain(m *testing.M) {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if p := flag.Lookup("test.parallel"); p != nil && !explicit {
		_ = p.Value.Set("12")
	}
	dir, err := os.MkdirTemp("", "atslake-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "atslake")
	args := []string{"build", "-o", binary}
	if raceEnabled {
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, "github.com/atslake/atslake/cmd/atslake")...)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: build atslake:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// ---------------------------------------------------------------- sandboxes

// sandbox is a running simulated source (an `atslake sandbox` child process).
type sandbox struct {
	URL       string
	connector string
	args      []string
}

// startSandbox runs `atslake sandbox --connector c --addr 127.0.0.1:0 args...`
// until the test ends and returns it once it announced its URL.
func startSandbox(t *testing.T, connector string, args ...string) *sandbox {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"sandbox", "--connector", connector, "--addr", "127.0.0.1:0"}, args...)...)
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	first := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for n := 0; sc.Scan(); n++ {
			if n == 0 {
				first <- sc.Text()
			}
		}
		close(first)
	}()
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	select {
	case url, ok := <-first:
		if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
			t.Fatalf("sandbox %s %v announced %q (stderr: %s)", connector, args, url, stderr.String())
		}
		return &sandbox{URL: url, connector: connector, args: args}
	case <-time.After(60 * time.Second):
		t.Fatalf("sandbox %s %v did not announce its URL (stderr: %s)", connector, args, stderr.String())
	}
	return nil
}

// truth is the reply of GET /_sandbox/truth.
type truth struct {
	Epoch  int                 `json:"epoch"`
	Tables map[string][]string `json:"tables"`
}

func (s *sandbox) getJSON(t *testing.T, method, path string, v any) {
	t.Helper()
	req, _ := http.NewRequest(method, s.URL+path, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: HTTP %d", method, path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
}

func (s *sandbox) truth(t *testing.T) truth {
	t.Helper()
	var tr truth
	s.getJSON(t, http.MethodGet, "/_sandbox/truth", &tr)
	if len(tr.Tables) == 0 {
		t.Fatal("the truth has no tables")
	}
	return tr
}

func (s *sandbox) faults(t *testing.T) simapi.FaultReport {
	t.Helper()
	var f simapi.FaultReport
	s.getJSON(t, http.MethodGet, "/_sandbox/faults", &f)
	return f
}

// advance moves the sandbox one epoch on.
func (s *sandbox) advance(t *testing.T) int {
	t.Helper()
	var r struct{ Epoch int }
	s.getJSON(t, http.MethodPost, "/_sandbox/advance", &r)
	return r.Epoch
}

// ---------------------------------------------------------------- configuration

// conn is one connection of a test configuration.
type conn struct {
	id    string
	sb    *sandbox
	oauth bool // SmartRecruiters: OAuth client credentials instead of the API key
}

// Credentials the sandboxes accept by default, passed through the environment.
var credentialEnv = []string{
	"E2E_SR_TOKEN=sandbox-token",
	"E2E_CLIENT_ID=sandbox-client",
	"E2E_CLIENT_SECRET=sandbox-secret",
}

// writeConfig writes dir/atslake.yaml with lake dir/lake and returns its path.
func writeConfig(t *testing.T, dir string, conns ...conn) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("lake: ./lake\nconnections:\n")
	for _, c := range conns {
		fmt.Fprintf(&b, "  - id: %s\n    connector: %s\n    base_url: %s\n", c.id, c.sb.connector, c.sb.URL)
		switch {
		case c.sb.connector == "phenom":
			fmt.Fprintf(&b, "    token_url: %s\n    client_id_env: E2E_CLIENT_ID\n    client_secret_env: E2E_CLIENT_SECRET\n", c.sb.URL)
		case c.oauth:
			b.WriteString("    client_id_env: E2E_CLIENT_ID\n    client_secret_env: E2E_CLIENT_SECRET\n")
		default:
			b.WriteString("    token_env: E2E_SR_TOKEN\n")
		}
	}
	path := filepath.Join(dir, "atslake.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// ---------------------------------------------------------------- processes

// result is the outcome of one atslake process.
type result struct {
	code           int
	stdout, stderr string
	elapsed        time.Duration
	maxRSS         int64 // peak resident set in bytes (Linux), 0 when unknown
	signaled       bool
}

func (r result) String() string {
	return fmt.Sprintf("exit %d after %v\nstdout:\n%s\nstderr:\n%s", r.code, r.elapsed.Round(time.Millisecond), r.stdout, tail(r.stderr, 4000))
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

// atslake runs the binary with args to completion (at most timeout; a
// process still running then is killed and the test fails: it hung).
func atslake(t *testing.T, timeout time.Duration, args ...string) result {
	t.Helper()
	cmd := command(args...)
	var stdout, stderr lockedBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(timeout):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("atslake %s hung: killed after %v\nstderr:\n%s", strings.Join(args, " "), timeout, tail(stderr.String(), 4000))
	}
	return finished(cmd, &stdout, &stderr, start)
}

// command returns an atslake command with the test credentials in its environment.
func command(args ...string) *exec.Cmd {
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), credentialEnv...)
	return cmd
}

func finished(cmd *exec.Cmd, stdout, stderr *lockedBuffer, start time.Time) result {
	r := result{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(start)}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		r.signaled = true
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = int64(ru.Maxrss) * 1024 // kilobytes on Linux
	}
	return r
}

// runSync runs `atslake sync --config cfg args...`.
func runSync(t *testing.T, cfg string, args ...string) result {
	t.Helper()
	return atslake(t, 3*time.Minute, append([]string{"sync", "--config", cfg}, args...)...)
}

// mustSync runs a sync that must succeed.
func mustSync(t *testing.T, cfg string, args ...string) result {
	t.Helper()
	r := runSync(t, cfg, args...)
	if r.code != 0 {
		t.Fatalf("sync failed: %v", r)
	}
	return r
}

// lockedBuffer is a bytes.Buffer safe for a process's writes and the test's reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// ---------------------------------------------------------------- queries

// query runs SQL through `atslake query --format json` and returns the rows.
func query(t *testing.T, lake, sql string) []map[string]any {
	t.Helper()
	r := atslake(t, time.Minute, "query", "--lake", lake, "--format", "json", sql)
	if r.code != 0 {
		t.Fatalf("query %s: %v", sql, r)
	}
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	dec.UseNumber()
	var rows []map[string]any
	if err := dec.Decode(&rows); err != nil {
		t.Fatalf("query output: %v\n%s", err, r.stdout)
	}
	return rows
}

func str(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

func num(v any) int64 {
	switch x := v.(type) {
	case json.Number:
		n, _ := x.Int64()
		return n
	case float64:
		return int64(x)
	}
	return 0
}

// waitCtx is a context for a test's background work.
func waitCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
