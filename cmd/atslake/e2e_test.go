package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atslake/atslake/load"
	phsandbox "github.com/atslake/atslake/sandbox/phenom"
	srsandbox "github.com/atslake/atslake/sandbox/smartrecruiters"
	"github.com/atslake/atslake/schemas"
	"github.com/atslake/atslake/transform"
)

// truth is the sandbox's /_sandbox/truth reply.
type truth struct {
	Epoch  int                 `json:"epoch"`
	Tables map[string][]string `json:"tables"`
}

func getTruth(t *testing.T, baseURL string) truth {
	t.Helper()
	resp, err := http.Get(baseURL + "/_sandbox/truth")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tr truth
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil {
		t.Fatal(err)
	}
	return tr
}

// cli runs the atslake command line in-process.
func cli(t *testing.T, ctx context.Context, getenv map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	for k, v := range getenv {
		t.Setenv(k, v)
	}
	// In-process runs skip the client-side rate limit: the sandboxes' limits
	// are relaxed, and the throttled path has its own tests in extract.
	code = runEnv(ctx, env{stdout: &out, stderr: &errb, getenv: os.Getenv, unthrottled: true}, args)
	return code, out.String(), errb.String()
}

func writeConfig(t *testing.T, dir, body string) string {
	t.Helper()
	p := filepath.Join(dir, "atslake.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// checkLakeAgainstTruth compares every table the connector fills with the
// sandbox truth: live remote ids equal, ids deterministic and unique.
func checkLakeAgainstTruth(t *testing.T, db *sql.DB, connection string, tr truth) {
	t.Helper()
	if len(tr.Tables) == 0 {
		t.Fatal("truth has no tables")
	}
	for table, want := range tr.Tables {
		if _, ok := schemas.Lookup(table); !ok {
			t.Errorf("truth names unknown table %q", table)
			continue
		}
		rows, err := db.Query(fmt.Sprintf(`SELECT id, remote_id, remote_deleted_at IS NULL FROM %q WHERE connection = ?`, table), connection)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		var live []string
		ids := map[string]bool{}
		for rows.Next() {
			var id, rid string
			var isLive bool
			if err := rows.Scan(&id, &rid, &isLive); err != nil {
				t.Fatal(err)
			}
			if ids[id] {
				t.Errorf("%s: duplicate id %s", table, id)
			}
			ids[id] = true
			if want := transform.ID(connection, table, rid); id != want {
				t.Errorf("%s: id %s of remote_id %q, want %s", table, id, rid, want)
			}
			if isLive {
				live = append(live, rid)
			}
		}
		rows.Close()
		slices.Sort(live)
		if !slices.Equal(live, want) {
			t.Errorf("%s: lake has %d live rows, truth %d; missing %v; extra %v", table, len(live), len(want),
				head(diff(want, live)), head(diff(live, want)))
		}
	}
}

func diff(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}

func head(s []string) []string {
	if len(s) > 5 {
		return append(s[:5:5], fmt.Sprintf("... (%d more)", len(s)-5))
	}
	return s
}

func openCatalog(t *testing.T, lake string) *sql.DB {
	t.Helper()
	db, err := load.OpenCatalog(context.Background(), lake)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestEndToEndSmartRecruiters(t *testing.T) {
	cfg := srsandbox.DefaultConfig()
	cfg.Scale, cfg.RateLimit = 60, 0
	sb, err := srsandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	defer srv.Close()

	dir := t.TempDir()
	conf := writeConfig(t, dir, fmt.Sprintf(`lake: ./lake
connections:
  - id: acme-sr
    connector: smartrecruiters
    base_url: %s
    token_env: E2E_SR_TOKEN
`, srv.URL))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code, out, errOut := cli(t, ctx, map[string]string{"E2E_SR_TOKEN": "sandbox-token"}, "sync", "--config", conf)
	if code != 0 {
		t.Fatalf("sync exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	if !strings.Contains(out, "acme-sr: full succeeded") {
		t.Errorf("summary line missing: %s", out)
	}
	lake := filepath.Join(dir, "lake")
	db := openCatalog(t, lake)
	tr := getTruth(t, srv.URL)
	if len(tr.Tables) != 20 {
		t.Errorf("truth has %d tables, want all 20", len(tr.Tables))
	}
	checkLakeAgainstTruth(t, db, "acme-sr", tr)

	// No dangling relation for SmartRecruiters' stages.
	var dangling int
	if err := db.QueryRow(`SELECT dangling FROM dangling_relations WHERE connection = 'acme-sr' AND table_name = 'applications' AND column_name = 'current_stage_id'`).Scan(&dangling); err != nil {
		t.Fatal(err)
	}
	if dangling != 0 {
		t.Errorf("current_stage_id dangles %d times", dangling)
	}

	// A wrong token is a one-line error naming the connection, and exit 1.
	const badToken = "tok-e2e-9f3a77c1"
	code, out, errOut = cli(t, ctx, map[string]string{"E2E_SR_TOKEN": badToken}, "sync", "--config", conf)
	if code != 1 || !strings.Contains(errOut, "acme-sr") || !strings.Contains(errOut, "401") {
		t.Errorf("wrong token: exit %d, stderr %q", code, errOut)
	}
	if strings.Contains(errOut+out, badToken) {
		t.Errorf("token leaked: %q", errOut)
	}
	// The failed run is recorded; the data stays.
	var failed int
	if err := db.QueryRow(`SELECT count(*) FROM runs WHERE connection = 'acme-sr' AND status = 'failed'`).Scan(&failed); err != nil {
		t.Fatal(err)
	}
	if failed != 1 {
		t.Errorf("failed runs = %d, want 1", failed)
	}
	checkLakeAgainstTruth(t, db, "acme-sr", tr)
}

func TestEndToEndPhenom(t *testing.T) {
	cfg := phsandbox.DefaultConfig()
	cfg.Scale = 60
	sb, err := phsandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	defer srv.Close()
	dir := t.TempDir()
	conf := writeConfig(t, dir, fmt.Sprintf(`lake: ./lake
connections:
  - id: acme-phenom
    connector: phenom
    base_url: %s
    token_url: %s
    client_id_env: E2E_PH_ID
    client_secret_env: E2E_PH_SECRET
`, srv.URL, srv.URL))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code, out, errOut := cli(t, ctx, map[string]string{"E2E_PH_ID": "sandbox-client", "E2E_PH_SECRET": "sandbox-secret"}, "sync", "--config", conf)
	if code != 0 {
		t.Fatalf("sync exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	db := openCatalog(t, filepath.Join(dir, "lake"))
	tr := getTruth(t, srv.URL)
	checkLakeAgainstTruth(t, db, "acme-phenom", tr)

	// Applications pointing at JOBID, internal or deleted jobs dangle.
	var dangling int
	if err := db.QueryRow(`SELECT dangling FROM dangling_relations WHERE connection = 'acme-phenom' AND table_name = 'applications' AND column_name = 'job_id'`).Scan(&dangling); err != nil {
		t.Fatal(err)
	}
	var jobid int
	if err := db.QueryRow(`SELECT count(*) FROM applications WHERE connection = 'acme-phenom' AND job_id = ?`, transform.ID("acme-phenom", "jobs", "JOBID")).Scan(&jobid); err != nil {
		t.Fatal(err)
	}
	if jobid == 0 || dangling < jobid {
		t.Errorf("JOBID applications = %d, dangling job_id = %d", jobid, dangling)
	}
}
