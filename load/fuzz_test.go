package load_test

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/atslake/atslake/load"
	"github.com/atslake/atslake/pipeline"
)

// FuzzValidConnection: a connection id becomes a Hive partition folder
// (<table>/connection=<id>) and a lock file name, so what ValidConnection
// accepts must be one safe path element that DuckDB reads as text, and the
// configuration must accept exactly the same ids.
func FuzzValidConnection(f *testing.F) {
	for _, s := range []string{"acme-sr", "a", "a_b-9", "_schema", "A", "1abc", "acme/../x", "..", "a.b", "a b", "é",
		"a\x00", "a\n", strings.Repeat("a", 63), strings.Repeat("a", 64), "2024-01-01", "null", "nan", "a%2Fb", "a=b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		ok := load.ValidConnection(id)
		if ok != pipeline.ValidConnectionID(id) {
			t.Fatalf("load says %v, the configuration %v for %q", ok, !ok, id)
		}
		if !ok {
			return
		}
		if len(id) == 0 || len(id) > 63 || !('a' <= id[0] && id[0] <= 'z') {
			t.Fatalf("%q accepted", id)
		}
		for _, r := range id {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') || unicode.IsSpace(r) {
				t.Fatalf("%q accepted with %q", id, r)
			}
		}
		// One path element under the table folder, never the schema partition.
		dir := filepath.Join("/lake", "jobs", "connection="+id)
		if filepath.Dir(dir) != "/lake/jobs" || filepath.Base(dir) != "connection="+id || id == "_schema" {
			t.Fatalf("%q escapes its folder: %s", id, dir)
		}
		// Hive partition value: key=value split at the first '=' gives it back.
		if k, v, _ := strings.Cut(filepath.Base(dir), "="); k != "connection" || v != id {
			t.Fatalf("partition %q reads back as %s=%s", filepath.Base(dir), k, v)
		}
	})
}
