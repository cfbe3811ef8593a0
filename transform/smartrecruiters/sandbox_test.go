package smartrecruiters

import (
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/extract"
	srx "github.com/atslake/atslake/extract/smartrecruiters"
	sandbox "github.com/atslake/atslake/sandbox/smartrecruiters"
	"github.com/atslake/atslake/schemas"
)

// TestSandboxEndToEnd extracts the SmartRecruiters sandbox over HTTP with the
// real extractor, maps it, and compares the remote ids of every table with the
// sandbox's truth (its data carries every quirk of sandbox.md at every scale).
func TestSandboxEndToEnd(t *testing.T) {
	t.Parallel()
	for _, epoch := range []int{0, 2} {
		t.Run(fmt.Sprint("epoch", epoch), func(t *testing.T) {
			cfg := sandbox.DefaultConfig()
			cfg.Scale, cfg.Epoch, cfg.RateLimit = 200, epoch, 0
			s, err := sandbox.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			hs := httptest.NewServer(s)
			defer hs.Close()
			xcfg := srx.DefaultConfig()
			xcfg.BaseURL, xcfg.Token, xcfg.RateLimit, xcfg.BatchRows = hs.URL, cfg.Token, 0, 61
			ex, err := srx.New(xcfg)
			if err != nil {
				t.Fatal(err)
			}

			alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer alloc.AssertSize(t, 0)
			out := newSink(t)
			m := New("sandbox-sr", WithAllocator(alloc), WithBatchRows(100))
			defer m.Release()
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			for rec, err := range ex.Extract(ctx, extract.Request{Mode: extract.Full, Alloc: alloc}) {
				if err != nil {
					t.Fatal(err)
				}
				err = m.Map(ctx, rec, out, out)
				rec.Release()
				if err != nil {
					t.Fatal(err)
				}
			}
			if err := m.Finish(ctx, out, out); err != nil {
				t.Fatal(err)
			}
			if len(out.skips) > 0 {
				t.Errorf("skipped %d records, first %s", len(out.skips), out.skips[0])
			}
			truth := s.Truth()
			for _, table := range schemas.Names() {
				want, ok := truth.Tables[table]
				if !ok {
					t.Errorf("truth has no table %s", table)
					continue
				}
				var got []string
				for _, line := range out.rows[table] {
					got = append(got, field(t, line, "remote_id"))
				}
				slices.Sort(got)
				if len(got) != len(slices.Compact(slices.Clone(got))) {
					t.Errorf("%s: a remote id is emitted twice", table)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: %d remote ids, truth %d; first difference: %s", table, len(got), len(want), firstDiff(got, want))
				}
			}
		})
	}
}

func firstDiff(got, want []string) string {
	for i := 0; i < len(got) || i < len(want); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			return fmt.Sprintf("at %d got %q, truth %q", i, g, w)
		}
	}
	return "none"
}
