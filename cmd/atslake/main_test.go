package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"
)

// execAsAtslake makes the test binary act as the atslake command: tests
// that need a real process (signals, exit status) run it with
// atslakeCommand instead of building the binary again.
const execAsAtslake = "ATSLAKE_TEST_EXEC_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(execAsAtslake) == "1" {
		main() // exits
	}
	os.Exit(m.Run())
}

// atslakeCommand is the atslake command line args as a child process.
func atslakeCommand(t *testing.T, ctx context.Context, environ []string, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = append(append(os.Environ(), execAsAtslake+"=1"), environ...)
	return cmd
}

// syncBuffer is a bytes.Buffer safe for concurrent writers and readers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runCLI runs the command line in-process with the environment variables
// of environ (then the process's), without touching the process
// environment, so that tests using it may run in parallel.
func runCLI(t *testing.T, ctx context.Context, environ map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb syncBuffer
	getenv := func(k string) string {
		if v, ok := environ[k]; ok {
			return v
		}
		return os.Getenv(k)
	}
	code = runEnv(ctx, env{stdout: &out, stderr: &errb, getenv: getenv, unthrottled: true}, args)
	return code, out.String(), errb.String()
}
