package bench

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/uuid"

	"github.com/atslake/atslake/load"
	"github.com/atslake/atslake/transform"
	phtransform "github.com/atslake/atslake/transform/phenom"
	srtransform "github.com/atslake/atslake/transform/smartrecruiters"
)

// mapper is what the benchmark needs of a connector's mapping.
type mapper interface {
	Map(ctx context.Context, docs arrow.RecordBatch, out transform.Emitter, skip transform.Skipper) error
	Finish(ctx context.Context, out transform.Emitter, skip transform.Skipper) error
	Release()
}

func newMapper(connector string, alloc memory.Allocator) (mapper, error) {
	switch connector {
	case SmartRecruiters:
		return srtransform.New(connID(connector), srtransform.WithAllocator(alloc)), nil
	case Phenom:
		return phtransform.New(connID(connector), phtransform.WithAllocator(alloc)), nil
	}
	return nil, fmt.Errorf("unknown connector %q", connector)
}

// emitFunc adapts a function to transform.Emitter.
type emitFunc func(ctx context.Context, table string, rec arrow.RecordBatch) error

func (f emitFunc) Emit(ctx context.Context, table string, rec arrow.RecordBatch) error {
	return f(ctx, table, rec)
}

// skipCount counts skipped records (a replay of a clean dump skips none).
type skipCount struct {
	mu    sync.Mutex
	n     int
	first error
}

func (s *skipCount) Skip(table, remoteID, endpoint string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	if s.first == nil {
		s.first = fmt.Errorf("%s %s (%s): %w", table, remoteID, endpoint, err)
	}
}

// mapDump replays a connector's dumped documents through its mapper into out.
func mapDump(ctx context.Context, d *dump, connector string, alloc memory.Allocator, out transform.Emitter) error {
	m, err := newMapper(connector, alloc)
	if err != nil {
		return err
	}
	defer m.Release()
	skip := &skipCount{}
	err = d.replay(ctx, connector, alloc, func(rec arrow.RecordBatch) error {
		return m.Map(ctx, rec, out, skip)
	})
	if err == nil {
		err = m.Finish(ctx, out, skip)
	}
	if err == nil && skip.n > 0 {
		err = fmt.Errorf("%d records skipped, first: %w", skip.n, skip.first)
	}
	if err != nil {
		return fmt.Errorf("map %s: %w", connector, err)
	}
	return nil
}

// eachConnector runs f for every connector concurrently and returns the first error.
func eachConnector(connectors []string, f func(connector string) error) error {
	errs := make([]error, len(connectors))
	var wg sync.WaitGroup
	for i, c := range connectors {
		wg.Go(func() { errs[i] = f(c) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// loadRun is one connection's run of the loader into lake.
type loadRun struct {
	run     *load.Run
	started time.Time
	conn    string
}

func beginRun(ctx context.Context, lake *load.Lake, connector string) (*loadRun, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	started := time.Now().UTC()
	run, err := lake.Begin(ctx, connID(connector), id.String(), started)
	if err != nil {
		return nil, err
	}
	return &loadRun{run: run, started: started, conn: connID(connector)}, nil
}

func (r *loadRun) emit(ctx context.Context, table string, rec arrow.RecordBatch) error {
	return r.run.Write(ctx, table, rec)
}

// commit commits the run (a full run of a fresh lake: nothing to delete) and
// returns the rows it wrote.
func (r *loadRun) commit(ctx context.Context, connector string) (int64, error) {
	stats, err := r.run.Commit(ctx, nil, load.RunRecord{Connector: connector, Mode: "full", Status: "succeeded",
		StartedAt: r.started, FinishedAt: time.Now().UTC()})
	if err != nil {
		return 0, err
	}
	var rows int64
	for _, s := range stats {
		rows += s.RowsSeen
	}
	return rows, nil
}

// transformLoad replays the dump through the mappers and the loader into a
// fresh lake, every connector concurrently (as a sync runs them), and
// returns the rows committed.
func transformLoad(ctx context.Context, d *dump, lakeDir string, connectors []string) (int64, error) {
	lake, err := load.Open(lakeDir)
	if err != nil {
		return 0, err
	}
	var mu sync.Mutex
	var rows int64
	err = eachConnector(connectors, func(c string) error {
		r, err := beginRun(ctx, lake, c)
		if err != nil {
			return err
		}
		if err := mapDump(ctx, d, c, memory.DefaultAllocator, emitFunc(r.emit)); err != nil {
			_ = r.run.Abort()
			return err
		}
		n, err := r.commit(ctx, c)
		if err != nil {
			return fmt.Errorf("load %s: %w", c, err)
		}
		mu.Lock()
		rows += n
		mu.Unlock()
		return nil
	})
	return rows, err
}

// batches are the Arrow record batches a mapper emitted, per connector and table.
type batches map[string]map[string][]arrow.RecordBatch

func (b batches) release() {
	for _, tables := range b {
		for _, recs := range tables {
			for _, r := range recs {
				r.Release()
			}
		}
	}
}

// rows counts the rows held.
func (b batches) rows() int64 {
	var n int64
	for _, tables := range b {
		for _, recs := range tables {
			for _, r := range recs {
				n += r.NumRows()
			}
		}
	}
	return n
}

// captureBatches replays the dump through the mappers and keeps every batch
// they emit.
func captureBatches(ctx context.Context, d *dump, connectors []string) (batches, error) {
	out := batches{}
	var mu sync.Mutex
	err := eachConnector(connectors, func(c string) error {
		tables := map[string][]arrow.RecordBatch{}
		err := mapDump(ctx, d, c, memory.DefaultAllocator, emitFunc(func(_ context.Context, table string, rec arrow.RecordBatch) error {
			rec.Retain()
			tables[table] = append(tables[table], rec)
			return nil
		}))
		mu.Lock()
		out[c] = tables
		mu.Unlock()
		return err
	})
	if err != nil {
		out.release()
		return nil, err
	}
	return out, nil
}
