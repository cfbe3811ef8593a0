package phenom

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/extract"
	phenomx "github.com/atslake/atslake/extract/phenom"
	sandbox "github.com/atslake/atslake/sandbox/phenom"
)

type discard struct{}

func (discard) Emit(context.Context, string, arrow.RecordBatch) error { return nil }

// BenchmarkMap maps a sandbox extraction of 10,000 candidates (fetched once,
// outside the timer): go test -bench Map -run XXX ./transform/phenom
func BenchmarkMap(b *testing.B) {
	cfg := sandbox.DefaultConfig()
	cfg.Scale = 10000
	s, err := sandbox.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(s)
	defer hs.Close()
	ex, err := phenomx.New(phenomx.Config{BaseURL: hs.URL, TokenURL: hs.URL,
		ClientID: sandbox.DefaultClientID, ClientSecret: sandbox.DefaultClientSecret})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var recs []arrow.RecordBatch
	docs := 0
	for rec, err := range ex.Extract(ctx, extract.Request{Alloc: memory.DefaultAllocator}) {
		if err != nil {
			b.Fatal(err)
		}
		recs = append(recs, rec)
		docs += int(rec.NumRows())
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	b.ResetTimer()
	for range b.N {
		m := New("bench")
		for _, r := range recs {
			if err := m.Map(ctx, r, discard{}, &skipRecorder{}); err != nil {
				b.Fatal(err)
			}
		}
		if err := m.Finish(ctx, discard{}, &skipRecorder{}); err != nil {
			b.Fatal(err)
		}
		m.Release()
	}
	b.ReportMetric(float64(docs*b.N)/b.Elapsed().Seconds(), "docs/s")
}
