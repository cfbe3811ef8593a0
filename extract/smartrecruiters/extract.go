package smartrecruiters

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/atslake/atslake/extract"
)

// How an extraction runs:
//
// One producer goroutine reads the lists in emission order (docs.go), page
// by page. For every list item it appends a slot to the ordered queue and,
// when the item needs detail calls, hands a task to a pool of workers that
// fills the slot. The consumer (the iterator's own goroutine) takes slots off
// the queue in order, waits for each to be filled and appends its documents
// to the batcher. The queue is bounded (Config.ReadAhead), so the producer,
// which prefetches the next list page while details run, is never more than
// ReadAhead records ahead: memory stays flat whatever the tenant size. When
// the consumer stops or ctx ends, the run's context is cancelled and every
// goroutine returns before the iterator does.

// doc is one source document.
type doc struct {
	kind, key string
	body      []byte
}

// slot is one place in the emission order: the documents of one list item
// (or a list-complete marker), or a fatal error.
type slot struct {
	ready chan struct{} // closed when docs/err are set
	docs  []doc
	err   error
	flush bool // close the current batch after this slot (end of a list)
}

// run is one extraction.
type run struct {
	e     *Extractor
	ctx   context.Context
	mode  extract.Mode
	since string // formatted watermark, "" for full reads
	order chan *slot
	work  chan func()

	denied atomic.Int64 // records skipped for a 401
}

// Extract reads the whole tenant (or, in incremental mode, the jobs and
// candidates updated at or after req.UpdatedAfter plus every small list) and
// yields record batches of extract.DocSchema in docs.go's emission order. The
// caller releases every record. The sequence ends at the first error: a list
// that cannot be read, bad credentials, or a detail call failing for a reason
// that is not the record's own (see docs.go for per-record failures).
func (e *Extractor) Extract(ctx context.Context, req extract.Request) iter.Seq2[arrow.RecordBatch, error] {
	return func(yield func(arrow.RecordBatch, error) bool) {
		mode := req.Mode
		if mode == "" {
			mode = extract.Full
		}
		if mode != extract.Full && mode != extract.Incremental {
			yield(nil, fmt.Errorf("extract smartrecruiters: unknown mode %q", req.Mode))
			return
		}
		since := ""
		if mode == extract.Incremental && !req.UpdatedAfter.IsZero() {
			since = formatWatermark(req.UpdatedAfter)
		}

		runCtx, cancel := context.WithCancel(ctx)
		r := &run{e: e, ctx: runCtx, mode: mode, since: since,
			order: make(chan *slot, e.cfg.ReadAhead), work: make(chan func())}
		var wg sync.WaitGroup
		defer func() {
			cancel()
			wg.Wait()
		}()
		for range e.cfg.Workers {
			wg.Go(func() {
				for task := range r.work {
					task()
				}
			})
		}
		wg.Go(r.produce)

		b := extract.NewBatcher(req.Alloc, e.cfg.BatchRows, e.cfg.BatchBytes)
		defer b.Release()
		// flush yields the buffered documents; false when the consumer stopped
		// or ctx ended (then the cancellation error has been yielded).
		flush := func() bool {
			if rec := b.Flush(); rec != nil && !yield(rec, nil) {
				return false
			}
			return !cancelled(ctx, yield)
		}
		for !cancelled(ctx, yield) {
			var s *slot
			select {
			case s = <-r.order: // nil once the producer is done
			case <-ctx.Done():
				continue
			}
			if s == nil { // every list was read
				if cancelled(ctx, yield) {
					return
				}
				if err := r.checkCredentials(); err != nil {
					if flush() {
						yield(nil, err)
					}
					return
				}
				flush()
				return
			}
			select {
			case <-s.ready:
			case <-ctx.Done():
				continue
			}
			if s.err != nil {
				if flush() {
					yield(nil, s.err)
				}
				return
			}
			for _, d := range s.docs {
				if b.Add(d.kind, d.key, d.body) && !flush() {
					return
				}
			}
			if s.flush && !flush() {
				return
			}
		}
	}
}

// cancelled reports whether ctx has ended, yielding the error when it has.
// Documents buffered then are dropped: a cancelled extraction is incomplete.
func cancelled(ctx context.Context, yield func(arrow.RecordBatch, error) bool) bool {
	if ctx.Err() == nil {
		return false
	}
	yield(nil, fmt.Errorf("extract smartrecruiters: %w", context.Cause(ctx)))
	return true
}

// produce reads the lists in emission order and queues their items; it
// closes the queue and the work channel when done.
func (r *run) produce() {
	defer close(r.order)
	defer close(r.work)
	if err := r.lists(); err != nil && r.ctx.Err() == nil {
		r.push(&slot{ready: closed, err: err})
	}
}

// closed is an already closed channel, the ready channel of slots filled when queued.
var closed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// push queues a slot; false when the run is cancelled.
func (r *run) push(s *slot) bool {
	select {
	case r.order <- s:
		return true
	case <-r.ctx.Done():
		return false
	}
}

// emit queues documents that need no further call.
func (r *run) emit(flush bool, docs ...doc) bool {
	return r.push(&slot{ready: closed, docs: docs, flush: flush})
}

// submit queues a slot filled by fetch on a worker.
func (r *run) submit(fetch func() ([]doc, error)) bool {
	s := &slot{ready: make(chan struct{})}
	if !r.push(s) {
		return false
	}
	task := func() {
		defer close(s.ready)
		s.docs, s.err = fetch()
	}
	select {
	case r.work <- task:
		return true
	case <-r.ctx.Done():
		return false
	}
}

// complete queues the list-complete marker of a list and closes the batch.
func (r *run) complete(list string) bool {
	return r.emit(true, doc{kind: extract.KindListComplete, key: list, body: []byte("{}")})
}

// lists reads every list in emission order.
func (r *run) lists() error {
	if err := r.plainList(PathSystemRoles, KindSystemRole, ListSystemRoles); err != nil {
		return err
	}
	if err := r.cursorList(PathUsers, nil, ListUsers, false, func(raw json.RawMessage, id string) bool {
		return r.emit(false, doc{KindUser, id, docBody(part{PathUsers, raw})})
	}); err != nil {
		return err
	}
	if err := r.plainList(PathHiringProcesses, KindHiringProcess, ListHiringProcesses); err != nil {
		return err
	}
	if err := r.plainList(PathRejectionReasons, KindRejectionReason, ListRejectionReasons); err != nil {
		return err
	}
	company, err := r.company()
	if err != nil {
		return err
	}
	dedupe := r.mode == extract.Incremental
	if err := r.cursorList(PathJobs, jobsQuery(r.since), ListJobs, dedupe, func(raw json.RawMessage, id string) bool {
		return r.submit(func() ([]doc, error) { return r.job(raw, id) })
	}); err != nil {
		return err
	}
	if err := r.postings(company); err != nil {
		return err
	}
	return r.cursorList(PathCandidates, candidatesQuery(r.since), ListCandidates, dedupe, func(raw json.RawMessage, id string) bool {
		return r.submit(func() ([]doc, error) { return r.candidate(raw, id) })
	})
}

// listError names the endpoint and page of a list failure.
func listError(endpoint string, page int, err error) error {
	return fmt.Errorf("extract %s page %d: %w", endpoint, page, err)
}

// pageRead logs a list page (debug level: progress).
func (r *run) pageRead(endpoint string, p extract.Page) {
	r.e.log.LogAttrs(r.ctx, slog.LevelDebug, "smartrecruiters: page read", slog.String("endpoint", endpoint),
		slog.Int("page", p.Number), slog.Int("items", len(p.Items)), slog.Int("total", p.Total))
}

// plainList reads a non-paginated list {"totalFound", "content": [...]} and
// queues one document per item.
func (r *run) plainList(endpoint, kind, list string) error {
	var reply struct {
		Content *[]json.RawMessage `json:"content"`
	}
	if err := r.e.client.GetJSON(r.ctx, endpoint, endpoint, nil, &reply); err != nil {
		return listError(endpoint, 1, err)
	}
	if reply.Content == nil {
		return listError(endpoint, 1, malformed(`no "content"`))
	}
	for i, raw := range *reply.Content {
		id, err := itemID(raw)
		if err != nil {
			return listError(endpoint, 1, fmt.Errorf("item %d: %w", i+1, err))
		}
		if !r.emit(false, doc{kind, id, docBody(part{endpoint, raw})}) {
			return r.ctx.Err()
		}
	}
	if !r.complete(list) {
		return r.ctx.Err()
	}
	return nil
}

// cursorList reads a cursor-paged list and hands every item (with its id) to
// item, dropping ids seen before when dedupe is set; then queues the marker.
func (r *run) cursorList(endpoint string, query url.Values, list string, dedupe bool, item func(json.RawMessage, string) bool) error {
	var seen map[string]struct{}
	if dedupe {
		seen = map[string]struct{}{}
	}
	for page, err := range extract.CursorPages(r.ctx, r.e.client, endpoint, endpoint, query) {
		if err != nil {
			return listError(endpoint, page.Number, err)
		}
		r.pageRead(endpoint, page)
		for i, raw := range page.Items {
			id, err := itemID(raw)
			if err != nil {
				return listError(endpoint, page.Number, fmt.Errorf("item %d: %w", i+1, err))
			}
			if seen != nil {
				if _, dup := seen[id]; dup {
					continue
				}
				seen[id] = struct{}{}
			}
			if !item(raw, id) {
				return r.ctx.Err()
			}
		}
	}
	if !r.complete(list) {
		return r.ctx.Err()
	}
	return nil
}

// company reads G3's company identifier (needed for P1's path).
func (r *run) company() (string, error) {
	var raw json.RawMessage
	if err := r.e.client.GetJSON(r.ctx, PathCompany, PathCompany, nil, &raw); err != nil {
		return "", fmt.Errorf("extract %s: %w", PathCompany, err)
	}
	id, err := idField(raw, assumedCompanyIdentifierField)
	if err != nil {
		return "", fmt.Errorf("extract %s: %w", PathCompany, err)
	}
	return id, nil
}

// postings reads P1 (offset paged) and queues one posting per item, each
// completed by its P2 configuration.
func (r *run) postings(company string) error {
	path := "/v1/companies/" + url.PathEscape(company) + "/postings"
	for page, err := range extract.OffsetPages(r.ctx, r.e.client, extract.OffsetList{
		Endpoint:    PathPostings,
		Path:        path,
		Limit:       assumedPostingsPageSize,
		LimitParam:  assumedPostingsLimitParam,
		OffsetParam: assumedPostingsOffsetParam,
		ItemsKey:    assumedPostingsItemsKey,
		TotalKey:    assumedPostingsTotalKey,
	}) {
		if err != nil {
			return listError(PathPostings, page.Number, err)
		}
		r.pageRead(PathPostings, page)
		for i, raw := range page.Items {
			id, err := itemID(raw)
			if err != nil {
				return listError(PathPostings, page.Number, fmt.Errorf("item %d: %w", i+1, err))
			}
			if !r.submit(func() ([]doc, error) { return r.posting(raw, id) }) {
				return r.ctx.Err()
			}
		}
	}
	if !r.complete(ListPostings) {
		return r.ctx.Err()
	}
	return nil
}

// fetch GETs one detail and checks its shape.
func (r *run) fetch(endpoint, path string, query url.Values, check func([]byte) error) (json.RawMessage, error) {
	var raw json.RawMessage
	if err := r.e.client.GetJSON(r.ctx, endpoint, path, query, &raw); err != nil {
		return nil, err
	}
	if err := check(raw); err != nil {
		return nil, err
	}
	return raw, nil
}

// perRecord reports whether a call to endpoint failed for a reason of that
// record alone: 401/403/404 on it, a malformed or oversized body. Anything
// else (retries exhausted, a failed token call, cancellation) ends the
// extraction.
func perRecord(err error, endpoint string) bool {
	var he *extract.HTTPError
	if errors.As(err, &he) {
		switch he.Status {
		case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
			return he.Endpoint == endpoint
		}
		return false
	}
	if errors.Is(err, extract.ErrUnauthorized) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	return errors.Is(err, extract.ErrMalformed) || errors.Is(err, extract.ErrBodyTooLarge) ||
		errors.Is(err, extract.ErrForbidden) || errors.Is(err, extract.ErrNotFound)
}

// failed turns a detail failure into a KindSkipped document (per-record
// failures) or a fatal error naming the endpoint and record.
func (r *run) failed(key, endpoint string, err error) ([]doc, error) {
	if !perRecord(err, endpoint) {
		return nil, fmt.Errorf("extract %s %s: %w", endpoint, key, err)
	}
	var he *extract.HTTPError
	if errors.As(err, &he) && he.Status == http.StatusUnauthorized {
		r.denied.Add(1)
	}
	r.e.log.LogAttrs(r.ctx, slog.LevelWarn, "smartrecruiters: record skipped",
		slog.String("endpoint", endpoint), slog.String("id", key), slog.String("error", err.Error()))
	body := docBody(part{"endpoint", jsonString(endpoint)}, part{"error", jsonString(err.Error())})
	return []doc{{extract.KindSkipped, key, body}}, nil
}

// checkCredentials tells per-record 401s from credentials that stopped
// working during the run ("a 401 on every call means bad credentials"): when
// any record was skipped for a 401, one more call must still succeed.
func (r *run) checkCredentials() error {
	n := r.denied.Load()
	if n == 0 {
		return nil
	}
	err := r.e.client.GetJSON(r.ctx, PathCompany, PathCompany, nil, nil)
	if errors.Is(err, extract.ErrUnauthorized) {
		return fmt.Errorf("extract smartrecruiters: credentials rejected (%d records skipped for a 401): %w", n, err)
	}
	return nil
}

// call is one detail call of a record.
type call struct {
	endpoint string
	path     string
	query    url.Values
	check    func([]byte) error
}

// fetchAll makes the calls in order and returns their replies; on the first
// failure it returns the call's endpoint and the error.
func (r *run) fetchAll(calls []call) ([][]byte, string, error) {
	out := make([][]byte, len(calls))
	for i, c := range calls {
		raw, err := r.fetch(c.endpoint, c.path, c.query, c.check)
		if err != nil {
			return nil, c.endpoint, err
		}
		out[i] = raw
	}
	return out, "", nil
}

// job reads J2-J5 for one J1 item.
func (r *run) job(item json.RawMessage, id string) ([]doc, error) {
	base := "/jobs/" + url.PathEscape(id)
	replies, endpoint, err := r.fetchAll([]call{
		{PathJob, base, nil, checkRecord(id)},
		{PathJobHiringTeam, base + "/hiring-team", nil, checkContentObject},
		{PathJobAds, base + "/jobads", nil, checkArray},
		{PathJobStatusHistory, base + "/status/history", nil, checkContentObject},
	})
	if err != nil {
		return r.failed(id, endpoint, err)
	}
	return []doc{{KindJob, id, docBody(
		part{PathJobs, item},
		part{PathJob, replies[0]},
		part{PathJobHiringTeam, replies[1]},
		part{PathJobAds, replies[2]},
		part{PathJobStatusHistory, replies[3]},
	)}}, nil
}

// posting reads P2 for one P1 item.
func (r *run) posting(item json.RawMessage, id string) ([]doc, error) {
	uuid, err := idField(item, assumedPostingUUIDField)
	if err != nil {
		return r.failed(id, PathPostingConfiguration, fmt.Errorf("posting item: %w", err))
	}
	raw, err := r.fetch(PathPostingConfiguration, "/postings/"+url.PathEscape(uuid)+"/configuration", nil, checkObject)
	if err != nil {
		return r.failed(id, PathPostingConfiguration, err)
	}
	return []doc{{KindPosting, id, docBody(part{PathPostings, item}, part{PathPostingConfiguration, raw})}}, nil
}

// candidate reads C2 for one C1 item, then every application it names.
func (r *run) candidate(item json.RawMessage, id string) ([]doc, error) {
	raw, err := r.fetch(PathCandidate, "/candidates/"+url.PathEscape(id), nil, checkRecord(id))
	if err != nil {
		return r.failed(id, PathCandidate, err)
	}
	jobs, err := candidateJobs(raw)
	if err != nil {
		return r.failed(id, PathCandidate, err)
	}
	docs := make([]doc, 0, 1+len(jobs))
	docs = append(docs, doc{KindCandidate, id, docBody(part{PathCandidates, item}, part{PathCandidate, raw})})
	for _, job := range jobs {
		d, err := r.application(id, job)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// application reads C3-C7 and I1 for one (candidate, job) assignment.
func (r *run) application(candidateID, jobID string) (doc, error) {
	key := candidateID + ":" + jobID
	skip := func(endpoint string, err error) (doc, error) {
		docs, err := r.failed(key, endpoint, err)
		if err != nil {
			return doc{}, err
		}
		return docs[0], nil
	}
	base := "/candidates/" + url.PathEscape(candidateID) + "/jobs/" + url.PathEscape(jobID)
	c3, err := r.fetch(PathApplication, base, nil, checkObject)
	if err != nil {
		return skip(PathApplication, err)
	}
	appID, err := idField(c3, assumedApplicationIDField)
	if err != nil {
		return skip(PathApplication, err)
	}
	replies, endpoint, err := r.fetchAll([]call{
		{PathApplicationHistory, base + "/status/history", nil, checkContentObject},
		{PathScreeningAnswers, base + "/screening-answers", nil, checkContentObject},
		{PathApplicationProperties, base + "/properties", nil, checkContentObject},
		{PathOffers, base + "/offers", nil, checkContentObject},
		{PathInterviews, PathInterviews, interviewsQuery(appID), checkContentObject},
	})
	if err != nil {
		return skip(endpoint, err)
	}
	return doc{KindApplication, key, docBody(
		part{"_candidateId", jsonString(candidateID)},
		part{"_jobId", jsonString(jobID)},
		part{PathApplication, c3},
		part{PathApplicationHistory, replies[0]},
		part{PathScreeningAnswers, replies[1]},
		part{PathApplicationProperties, replies[2]},
		part{PathOffers, replies[3]},
		part{PathInterviews, replies[4]},
	)}, nil
}
