package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

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
	if err := checkFormat(*format); err != nil {
		return err
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
	var only multiFlag
	fs.Var(&only, "connection", "only runs of this connection (repeatable)")
	limit := fs.Int("limit", 20, "how many recent runs")
	format := fs.String("format", "table", "output format: table, csv or json")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *lake == "" {
		return usagef("--lake is required")
	}
	if *limit < 1 {
		return usagef("--limit must be at least 1")
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	where := ""
	if len(only) > 0 {
		quoted := make([]string, len(only))
		for i, id := range only {
			if !pipeline.ValidConnectionID(id) {
				return usagef("--connection %q is not a valid connection id", id)
			}
			quoted[i] = "'" + id + "'"
		}
		where = "WHERE r.connection IN (" + strings.Join(quoted, ", ") + ")"
	}
	return query(ctx, e, *lake, fmt.Sprintf(`
SELECT r.connection, r.mode, r.status, r.started_at,
       round(epoch(r.finished_at) - epoch(r.started_at), 1) AS seconds,
       r.requests, r.retries, r.skipped,
       coalesce(sum(t.inserted), 0)::BIGINT AS inserted, coalesce(sum(t.updated), 0)::BIGINT AS updated,
       coalesce(sum(t.deleted), 0)::BIGINT AS deleted, r.error, r.run_id
FROM runs r LEFT JOIN run_tables t USING (run_id)
%s
GROUP BY ALL ORDER BY r.started_at DESC, r.connection LIMIT %d`, where, *limit), *format)
}

func checkFormat(format string) error {
	if !slices.Contains(render.Formats, format) {
		return usagef("unknown --format %q (table, csv or json)", format)
	}
	return nil
}

func cmdSync(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "sync")
	cfgPath := fs.String("config", "", "configuration file (YAML)")
	var only multiFlag
	fs.Var(&only, "connection", "run only this connection (repeatable)")
	full := fs.Bool("full", false, "force a full sync (deletion detection)")
	models := fs.String("models", "", "comma-separated unified tables to sync (default all)")
	lf := addLogFlags(fs)
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
	conns, err := selectConnections(e, cfg, only)
	if err != nil {
		return err
	}
	opts := pipeline.RunOptions{Full: *full}
	if *models != "" {
		for _, m := range strings.Split(*models, ",") {
			m = strings.TrimSpace(m)
			if _, ok := schemas.Lookup(m); !ok {
				return usagef("--models: unknown table %q (tables: %s)", m, strings.Join(schemas.Names(), ", "))
			}
			opts.Models = append(opts.Models, m)
		}
	}
	u, err := newUI(e, lf, uiConfig{terminalLevel: slog.LevelWarn, plainLevel: slog.LevelInfo, progressEvery: 10 * time.Second})
	if err != nil {
		return err
	}
	defer u.close()
	runner, err := newRunner(cfg, u)
	if err != nil {
		return err
	}
	return runAll(ctx, u, runner, conns, opts)
}

// newRunner opens the configuration's lake; a lake folder that cannot be
// used is a configuration error.
func newRunner(cfg *pipeline.Config, u *ui) (*pipeline.Runner, error) {
	runner, err := pipeline.NewRunner(cfg.Lake, u.runnerOptions()...)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: lake: %v", pipeline.ErrConfig, cfg.Path, err)
	}
	return runner, nil
}

func selectConnections(e env, cfg *pipeline.Config, only []string) ([]pipeline.Connection, error) {
	conns := cfg.Connections
	if len(only) > 0 {
		conns = nil
		for _, id := range only {
			c, ok := cfg.Connection(id)
			if !ok {
				return nil, usagef("--connection %q is not in %s", id, cfg.Path)
			}
			conns = append(conns, c)
		}
	}
	if e.unthrottled {
		conns = slices.Clone(conns)
		for i := range conns {
			conns[i].Unthrottled = true
		}
	}
	return conns, nil
}

// runAll runs connections in parallel, then prints one summary line each
// (after the live display is gone). It returns errFailed when a connection
// did not succeed.
func runAll(ctx context.Context, u *ui, runner *pipeline.Runner, conns []pipeline.Connection, opts pipeline.RunOptions) error {
	results := make([]*pipeline.Result, len(conns))
	errs := make([]error, len(conns))
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Go(func() {
			results[i], errs[i] = runSafely(ctx, runner, c, opts, u.log)
			u.finished(c, results[i], errs[i], ctx.Err() != nil)
		})
	}
	wg.Wait()
	u.close()
	failed := false
	for i, c := range conns {
		stopping := ctx.Err() != nil
		u.println(pipeline.SummaryLine(c.ID, results[i], errs[i], stopping))
		if pipeline.OutcomeOf(results[i], errs[i], stopping) != pipeline.OutcomeSucceeded {
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
	lf := addLogFlags(fs)
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
	for i, c := range cfg.Connections {
		if c.Schedule == "" {
			return fmt.Errorf("%w: %s: connections[%d] (%s).schedule: required key is missing (atslake schedule runs each connection on its schedule)",
				pipeline.ErrConfig, cfg.Path, i, c.ID)
		}
	}
	conns, err := selectConnections(e, cfg, nil)
	if err != nil {
		return err
	}
	u, err := newUI(e, lf, uiConfig{terminalLevel: slog.LevelInfo, plainLevel: slog.LevelInfo, progressEvery: 10 * time.Second, clock: true})
	if err != nil {
		return err
	}
	defer u.close()
	runner, err := newRunner(cfg, u)
	if err != nil {
		return err
	}
	// Exit status 0 after a signal, whatever the runs did: their outcomes
	// are in the summary lines, the logs and the runs view.
	return runner.Schedule(ctx, conns, func(c pipeline.Connection, res *pipeline.Result, err error) {
		stopping := ctx.Err() != nil
		u.finished(c, res, err, stopping)
		u.println(pipeline.SummaryLine(c.ID, res, err, stopping))
	})
}
