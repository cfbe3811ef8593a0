package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/atslake/atslake/pipeline"
)

// demoState is what the demo keeps in its folder between runs.
type demoState struct {
	Epoch int `json:"epoch"`
	Scale int `json:"scale"`
}

const demoStateFile = "demo-state.json"

// demoQueries are the example questions the demo answers after syncing.
var demoQueries = []struct{ title, sql string }{
	{"Applications per connection and outcome", `SELECT connection, outcome, count(*) AS applications
FROM applications WHERE remote_deleted_at IS NULL GROUP BY ALL ORDER BY ALL`},
	{"Open jobs per recruiter (top 5)", `SELECT u.first_name || ' ' || coalesce(u.last_name, '') AS recruiter, m.connection, count(DISTINCT j.id) AS open_jobs
FROM job_hiring_team_members m
JOIN users u ON u.id = m.user_id AND u.connection = m.connection
JOIN jobs j ON j.id = m.job_id AND j.connection = m.connection
WHERE list_contains(m.roles, 'RECRUITER') AND j.status = 'OPEN'
  AND m.remote_deleted_at IS NULL AND j.remote_deleted_at IS NULL
GROUP BY ALL ORDER BY open_jobs DESC, recruiter LIMIT 5`},
	{"Median days to hire by department (top 5)", `SELECT j.department, count(*) AS hires,
       round(median(epoch(a.remote_updated_at) - epoch(a.remote_created_at)) / 86400, 1) AS median_days
FROM applications a JOIN jobs j ON j.id = a.job_id AND j.connection = a.connection
WHERE a.outcome = 'HIRED' AND a.remote_created_at IS NOT NULL
GROUP BY ALL ORDER BY hires DESC, j.department LIMIT 5`},
	{"Rows changed by this run", `SELECT t.connection, sum(t.inserted) AS inserted, sum(t.updated) AS updated, sum(t.deleted) AS deleted
FROM run_tables t JOIN (SELECT connection, max(started_at) AS s FROM runs GROUP BY ALL) l
  ON l.connection = t.connection JOIN runs r ON r.run_id = t.run_id AND r.started_at = l.s
GROUP BY ALL ORDER BY ALL`},
}

func cmdDemo(ctx context.Context, e env, args []string) error {
	fl := newFlags(e, "demo")
	dir := fl.String("dir", "./atslake-demo", "folder of the demo lake")
	scale := fl.Int("scale", 200, "sandbox scale (number of candidates)")
	lf := addLogFlags(fl)
	if _, err := parseFlags(fl, args); err != nil {
		return err
	}
	if *scale < 1 {
		return usagef("--scale must be at least 1")
	}
	lake, err := filepath.Abs(*dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(lake, 0o755); err != nil {
		return fmt.Errorf("demo folder: %w", err)
	}
	state, err := readDemoState(lake)
	if err != nil {
		return err
	}
	epoch := 0
	if state != nil {
		epoch = state.Epoch + 1
	}

	sctx, stop := context.WithCancel(ctx)
	defer stop()
	sf := sandboxFlags{seed: 1, scale: *scale, epoch: epoch, token: "sandbox-token", clientID: "sandbox-client", secret: "sandbox-secret", rateLimit: 0}
	var conns []pipeline.Connection
	for _, c := range []struct{ id, connector string }{{"demo-smartrecruiters", "smartrecruiters"}, {"demo-phenom", "phenom"}} {
		h, err := newSandbox(c.connector, sf)
		if err != nil {
			return err
		}
		url, err := startSandbox(sctx, h)
		if err != nil {
			return err
		}
		conn := pipeline.Connection{ID: c.id, Connector: c.connector, BaseURL: url, Unthrottled: true,
			ClientID: pipeline.NewSecret(sf.clientID), ClientSecret: pipeline.NewSecret(sf.secret)}
		switch c.connector {
		case "smartrecruiters":
			conn.ClientID, conn.ClientSecret = pipeline.Secret{}, pipeline.Secret{}
			conn.Token = pipeline.NewSecret(sf.token)
			conn.AppURL = "https://www.smartrecruiters.com"
		case "phenom":
			conn.TokenURL, conn.SiteType, conn.Locale = url, "external", "en_US"
		}
		conns = append(conns, conn)
	}
	fmt.Fprintf(e.stdout, "atslake demo: sandboxes at epoch %d (seed 1, scale %d), lake %s\n\n", epoch, *scale, lake)

	// The demo shows progress on a terminal and keeps quiet otherwise: only
	// warnings and errors are logged.
	u, err := newUI(e, lf, uiConfig{terminalLevel: slog.LevelWarn, plainLevel: slog.LevelWarn})
	if err != nil {
		return err
	}
	defer u.close()
	runner, err := pipeline.NewRunner(lake, u.runnerOptions()...)
	if err != nil {
		return err
	}
	runErr := runAll(ctx, u, runner, conns, pipeline.RunOptions{})
	stop()
	if err := writeDemoState(lake, demoState{Epoch: epoch, Scale: *scale}); err != nil {
		return err
	}
	for _, q := range demoQueries {
		fmt.Fprintf(e.stdout, "\n-- %s\n%s\n\n", q.title, q.sql)
		if err := query(ctx, e, lake, q.sql, "table"); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "\nAsk your own questions:\n  go run ./cmd/atslake query --lake %s \"SELECT * FROM jobs LIMIT 5\"\n", lake)
	fmt.Fprintf(e.stdout, "Run the demo again to move the sandboxes one epoch on and see changes, deletions and history.\n")
	return runErr
}

func readDemoState(dir string) (*demoState, error) {
	b, err := os.ReadFile(filepath.Join(dir, demoStateFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("demo state: %w", err)
	}
	var s demoState
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("demo state %s: %w", filepath.Join(dir, demoStateFile), err)
	}
	return &s, nil
}

func writeDemoState(dir string, s demoState) error {
	b, _ := json.Marshal(s)
	tmp := filepath.Join(dir, demoStateFile+".tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("demo state: %w", err)
	}
	return os.Rename(tmp, filepath.Join(dir, demoStateFile))
}
