package e2e

import (
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2" // read_parquet over the lake's files, as a BI tool would

	"github.com/atslake/atslake/schemas"
	"github.com/atslake/atslake/transform"
)

// row is one row of a unified table, as far as the checks need it.
type row struct {
	id, remoteID string
	live         bool
}

// state is the rows of every unified table for one connection.
type state map[string][]row

// unionSQL selects (t, id, remote_id, live) of every table of a connection
// from the sources from(table) names.
func unionSQL(connection string, from func(table string) string) string {
	var parts []string
	for _, table := range schemas.Names() {
		parts = append(parts, fmt.Sprintf(`SELECT '%s' AS t, id, remote_id, remote_deleted_at IS NULL AS live FROM %s WHERE connection = '%s'`,
			table, from(table), connection))
	}
	return strings.Join(parts, "\nUNION ALL\n")
}

// catalogState reads a connection's rows through `atslake query` (the catalog's views).
func catalogState(t *testing.T, lake, connection string) state {
	t.Helper()
	st := state{}
	for _, r := range query(t, lake, unionSQL(connection, func(table string) string { return fmt.Sprintf("%q", table) })) {
		st[str(r["t"])] = append(st[str(r["t"])], row{str(r["id"]), str(r["remote_id"]), r["live"] == true})
	}
	return st
}

// globPattern is the documented way to read a table without the catalog.
func globPattern(lake, table string) string {
	return fmt.Sprintf(`read_parquet('%s/*/*.parquet', hive_partitioning=true, hive_types={'connection': VARCHAR}, union_by_name=true)`,
		filepath.Join(lake, table))
}

// globState reads a connection's rows straight from the Parquet files with
// DuckDB's read_parquet glob (what a BI tool without our catalog sees).
func globState(t *testing.T, lake, connection string) state {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(unionSQL(connection, func(table string) string { return globPattern(lake, table) }))
	if err != nil {
		t.Fatalf("read_parquet over %s: %v", lake, err)
	}
	defer rows.Close()
	st := state{}
	for rows.Next() {
		var table, id, rid string
		var live bool
		if err := rows.Scan(&table, &id, &rid, &live); err != nil {
			t.Fatal(err)
		}
		st[table] = append(st[table], row{id, rid, live})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return st
}

// liveIDs returns the sorted live remote ids of a table.
func (s state) liveIDs(table string) []string {
	var out []string
	for _, r := range s[table] {
		if r.live {
			out = append(out, r.remoteID)
		}
	}
	slices.Sort(out)
	return out
}

// problems lists how s differs from the truth: duplicate ids, ids that are
// not transform.ID of their remote id, live remote ids other than the
// truth's, rows in a table the connector does not fill.
func (s state) problems(connection string, tr truth) []string {
	var out []string
	for table, rows := range s {
		seen := map[string]bool{}
		for _, r := range rows {
			if seen[r.id] {
				out = append(out, fmt.Sprintf("%s: duplicate id %s (remote_id %q)", table, r.id, r.remoteID))
			}
			seen[r.id] = true
			if want := transform.ID(connection, table, r.remoteID); r.id != want {
				out = append(out, fmt.Sprintf("%s: id %s of remote_id %q, want %s", table, r.id, r.remoteID, want))
			}
		}
		if _, ok := tr.Tables[table]; !ok && len(rows) > 0 {
			out = append(out, fmt.Sprintf("%s: %d rows in a table the truth does not name", table, len(rows)))
		}
	}
	for table, want := range tr.Tables {
		got := s.liveIDs(table)
		if !slices.Equal(got, want) {
			out = append(out, fmt.Sprintf("%s: %d live rows, truth %d; missing %v; extra %v",
				table, len(got), len(want), head(minus(want, got)), head(minus(got, want))))
		}
	}
	slices.Sort(out)
	return out
}

// equalsTruth fails the test when s differs from the truth.
func (s state) equalsTruth(t *testing.T, what, connection string, tr truth) {
	t.Helper()
	if p := s.problems(connection, tr); len(p) > 0 {
		t.Errorf("%s differs from the truth at epoch %d:\n  %s", what, tr.Epoch, strings.Join(p, "\n  "))
	}
}

func minus(a, b []string) []string {
	in := make(map[string]bool, len(b))
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
	if len(s) > 4 {
		return append(s[:4:4], fmt.Sprintf("... (%d more)", len(s)-4))
	}
	return s
}

// checkLake checks a lake after a successful run: the catalog's views and
// the files read with read_parquet both equal the truth, and no temporary
// file or unfinished commit is left.
func checkLake(t *testing.T, lake, connection string, tr truth) {
	t.Helper()
	catalogState(t, lake, connection).equalsTruth(t, "the catalog", connection, tr)
	globState(t, lake, connection).equalsTruth(t, "read_parquet over the files", connection, tr)
	if left := leftovers(t, lake, connection); len(left) > 0 {
		t.Errorf("left behind after a successful run: %v", left)
	}
}

// isTemp reports whether a file name is one of the lake's temporary names.
func isTemp(name string) bool { return strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".tmp") }

// leftovers lists temporary files in the lake's data, history and run
// folders, a commit journal or run folders of the connection, and files a
// read_parquet glob would pick up that are not Parquet files of the lake.
func leftovers(t *testing.T, lake, connection string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(lake, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(lake, path)
		top, _, _ := strings.Cut(rel, string(filepath.Separator))
		switch {
		case d.IsDir():
			if top == "_locks" {
				return filepath.SkipDir
			}
			if top == "_state" && strings.HasPrefix(d.Name(), "tmp-") {
				out = append(out, rel)
			}
		case top == "_state":
			if d.Name() == "commit.json" || isTemp(d.Name()) {
				out = append(out, rel)
			}
		case filepath.Dir(rel) == ".":
			// The catalog and its temporaries (never *.parquet): no glob reads them.
		case isTemp(d.Name()):
			out = append(out, rel)
		case strings.HasSuffix(d.Name(), ".parquet"):
		default:
			out = append(out, rel+" (not a Parquet file)")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// lastRun returns the latest runs row of a connection.
type runRow struct {
	status, mode, errText      string
	requests, retries, skipped int64
}

func runsOf(t *testing.T, lake, connection string) []runRow {
	t.Helper()
	var out []runRow
	for _, r := range query(t, lake, fmt.Sprintf(`SELECT status, mode, coalesce(error, '') AS error, requests, retries, skipped
		FROM runs WHERE connection = '%s' ORDER BY started_at`, connection)) {
		out = append(out, runRow{status: str(r["status"]), mode: str(r["mode"]), errText: str(r["error"]),
			requests: num(r["requests"]), retries: num(r["retries"]), skipped: num(r["skipped"])})
	}
	return out
}

func lastRun(t *testing.T, lake, connection string) runRow {
	t.Helper()
	runs := runsOf(t, lake, connection)
	if len(runs) == 0 {
		t.Fatalf("no run of %s recorded", connection)
	}
	return runs[len(runs)-1]
}

// exists reports whether path exists.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
