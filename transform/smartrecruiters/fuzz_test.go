package smartrecruiters

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/extract"
	"github.com/atslake/atslake/schemas"
)

// FuzzMap replaces the body of one document of the fixture tenant (chosen
// by index) with arbitrary bytes and maps the whole tenant: the mapping
// never panics or leaks, and every record it emits has its table's schema
// and no NULL id or remote_id. A bad document is the Skipper's business.
func FuzzMap(f *testing.F) {
	docs := loadFixture(f, "testdata/tenant.jsonl")
	for i, d := range docs {
		f.Add(uint8(i), d.Body)
	}
	f.Add(uint8(7), []byte(`{"/jobs":{"id":"j"},"/jobs/{jobId}":{"id":7,"title":["x"]},"/jobs/{jobId}/hiring-team":{"content":{}}}`))
	f.Add(uint8(30), []byte(`{"_candidateId":"c","_jobId":"j","/candidates/{id}/jobs/{jobId}":{"id":"a","status":{"x":1},"createdOn":"9999-99-99"}}`))
	f.Add(uint8(20), []byte(`null`))
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer alloc.AssertSize(t, 0)
		i := int(which) % len(docs)
		b := extract.NewBatcher(alloc, 0, 0)
		defer b.Release()
		for j, d := range docs {
			if j == i {
				d.Body = body
			}
			b.Add(d.Kind, d.Key, d.Body)
		}
		rec := b.Flush()
		defer rec.Release()
		m := New("fuzz", WithAllocator(alloc))
		defer m.Release()
		out := fuzzEmitter{t}
		ctx := context.Background()
		if err := m.Map(ctx, rec, out, fuzzSkipper{}); err != nil {
			t.Fatalf("Map: %v", err)
		}
		if err := m.Finish(ctx, out, fuzzSkipper{}); err != nil {
			t.Fatalf("Finish: %v", err)
		}
	})
}

type fuzzEmitter struct{ t *testing.T }

func (e fuzzEmitter) Emit(_ context.Context, table string, rec arrow.RecordBatch) error {
	tbl := schemas.MustLookup(table)
	if !rec.Schema().Equal(tbl.Schema()) {
		e.t.Fatalf("%s: emitted schema differs", table)
	}
	for _, col := range []string{"id", "remote_id"} {
		if rec.Column(tbl.MustCol(col)).NullN() > 0 {
			e.t.Fatalf("%s: NULL %s", table, col)
		}
	}
	return nil
}

type fuzzSkipper struct{}

func (fuzzSkipper) Skip(table, remoteID, endpoint string, err error) {}
