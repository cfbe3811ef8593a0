package load

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/schemas"
)

// filler is ~2 KB of source JSON, the typical size of remote_data.
var filler = strings.Repeat(`{"k":"lorem ipsum dolor sit amet","n":12345},`, 44)

// wideBatch builds n realistic rows of table (jobs or applications) with ids
// first..first+n-1; version changes the data of every row.
func wideBatch(mem memory.Allocator, table string, first, n, version int) arrow.RecordBatch {
	tb := schemas.MustLookup(table)
	b := array.NewRecordBuilder(mem, tb.Schema())
	defer b.Release()
	ts := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for k := first; k < first+n; k++ {
		for i, f := range tb.Schema().Fields() {
			fb := b.Field(i)
			switch {
			case i == schemas.ColID:
				fb.(*array.StringBuilder).Append(fmt.Sprintf("%024d", k))
			case i == schemas.ColChangedAt:
				fb.(*array.TimestampBuilder).Append(0)
			case i == schemas.ColRemoteDeletedAt:
				fb.AppendNull()
			case f.Name == "remote_data":
				fb.(*array.StringBuilder).Append(fmt.Sprintf(`{"/%s/{id}":{"id":"%d","v":%d,"items":[%s{}]}}`, table, k, version, filler))
			case f.Name == "custom_fields":
				fb.(*array.StringBuilder).Append(`{"Cost center":"CC-1234","Remote":true}`)
			default:
				wideValue(fb, f, k, version, ts)
			}
		}
	}
	return b.NewRecordBatch()
}

func wideValue(b array.Builder, f arrow.Field, k, version int, ts time.Time) {
	switch b := b.(type) {
	case *array.StringBuilder:
		b.Append(fmt.Sprintf("%s %d v%d", f.Name, k%97, version))
	case *array.Int64Builder:
		b.Append(int64(k))
	case *array.Float64Builder:
		b.Append(float64(k) * 1.5)
	case *array.BooleanBuilder:
		b.Append(k%2 == 0)
	case *array.TimestampBuilder:
		b.Append(arrow.Timestamp(ts.Add(time.Duration(k) * time.Minute).UnixMicro()))
	case *array.ListBuilder:
		b.Append(true)
		for j := range 2 {
			wideValue(b.ValueBuilder(), f.Type.(*arrow.ListType).ElemField(), k+j, version, ts)
		}
	case *array.StructBuilder:
		b.Append(true)
		for i, cf := range f.Type.(*arrow.StructType).Fields() {
			wideValue(b.FieldBuilder(i), cf, k, version, ts)
		}
	}
}

// wideBatches builds n rows in batches of 1000.
func wideBatches(mem memory.Allocator, table string, n, version int) []arrow.RecordBatch {
	var out []arrow.RecordBatch
	for first := 0; first < n; first += 1000 {
		out = append(out, wideBatch(mem, table, first, min(1000, n-first), version))
	}
	return out
}

// benchRun writes recs in one run of conn and commits it.
func benchRun(b *testing.B, l *Lake, table, runID string, at time.Time, recs []arrow.RecordBatch) []TableStats {
	ctx := context.Background()
	r, err := l.Begin(ctx, "acme", runID, at)
	if err != nil {
		b.Fatal(err)
	}
	for _, rec := range recs {
		if err := r.Write(ctx, table, rec); err != nil {
			b.Fatal(err)
		}
	}
	stats, err := r.Commit(ctx, CoverTables(table), RunRecord{})
	if err != nil {
		b.Fatal(err)
	}
	return stats
}

// BenchmarkWriteJobs measures a first run of 20,000 wide job rows (~2 KB
// of remote_data each): Write plus the Commit that shreds, sorts and
// writes them.
func BenchmarkWriteJobs(b *testing.B) {
	withSync(b)
	const n = 20_000
	mem := memory.NewGoAllocator()
	recs := wideBatches(mem, "jobs", n, 0)
	defer release(recs...)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		l, err := Open(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		benchRun(b, l, "jobs", fmt.Sprintf("run%d", i), at(1), recs)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkCommit measures runs of 20,000 wide application rows over an
// existing state: unchanged (nothing rewritten) and with every row changed.
func BenchmarkCommit(b *testing.B) {
	withSync(b)
	const n = 20_000
	mem := memory.NewGoAllocator()
	v0, v1 := wideBatches(mem, "applications", n, 0), wideBatches(mem, "applications", n, 1)
	defer release(v0...)
	defer release(v1...)
	for _, tc := range []struct {
		name string
		recs func(i int) []arrow.RecordBatch
	}{
		{"unchanged", func(int) []arrow.RecordBatch { return v0 }},
		{"all-updated", func(i int) []arrow.RecordBatch { return [][]arrow.RecordBatch{v1, v0}[i%2] }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			l, err := Open(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			benchRun(b, l, "applications", "run0", at(0), v0)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				stats := benchRun(b, l, "applications", fmt.Sprintf("run%d", i+1), at(i+1), tc.recs(i))
				if s := statsOf(stats, "applications"); s.RowsSeen != n {
					b.Fatalf("stats %+v", s)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkPeakHeap reports the peak Go heap (objects, garbage included)
// and the peak live heap (as of each GC) of a first run of 20k and of 200k
// wide application rows, generated batch by batch (so the source data is
// never all in memory): beyond the 64 MiB buffer budget the peak stays flat.
func BenchmarkPeakHeap(b *testing.B) {
	withSync(b)
	for _, n := range []int{20_000, 200_000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			mem := memory.NewGoAllocator()
			var peakHeap, peakLive atomic.Uint64
			for i := 0; b.Loop(); i++ {
				l, err := Open(b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				stop := make(chan struct{})
				var wg sync.WaitGroup
				wg.Add(1)
				go func() {
					defer wg.Done()
					s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
					for {
						metrics.Read(s)
						if v := s[0].Value.Uint64(); v > peakHeap.Load() {
							peakHeap.Store(v)
						}
						if v := s[1].Value.Uint64(); v > peakLive.Load() {
							peakLive.Store(v)
						}
						select {
						case <-stop:
							return
						case <-time.After(2 * time.Millisecond):
						}
					}
				}()
				ctx := context.Background()
				r, err := l.Begin(ctx, "acme", fmt.Sprintf("run%d", i), at(1))
				if err != nil {
					b.Fatal(err)
				}
				for first := 0; first < n; first += 1000 {
					rec := wideBatch(mem, "applications", first, 1000, 0)
					if err := r.Write(ctx, "applications", rec); err != nil {
						b.Fatal(err)
					}
					rec.Release()
				}
				if _, err := r.Commit(ctx, nil, RunRecord{}); err != nil {
					b.Fatal(err)
				}
				close(stop)
				wg.Wait()
			}
			b.ReportMetric(float64(peakHeap.Load())/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(peakLive.Load())/(1<<20), "peak-live-MiB")
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
