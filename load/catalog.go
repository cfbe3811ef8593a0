package load

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/atslake/atslake/schemas"
)

// catalogHashFile keeps the hash of the view definitions the catalog was built with.
const catalogHashFile = "catalog.sha256"

// quoteIdent quotes a SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// quoteString quotes a SQL string literal.
func quoteString(s string) string { return `'` + strings.ReplaceAll(s, `'`, `''`) + `'` }

// readParquet is the lake's documented way to read a set of files.
func readParquet(glob string) string {
	return "read_parquet(" + quoteString(glob) + ", hive_partitioning=true, hive_types={'connection': VARCHAR}, union_by_name=true)"
}

func columnList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quoteIdent(n)
	}
	return strings.Join(q, ", ")
}

// CatalogViews returns the statements that create the catalog's views for
// the lake in lakeDir (absolute paths, explicit column lists).
func CatalogViews(lakeDir string) ([]string, error) {
	abs, err := filepath.Abs(lakeDir)
	if err != nil {
		return nil, err
	}
	abs = filepath.ToSlash(abs)
	notSchema := " WHERE \"connection\" <> " + quoteString(schemaPartition)
	var out []string
	for _, t := range schemas.All() {
		names := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			names[i] = c.Name
		}
		cols := columnList(names)
		out = append(out,
			"CREATE VIEW "+quoteIdent(t.Name)+" AS SELECT "+cols+", \"connection\" FROM "+
				readParquet(abs+"/"+t.Name+"/*/*.parquet")+notSchema,
			"CREATE VIEW "+quoteIdent(t.Name+"_history")+" AS SELECT "+cols+", \"_valid_from\", "+
				"lead(\"_valid_from\") OVER (PARTITION BY \"connection\", \"id\" ORDER BY \"_valid_from\") AS \"_valid_to\", \"connection\" FROM "+
				readParquet(abs+"/"+historyDir+"/"+t.Name+"/*/*.parquet")+notSchema,
		)
	}
	out = append(out,
		"CREATE VIEW \"runs\" AS SELECT "+columnList([]string{"run_id", "connection", "connector", "mode", "status",
			"started_at", "finished_at", "requests", "retries", "skipped", "error"})+" FROM "+
			readParquet(abs+"/"+runsDir+"/*/runs-*.parquet")+notSchema,
		"CREATE VIEW \"run_tables\" AS SELECT "+columnList([]string{"run_id", "connection", "table_name",
			"rows_seen", "inserted", "updated", "deleted"})+" FROM "+
			readParquet(abs+"/"+runsDir+"/*/run_tables-*.parquet")+notSchema,
	)
	var parts []string
	for _, t := range schemas.All() {
		for _, c := range t.Relations() {
			parts = append(parts, fmt.Sprintf("SELECT c.\"connection\", %s AS \"table_name\", %s AS \"column_name\", %s AS \"target_table\", "+
				"coalesce(d.n, 0)::BIGINT AS \"dangling\" FROM conns c LEFT JOIN ("+
				"SELECT s.\"connection\", count(*) AS n FROM %s s ANTI JOIN %s t ON t.\"connection\" = s.\"connection\" AND t.\"id\" = s.%s "+
				"WHERE s.%s IS NOT NULL GROUP BY s.\"connection\") d ON d.\"connection\" = c.\"connection\"",
				quoteString(t.Name), quoteString(c.Name), quoteString(c.Ref),
				quoteIdent(t.Name), quoteIdent(c.Ref), quoteIdent(c.Name), quoteIdent(c.Name)))
		}
	}
	out = append(out, "CREATE VIEW \"dangling_relations\" AS WITH conns AS MATERIALIZED (SELECT DISTINCT \"connection\" FROM \"runs\") "+
		strings.Join(parts, " UNION ALL ")+" ORDER BY 1, 2, 3")
	return out, nil
}

// catalogHash is the hash of the catalog's definition.
func catalogHash(views []string) string {
	h := sha256.New()
	for _, v := range views {
		h.Write([]byte(v))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// BuildCatalog (re)writes <lake>/catalog.duckdb: it builds a new database
// file holding only the views under a temporary name and renames it over the
// old one, so readers holding the old file open are not disturbed.
func BuildCatalog(ctx context.Context, lakeDir string) error {
	abs, err := filepath.Abs(lakeDir)
	if err != nil {
		return fmt.Errorf("build catalog of %s: %w", lakeDir, err)
	}
	if err := os.MkdirAll(filepath.Join(abs, stateDir), 0o755); err != nil {
		return fmt.Errorf("build catalog of %s: %w", abs, err)
	}
	if err := ensureSchemaFiles(abs); err != nil {
		return fmt.Errorf("build catalog of %s: %w", abs, err)
	}
	views, err := CatalogViews(abs)
	if err != nil {
		return fmt.Errorf("build catalog of %s: %w", abs, err)
	}
	final := filepath.Join(abs, catalogFile)
	removeOldTemps(abs, time.Hour) // catalogs half-built by processes that died
	tmp := tempName(final, randomSuffix())
	defer os.Remove(tmp + ".wal")
	if err := createCatalog(ctx, tmp, views); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("build catalog of %s: %w", abs, err)
	}
	if err := syncFile(tmp); err == nil {
		err = os.Rename(tmp, final)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("build catalog of %s: %w", abs, err)
	}
	if err := syncDir(abs); err != nil {
		return fmt.Errorf("build catalog of %s: %w", abs, err)
	}
	if err := writeFileAtomic(filepath.Join(abs, stateDir, catalogHashFile), []byte(catalogHash(views)+"\n")); err != nil {
		return fmt.Errorf("build catalog of %s: %w", abs, err)
	}
	return nil
}

func createCatalog(ctx context.Context, path string, views []string) (err error) {
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := db.Close(); err == nil {
			err = cerr
		}
	}()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, v := range views {
		if _, err := conn.ExecContext(ctx, v); err != nil {
			name := v
			if i := strings.Index(v, " AS "); i > 0 {
				name = v[:i]
			}
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	_, err = conn.ExecContext(ctx, "CHECKPOINT")
	return err
}

// EnsureCatalog builds the catalog when it is missing or its view
// definitions (which include the lake's absolute path) changed since it was
// built; otherwise it leaves the file alone.
func EnsureCatalog(ctx context.Context, lakeDir string) error {
	abs, err := filepath.Abs(lakeDir)
	if err != nil {
		return fmt.Errorf("ensure catalog of %s: %w", lakeDir, err)
	}
	views, err := CatalogViews(abs)
	if err != nil {
		return fmt.Errorf("ensure catalog of %s: %w", abs, err)
	}
	have, err := os.ReadFile(filepath.Join(abs, stateDir, catalogHashFile))
	if err == nil && strings.TrimSpace(string(have)) == catalogHash(views) {
		if _, err := os.Stat(filepath.Join(abs, catalogFile)); err == nil {
			return nil
		}
	}
	return BuildCatalog(ctx, abs)
}

// OpenCatalog opens <lake>/catalog.duckdb read-only (so any number of
// processes may, while syncs run) with every connection in TimeZone 'UTC'.
// Call EnsureCatalog first when the catalog may be missing or outdated.
func OpenCatalog(ctx context.Context, lakeDir string) (*sql.DB, error) {
	abs, err := filepath.Abs(lakeDir)
	if err != nil {
		return nil, fmt.Errorf("open catalog of %s: %w", lakeDir, err)
	}
	path := filepath.Join(abs, catalogFile)
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("open catalog of %s: no %s (run `atslake catalog --lake %s`)", abs, catalogFile, abs)
		}
		return nil, fmt.Errorf("open catalog of %s: %w", abs, err)
	}
	connector, err := duckdb.NewConnector(path+"?access_mode=READ_ONLY", func(execer driver.ExecerContext) error {
		_, err := execer.ExecContext(context.Background(), "SET TimeZone = 'UTC'", nil)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("open catalog of %s: %w", abs, err)
	}
	db := sql.OpenDB(connector)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open catalog of %s: %w", abs, err)
	}
	return db, nil
}

// writeFileAtomic writes a small file via a temporary file and a rename.
func writeFileAtomic(path string, data []byte) error {
	tmp := tempName(path, randomSuffix())
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(filepath.Dir(path))
}
