package bench

import (
	"context"
	"flag"
	"path/filepath"
	"testing"
	"time"
)

var benchScale = flag.Int("bench.scale", 2000, "sandbox scale of the benchmarks")

// BenchmarkSync is figure 1 in process: a full sync of both relaxed
// sandboxes (served by this process too) into a fresh lake. Run it with
// -cpuprofile to profile the end-to-end path.
func BenchmarkSync(b *testing.B) {
	benchSync(b, *benchScale, SmartRecruiters, Phenom)
}

// BenchmarkSyncSmartRecruiters syncs the SmartRecruiters sandbox alone.
func BenchmarkSyncSmartRecruiters(b *testing.B) {
	benchSync(b, *benchScale, SmartRecruiters)
}

func benchSync(b *testing.B, scale int, connectors ...string) {
	ctx := context.Background()
	sb, err := startSandboxes(ctx, scale, 0, connectors...)
	if err != nil {
		b.Fatal(err)
	}
	defer sb.stop()
	var rows int64
	var secs float64
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		res, err := childSync(ctx, filepath.Join(b.TempDir(), "lake"), scale, sb.urls, false)
		if err != nil {
			b.Fatal(err)
		}
		secs += time.Since(start).Seconds()
		rows += res.Rows
		b.ReportMetric(float64(res.PeakHeapBytes)/(1<<20), "peak-heap-MiB")
	}
	b.ReportMetric(float64(rows)/secs, "records/s")
}
