package phenom

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/extract"
	phenomx "github.com/atslake/atslake/extract/phenom"
	"github.com/atslake/atslake/schemas"
	"github.com/atslake/atslake/transform"
)

// DefaultLocale is the locale whose item wins when a job comes back once per locale.
const DefaultLocale = "en_US"

// Option configures a Mapper.
type Option func(*Mapper)

// WithLocale sets the preferred locale of jobs returned once per locale
// (default DefaultLocale; "" keeps the default).
func WithLocale(locale string) Option {
	return func(m *Mapper) {
		if locale != "" {
			m.locale = locale
		}
	}
}

// WithAllocator sets the allocator of the emitted records (default memory.DefaultAllocator).
func WithAllocator(a memory.Allocator) Option {
	return func(m *Mapper) {
		if a != nil {
			m.alloc = a
		}
	}
}

// WithBatchRows sets the rows per emitted record (default transform.DefaultBatchRows).
func WithBatchRows(n int) Option { return func(m *Mapper) { m.batchRows = n } }

// Mapper maps the documents of one Phenom extraction to unified rows. Feed
// it every batch in order with Map, then call Finish once and Release.
// Not safe for concurrent use.
type Mapper struct {
	conn      string
	locale    string
	alloc     memory.Allocator
	batchRows int

	jobs        []*jobItem     // de-duplicated jobs in first-seen order
	jobIndex    map[string]int // jobId -> position in jobs
	jobsWritten bool

	best map[string]bestApp // candidate remote id -> application written for it

	builders map[string]*transform.TableBuilder
}

// bestApp identifies the application whose data a candidate row holds.
type bestApp struct {
	updated    arrow.Timestamp
	hasUpdated bool
	appID      string
}

// better reports whether b beats the current best c (see doc.go).
func (b bestApp) better(c bestApp) bool {
	switch {
	case b.hasUpdated != c.hasUpdated:
		return b.hasUpdated
	case b.hasUpdated && b.updated != c.updated:
		return b.updated > c.updated
	}
	return b.appID > c.appID
}

// New returns a Mapper for the given connection id (it enters every lake id).
func New(connection string, opts ...Option) *Mapper {
	m := &Mapper{conn: connection, locale: DefaultLocale, alloc: memory.DefaultAllocator,
		jobIndex: map[string]int{}, best: map[string]bestApp{}, builders: map[string]*transform.TableBuilder{}}
	for _, o := range opts {
		o(m)
	}
	return m
}

// builder returns the (lazily created) builder of table.
func (m *Mapper) builder(table string) *transform.TableBuilder {
	b, ok := m.builders[table]
	if !ok {
		b = transform.NewTableBuilder(m.alloc, m.conn, schemas.MustLookup(table), m.batchRows)
		m.builders[table] = b
	}
	return b
}

// Map maps one batch of documents (extract.DocSchema). Records that cannot
// be mapped are reported to skip; the error is for failures of out or ctx.
func (m *Mapper) Map(ctx context.Context, docs arrow.RecordBatch, out transform.Emitter, skip transform.Skipper) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, d := range extract.Docs(docs) {
		var err error
		switch d.Kind {
		case phenomx.KindJob:
			m.addJob(d, skip)
		case phenomx.KindApplication:
			err = m.mapApplication(ctx, d, out, skip)
		case extract.KindListComplete:
			if d.Key == phenomx.ListJobs && !m.jobsWritten {
				err = m.writeJobs(ctx, out)
			}
		case extract.KindSkipped:
			// counted and logged by the pipeline
		default:
			skip.Skip("", d.Key, "", fmt.Errorf("%w %q", transform.ErrUnknownKind, d.Kind))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Finish writes what is still buffered: the jobs and their derived rows
// when no jobs list-complete marker came, and the last partial batches.
func (m *Mapper) Finish(ctx context.Context, out transform.Emitter, skip transform.Skipper) error {
	if !m.jobsWritten {
		if err := m.writeJobs(ctx, out); err != nil {
			return err
		}
	}
	for _, t := range []string{tableCandidates, tableApplications} {
		if b, ok := m.builders[t]; ok {
			if err := b.FlushTo(ctx, out); err != nil {
				return fmt.Errorf("phenom %s: %w", t, err)
			}
		}
	}
	return nil
}

// Release frees the builders and any rows not emitted.
func (m *Mapper) Release() {
	for t, b := range m.builders {
		b.Release()
		delete(m.builders, t)
	}
	m.jobs, m.jobIndex, m.best = nil, map[string]int{}, map[string]bestApp{}
}

// decodeBody decodes a document body into v (a jobDoc or appDoc).
func decodeBody(doc extract.Doc, v any) error {
	if err := json.Unmarshal(doc.Body, v); err != nil {
		return fmt.Errorf("%w: %v", transform.ErrMalformed, err)
	}
	return nil
}

// Unified table names this mapping fills.
const (
	tableJobs         = "jobs"
	tableUsers        = "users"
	tableRoles        = "roles"
	tableMembers      = "job_hiring_team_members"
	tableAssignments  = "job_user_role_assignments"
	tableCandidates   = "candidates"
	tableApplications = "applications"
)
