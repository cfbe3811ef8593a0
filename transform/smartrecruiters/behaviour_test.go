package smartrecruiters

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/extract"
)

var errSinkFull = errors.New("sink full")

type failingEmitter struct{ after, n int }

func (f *failingEmitter) Emit(context.Context, string, arrow.RecordBatch) error {
	f.n++
	if f.n > f.after {
		return errSinkFull
	}
	return nil
}

type discard struct{ rows int64 }

func (d *discard) Emit(_ context.Context, _ string, rec arrow.RecordBatch) error {
	d.rows += rec.NumRows()
	return nil
}

func mapAll(ctx context.Context, t testing.TB, m *Mapper, recs []arrow.RecordBatch, out *discard) error {
	for _, rec := range recs {
		if err := m.Map(ctx, rec, out, nil); err != nil {
			return err
		}
	}
	return nil
}

func TestMapEmitErrorEndsRun(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	recs := records(mem, synthDocs(20), 1000)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	m := New(testConn, WithAllocator(mem), WithBatchRows(1))
	defer m.Release()
	err := m.Map(context.Background(), recs[0], &failingEmitter{after: 3}, nil)
	if !errors.Is(err, errSinkFull) {
		t.Fatalf("Map error = %v, want the emitter's error", err)
	}
	m2 := New(testConn, WithAllocator(mem))
	defer m2.Release()
	if err := m2.Map(context.Background(), recs[0], &discard{}, nil); err != nil {
		t.Fatal(err)
	}
	if err := m2.Finish(context.Background(), &failingEmitter{}, nil); !errors.Is(err, errSinkFull) {
		t.Fatalf("Finish error = %v, want the emitter's error", err)
	}
}

func TestMapContextAndLifecycle(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	recs := records(mem, synthDocs(5), 1000)
	defer recs[0].Release()
	m := New(testConn, WithAllocator(mem))
	defer m.Release()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := m.Map(ctx, recs[0], &discard{}, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("Map with a canceled context = %v", err)
	}
	if err := m.Finish(context.Background(), &discard{}, nil); err != nil {
		t.Fatal(err)
	}
	if err := m.Map(context.Background(), recs[0], &discard{}, nil); err == nil {
		t.Fatal("Map after Finish did not fail")
	}
	if err := m.Finish(context.Background(), &discard{}, nil); err != nil {
		t.Fatalf("second Finish: %v", err)
	}
}

// TestMemoryFlat: the mapper's own state does not grow with candidates and applications.
func TestMemoryFlat(t *testing.T) {
	t.Parallel()
	sizes := func(n int) [6]int {
		recs := records(memory.DefaultAllocator, synthDocs(n), 500)
		m := New(testConn)
		defer m.Release()
		if err := mapAll(context.Background(), t, m, recs, &discard{}); err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			r.Release()
		}
		return [6]int{len(m.tags), len(m.stages.appStages), len(m.qids), len(m.jobRoles), len(m.multiSelect), len(m.questions)}
	}
	small, large := sizes(40), sizes(1000)
	if small != large {
		t.Fatalf("state sizes grow with candidates: %v at 40, %v at 1000", small, large)
	}
}

// BenchmarkMapCandidates maps candidate and application documents (the bulk of
// a run) and reports documents per second and allocations per document.
func BenchmarkMapCandidates(b *testing.B) {
	docs := synthDocs(1000)
	var head, body []extract.Doc
	for _, d := range docs {
		if d.Kind == "candidate" || d.Kind == "application" {
			body = append(body, d)
		} else {
			head = append(head, d)
		}
	}
	headRecs := records(memory.DefaultAllocator, head, 1<<20)
	recs := records(memory.DefaultAllocator, body, 1<<20)
	m := New("bench")
	defer m.Release()
	out := &discard{}
	if err := mapAll(context.Background(), b, m, headRecs, out); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	start := time.Now()
	for b.Loop() {
		if err := mapAll(context.Background(), b, m, recs, out); err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&ms1)
	n := float64(len(body)) * float64(b.N)
	b.ReportMetric(n/elapsed.Seconds(), "docs/s")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/n, "allocs/doc")
}
