package bench

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"
)

// benchDump extracts the relaxed sandboxes at -bench.scale once per benchmark.
func benchDump(b *testing.B) *dump {
	b.Helper()
	ctx := context.Background()
	sb, err := startSandboxes(ctx, *benchScale, 0, SmartRecruiters, Phenom)
	if err != nil {
		b.Fatal(err)
	}
	defer sb.stop()
	d, err := dumpSources(ctx, sb.urls, filepath.Join(b.TempDir(), "dump"))
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	return d
}

// BenchmarkTransformLoad is our side of figure 2: the dumped documents
// through the mappers and the loader into a fresh lake.
func BenchmarkTransformLoad(b *testing.B) {
	d := benchDump(b)
	var rows int64
	for b.Loop() {
		n, err := transformLoad(context.Background(), d, filepath.Join(b.TempDir(), "lake"), []string{SmartRecruiters, Phenom})
		if err != nil {
			b.Fatal(err)
		}
		rows += n
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkDuckDBConvert is DuckDB's side of figure 2.
func BenchmarkDuckDBConvert(b *testing.B) {
	d := benchDump(b)
	for b.Loop() {
		if _, err := duckConvert(context.Background(), d, filepath.Join(b.TempDir(), "duck")); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoader and BenchmarkPqarrow are figure 3: the same captured Arrow
// batches written by our loader and by pqarrow.
func BenchmarkLoader(b *testing.B) { benchWriter(b, writeLoader) }

// BenchmarkPqarrow is pqarrow's side of figure 3.
func BenchmarkPqarrow(b *testing.B) { benchWriter(b, writePqarrow) }

func benchWriter(b *testing.B, write func(context.Context, batches, string) (int64, error)) {
	d := benchDump(b)
	bt, err := captureBatches(context.Background(), d, []string{SmartRecruiters, Phenom})
	if err != nil {
		b.Fatal(err)
	}
	defer bt.release()
	runtime.GC()
	var n int64
	for b.Loop() {
		if n, err = write(context.Background(), bt, filepath.Join(b.TempDir(), "out")); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/(1<<20), "MiB")
	b.ReportMetric(float64(bt.rows())*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
