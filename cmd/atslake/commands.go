package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/atslake/atslake/internal/render"
	"github.com/atslake/atslake/load"
	"github.com/atslake/atslake/pipeline"
	"github.com/atslake/atslake/schemas"
)

func isConfigError(err error) bool { return errors.Is(err, pipeline.ErrConfig) }

func cmdSchema(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "schema")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	var tables []*schemas.Table
	for _, name := range pos {
		t, ok := schemas.Lookup(name)
		if !ok {
			return usagef("unknown table %q (tables: %s)", name, strings.Join(schemas.Names(), ", "))
		}
		tables = append(tables, t)
	}
	return schemas.WriteDictionary(e.stdout, tables...)
}

func cmdCatalog(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "catalog")
	lake := fs.String("lake", "", "lake folder")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *lake == "" {
		return usagef("--lake is required")
	}
	if err := load.BuildCatalog(ctx, *lake); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "catalog rebuilt: %s\n", filepath.Join(*lake, "catalog.duckdb"))
	return nil
}

func cmdQuery(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "query")
	lake := fs.String("lake", "", "lake folder")
	format := fs.String("format", "table", "output format: table, csv or json")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *lake == "" {
		return usagef("--lake is required")
	}
	if len(pos) != 1 {
		return usagef("give exactly one SQL statement (quoted)")
	}
	if *format != render.Table && *format != render.CSV && *format != render.JSON {
		return usagef("unknown --format %q (table, csv or json)", *format)
	}
	return query(ctx, e, *lake, pos[0], *format)
}

func query(ctx context.Context, e env, lake, sql, format string) error {
	db, err := load.OpenCatalog(ctx, lake)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, sql)
	if err != nil {
		return fmt.Errorf("query: %w", oneLine(err))
	}
	defer rows.Close()
	res, err := render.Read(rows)
	if err != nil {
		return fmt.Errorf("query: %w", oneLine(err))
	}
	return render.Write(e.stdout, res, format)
}

// oneLine keeps DuckDB's multi-line error messages to one line.
func oneLine(err error) error {
	s := strings.Join(strings.Fields(err.Error()), " ")
	return errors.New(s)
}

func cmdRuns(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "runs")
	lake := fs.String("lake", "", "lake folder")
	limit := fs.Int("limit", 20, "how many recent runs")
	format := fs.String("format", "table", "output format: table, csv or json")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *lake == "" {
		return usagef("--lake is required")
	}
	return query(ctx, e, *lake, fmt.Sprintf(`
SELECT r.connection, r.mode, r.status, r.started_at,
       round(epoch(r.finished_at) - epoch(r.started_at), 1) AS seconds,
       r.requests, r.retries, r.skipped,
       coalesce(sum(t.inserted), 0) AS inserted, coalesce(sum(t.updated), 0) AS updated,
       coalesce(sum(t.deleted), 0) AS deleted, r.error
FROM runs r LEFT JOIN run_tables t USING (run_id)
GROUP BY ALL ORDER BY r.started_at DESC LIMIT %d`, *limit), *format)
}

// logger returns the structured logger for runs: text on a terminal, JSON
// otherwise or when asked.
func logger(e env, format string, level slog.Level) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: level}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(e.stderr, opts)), nil
	case "text", "":
		return slog.New(slog.NewTextHandler(e.stderr, opts)), nil
	}
	return nil, usagef("unknown --log-format %q (text or json)", format)
}

func cmdSync(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "sync")
	cfgPath := fs.String("config", "", "configuration file (YAML)")
	var only multiFlag
	fs.Var(&only, "connection", "run only this connection (repeatable)")
	full := fs.Bool("full", false, "force a full sync (deletion detection)")
	models := fs.String("models", "", "comma-separated unified tables to sync (default all)")
	logFormat := fs.String("log-format", "", "log format: text or json")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *cfgPath == "" {
		return usagef("--config is required")
	}
	cfg, err := pipeline.LoadConfig(*cfgPath, e.getenv)
	if err != nil {
		return err
	}
	conns, err := selectConnections(cfg, only)
	if err != nil {
		return err
	}
	opts := pipeline.RunOptions{Full: *full}
	if *models != "" {
		for _, m := range strings.Split(*models, ",") {
			m = strings.TrimSpace(m)
			if _, ok := schemas.Lookup(m); !ok {
				return usagef("--models: unknown table %q", m)
			}
			opts.Models = append(opts.Models, m)
		}
	}
	log, err := logger(e, *logFormat, slog.LevelInfo)
	if err != nil {
		return err
	}
	runner, err := pipeline.NewRunner(cfg.Lake, pipeline.WithLogger(log))
	if err != nil {
		return err
	}
	return runAll(ctx, e, runner, conns, opts)
}

func selectConnections(cfg *pipeline.Config, only []string) ([]pipeline.Connection, error) {
	if len(only) == 0 {
		return cfg.Connections, nil
	}
	var out []pipeline.Connection
	for _, id := range only {
		c, ok := cfg.Connection(id)
		if !ok {
			return nil, usagef("--connection %q is not in %s", id, cfg.Path)
		}
		out = append(out, c)
	}
	return out, nil
}

// runAll runs connections in parallel and prints one summary line each.
func runAll(ctx context.Context, e env, runner *pipeline.Runner, conns []pipeline.Connection, opts pipeline.RunOptions) error {
	results := make([]*pipeline.Result, len(conns))
	errs := make([]error, len(conns))
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Go(func() { results[i], errs[i] = runner.Run(ctx, c, opts) })
	}
	wg.Wait()
	failed := false
	for i, c := range conns {
		if errs[i] != nil {
			fmt.Fprintf(e.stderr, "%s: %v\n", c.ID, errs[i])
			failed = true
			continue
		}
		fmt.Fprintln(e.stdout, pipeline.Summary(results[i]))
		if results[i].Record.Status != pipeline.StatusSucceeded {
			failed = true
		}
	}
	if failed {
		return errFailed
	}
	return nil
}

func cmdSchedule(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "schedule")
	cfgPath := fs.String("config", "", "configuration file (YAML)")
	logFormat := fs.String("log-format", "", "log format: text or json")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *cfgPath == "" {
		return usagef("--config is required")
	}
	cfg, err := pipeline.LoadConfig(*cfgPath, e.getenv)
	if err != nil {
		return err
	}
	for _, c := range cfg.Connections {
		if c.Schedule == "" {
			return fmt.Errorf("%w: %s: connection %s has no schedule", pipeline.ErrConfig, cfg.Path, c.ID)
		}
	}
	log, err := logger(e, *logFormat, slog.LevelInfo)
	if err != nil {
		return err
	}
	runner, err := pipeline.NewRunner(cfg.Lake, pipeline.WithLogger(log))
	if err != nil {
		return err
	}
	var mu sync.Mutex
	return runner.Schedule(ctx, cfg.Connections, func(res *pipeline.Result, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			fmt.Fprintln(e.stderr, err)
			return
		}
		fmt.Fprintln(e.stdout, pipeline.Summary(res))
	})
}

func cmdBench(ctx context.Context, e env, args []string) error {
	return usagef("not available yet")
}

var _ = os.Stdout
