// Command atslake pulls recruiting data out of applicant-tracking systems,
// maps it into one unified ATS model and writes it as a Parquet lake that
// DuckDB queries. See README.md and shared/spec/product.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"github.com/atslake/atslake/internal/render"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailed  = 1 // a connection failed or was partial
	exitUsage   = 2 // bad usage or configuration
	usageHeader = `atslake: recruiting data from applicant-tracking systems into a Parquet lake for DuckDB

Usage:
  atslake demo [--dir DIR] [--scale N]
  atslake sync --config FILE [--connection ID]... [--full] [--models LIST] [--log-format text|json] [--log-level LEVEL]
  atslake schedule --config FILE [--log-format text|json] [--log-level LEVEL]
  atslake query --lake DIR [--format table|csv|json] "SQL"
  atslake runs --lake DIR [--connection ID] [--limit N] [--format table|csv|json]
  atslake sandbox --connector smartrecruiters|phenom [--addr 127.0.0.1:8080] [--seed N] [--scale N] [--epoch K]
  atslake schema [TABLE]
  atslake catalog --lake DIR
  atslake bench [--scale N] [--format json]

On a terminal, sync, schedule and demo show live progress on standard error;
otherwise they log structured lines there (text, or JSON with --log-format json).
Results and one summary line per run go to standard output.
Exit status: 0 all connections succeeded, 1 a connection failed or was partial,
2 bad usage or configuration.
`
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal the command stops cleanly; a second one
		// ends the process at once (the lake stays consistent either way).
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// env is what a command needs from the process.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	// isTerminal reports whether w is an interactive terminal (live
	// progress instead of log lines).
	isTerminal func(w io.Writer) bool
	// display tunes the live progress display (tests emulate a terminal).
	display []render.DisplayOption
	// unthrottled drops the client-side request-rate limits of configured
	// connections: in-process tests against sandboxes whose limits are
	// relaxed (not reachable from the command line).
	unthrottled bool
}

// run runs the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runEnv(ctx, env{stdout: stdout, stderr: stderr, getenv: os.Getenv, isTerminal: isTerminal}, args)
}

// isTerminal reports whether w is a terminal that can redraw lines in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("TERM") == "dumb" {
		return false
	}
	return term.IsTerminal(int(f.Fd()))
}

// usageError marks bad usage (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// errFailed marks a run in which a connection failed or was partial (exit 1);
// the details were already printed.
var errFailed = errors.New("a connection failed or was partial")

type command struct {
	name string
	run  func(ctx context.Context, e env, args []string) error
}

var commands = []command{
	{"demo", cmdDemo},
	{"sync", cmdSync},
	{"schedule", cmdSchedule},
	{"query", cmdQuery},
	{"runs", cmdRuns},
	{"sandbox", cmdSandbox},
	{"schema", cmdSchema},
	{"catalog", cmdCatalog},
	{"bench", cmdBench},
}

func runEnv(ctx context.Context, e env, args []string) int {
	if e.isTerminal == nil {
		e.isTerminal = func(io.Writer) bool { return false }
	}
	if e.getenv == nil {
		e.getenv = os.Getenv
	}
	stdout, stderr := e.stdout, e.stderr
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usageHeader)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		return exitCode(e, c.name, err)
	}
	fmt.Fprintf(stderr, "atslake: unknown command %q\n%s", args[0], usageHeader)
	return exitUsage
}

func exitCode(e env, name string, err error) int {
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "atslake %s: %s\n", name, ue.msg)
		return exitUsage
	case isConfigError(err):
		fmt.Fprintf(e.stderr, "atslake %s: %v\n", name, err)
		return exitUsage
	case errors.Is(err, errFailed):
		return exitFailed
	default:
		fmt.Fprintf(e.stderr, "atslake %s: %v\n", name, err)
		return exitFailed
	}
}

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(e env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("atslake "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// parseFlags parses args, allowing flags after positional arguments, and
// turns flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// multiFlag collects a repeated string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return fmt.Sprint(*m) }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
