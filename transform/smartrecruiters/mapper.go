package smartrecruiters

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/extract"
	sr "github.com/atslake/atslake/extract/smartrecruiters"
	"github.com/atslake/atslake/schemas"
	"github.com/atslake/atslake/transform"
)

// DefaultAppURL is the default base of remote_url links into the SmartRecruiters app.
const DefaultAppURL = "https://www.smartrecruiters.com"

// Option configures a Mapper.
type Option func(*Mapper)

// WithAppURL sets the base of remote_url links (config app_url; default DefaultAppURL).
func WithAppURL(u string) Option { return func(m *Mapper) { m.appURL = u } }

// WithAllocator sets the allocator of the emitted records (default memory.DefaultAllocator).
func WithAllocator(a memory.Allocator) Option { return func(m *Mapper) { m.alloc = a } }

// WithBatchRows sets the rows per emitted record (default transform.DefaultBatchRows).
func WithBatchRows(n int) Option { return func(m *Mapper) { m.batchRows = n } }

// Tables, in the order Finish flushes them.
const (
	tUsers = iota
	tRoles
	tUserRoles
	tRejectionReasons
	tJobs
	tJobPostings
	tJobHiringTeamMembers
	tJobUserRoleAssignments
	tJobStages
	tScreeningQuestions
	tJobScreeningQuestions
	tCandidates
	tTags
	tCandidateTags
	tApplications
	tApplicationStatusHistory
	tOffers
	tInterviews
	tInterviewingTeamMembers
	tApplicationStages
	numTables
)

var tableNames = [numTables]string{
	"users", "roles", "user_roles", "rejection_reasons", "jobs", "job_postings",
	"job_hiring_team_members", "job_user_role_assignments", "job_stages",
	"screening_questions", "job_screening_questions", "candidates", "tags",
	"candidate_tags", "applications", "application_status_history", "offers",
	"interviews", "interviewing_team_members", "application_stages",
}

// Mapper maps SmartRecruiters source documents (extract/smartrecruiters) to
// the unified tables. Feed every record of one run to Map in order, then call
// Finish once, then Release. Its memory stays flat in the number of
// candidates and applications: besides the document at hand it keeps only the
// hiring processes, the stages, tags and JOB roles seen, the question ids of
// the postings, and a job-ad -> job map. Not safe for concurrent use.
type Mapper struct {
	conn      string
	appURL    string
	alloc     memory.Allocator
	batchRows int
	b         [numTables]*transform.TableBuilder

	stages      *stages
	tags        map[string]struct{}  // tag remote ids emitted
	jobRoles    map[string]struct{}  // J3 roles emitted as JOB roles
	ads         map[string]adRef     // J4 job ad id -> its job
	jsqLinked   map[string]struct{}  // jobs whose job_screening_questions are emitted
	jsqPending  map[string][]jsqLink // job id -> questions of its first non-default-ad posting
	multiSelect map[string]struct{}  // question ids whose P2 type is MULTI_SELECT
	questions   map[string]struct{}  // screening question ids emitted
	qids        map[string]string    // question id -> lake id (cache)
	seeds       *seeded              // from the lake, for incremental runs (seed.go); nil: none
	finished    bool

	sc scratch
}

type adRef struct {
	jobID     string
	isDefault bool
}

type jsqLink struct {
	questionID string
	index      int
	required   bool
}

// scratch holds buffers reused from document to document.
type scratch struct {
	obj      transform.Object
	obj2     transform.Object
	js       []byte // JSON text being built
	js2      []byte
	rd       []byte // remote_data
	key      []byte // composite remote ids
	text     []byte
	fields   []transform.IntegrationField
	spans    []span // of fieldBuf
	fieldBuf []byte
	values   []idLabel
	ansSpans []span // of ansBuf
	ansBuf   []byte
	answers  []transform.Answer
	socials  []transform.Social
	strs     []string
	strs2    []string
	raws     [][]byte
	raws2    [][]byte
	members  []rawMember
}

type rawMember struct {
	key   string
	value []byte
}

type span struct {
	start, end int
	ok         bool
}

// New returns a Mapper for the connection id (it enters every lake id).
func New(connection string, opts ...Option) *Mapper {
	m := &Mapper{conn: connection, appURL: DefaultAppURL, alloc: memory.DefaultAllocator,
		stages: newStages(), tags: map[string]struct{}{}, jobRoles: map[string]struct{}{},
		ads: map[string]adRef{}, jsqLinked: map[string]struct{}{}, jsqPending: map[string][]jsqLink{},
		multiSelect: map[string]struct{}{}, questions: map[string]struct{}{}, qids: map[string]string{}}
	for _, o := range opts {
		o(m)
	}
	for i, name := range tableNames {
		m.b[i] = transform.NewTableBuilder(m.alloc, connection, schemas.MustLookup(name), m.batchRows)
	}
	return m
}

// Release frees the builders and any rows not emitted.
func (m *Mapper) Release() {
	for _, b := range m.b {
		b.Release()
	}
}

// docError is a document (or item) that cannot be mapped.
type docError struct {
	table, remoteID, endpoint string
	err                       error
}

func (e *docError) Error() string { return e.err.Error() }
func (e *docError) Unwrap() error { return e.err }

func malformed(table, remoteID, endpoint string, err error) error {
	return &docError{table, remoteID, endpoint, fmt.Errorf("%w: %s %s: %w", transform.ErrMalformed, endpoint, remoteID, err)}
}

func missing(table, remoteID, endpoint, key string) error {
	return &docError{table, remoteID, endpoint, fmt.Errorf("%w: %s %s: %s", transform.ErrMissingKey, endpoint, remoteID, key)}
}

// decode unmarshals a document body into its *Doc struct in one pass. On
// failure the endpoint reported is the part the error is in when encoding/json
// names it, else endpoint.
func decode(body []byte, v any, table, remoteID, endpoint string) error {
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && strings.HasPrefix(te.Field, "/") {
			endpoint, _, _ = strings.Cut(te.Field, ".")
		}
		return malformed(table, remoteID, endpoint, err)
	}
	return nil
}

// Map consumes one record of extract.DocSchema (documents in the emission order
// of extract/smartrecruiters/docs.go) and emits unified rows through out.
// Documents that cannot be mapped are reported to skip (table, remote id,
// endpoint, error) and left out; Map returns an error only when emitting fails
// or ctx ends.
func (m *Mapper) Map(ctx context.Context, docs arrow.RecordBatch, out transform.Emitter, skip transform.Skipper) error {
	if m.finished {
		return errors.New("smartrecruiters mapper: Map after Finish")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var err error
	for i, d := range extract.Docs(docs) {
		if i%256 == 255 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		switch d.Kind {
		case extract.KindSkipped, extract.KindListComplete:
			continue
		case sr.KindSystemRole:
			err = m.systemRole(ctx, d, out)
		case sr.KindUser:
			err = m.user(ctx, d, out)
		case sr.KindHiringProcess:
			err = m.hiringProcess(d)
		case sr.KindRejectionReason:
			err = m.rejectionReason(ctx, d, out)
		case sr.KindJob:
			err = m.job(ctx, d, out, skip)
		case sr.KindPosting:
			err = m.posting(ctx, d, out, skip)
		case sr.KindCandidate:
			err = m.candidate(ctx, d, out)
		case sr.KindApplication:
			err = m.application(ctx, d, out, skip)
		default:
			err = &docError{"", d.Key, "", fmt.Errorf("%w: %q (key %s)", transform.ErrUnknownKind, d.Kind, d.Key)}
		}
		if err != nil {
			if !m.report(skip, err) {
				return err
			}
			err = nil
		}
	}
	return nil
}

// report hands a document error to skip and reports whether err was one.
func (m *Mapper) report(skip transform.Skipper, err error) bool {
	var de *docError
	if !errors.As(err, &de) {
		return false
	}
	if skip != nil {
		skip.Skip(de.table, de.remoteID, de.endpoint, de.err)
	}
	return true
}

// Finish emits what needs the whole input (application_stages, the
// job_screening_questions of jobs whose default ad has no posting) and
// flushes every table. Call it once, after the last Map.
func (m *Mapper) Finish(ctx context.Context, out transform.Emitter, skip transform.Skipper) error {
	if m.finished {
		return nil
	}
	m.finished = true
	if err := m.emitStages(ctx, out); err != nil {
		return err
	}
	if err := m.emitPendingJobQuestions(ctx, out); err != nil {
		return err
	}
	for _, b := range m.b {
		if err := b.FlushTo(ctx, out); err != nil {
			return err
		}
	}
	return nil
}

// remoteData builds a row's remote_data in scratch space (nil: NULL).
func (m *Mapper) remoteData(parts ...transform.RemotePart) []byte {
	out, ok := transform.AppendRemoteData(m.sc.rd[:0], parts...)
	m.sc.rd = out
	if !ok {
		return nil
	}
	return out
}

// bodyPart is the part of a document body kept under path, as received.
func bodyPart(body []byte, path string) transform.RemotePart {
	return transform.RemotePart{Path: path, Raw: transform.Member(body, path)}
}

// key builds a composite remote id from parts joined by ':' in m.sc.key.
func (m *Mapper) key(parts ...string) []byte {
	k := m.sc.key[:0]
	for i, p := range parts {
		if i > 0 {
			k = append(k, ':')
		}
		k = append(k, p...)
	}
	m.sc.key = k
	return k
}
