package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/extract"
	phextract "github.com/atslake/atslake/extract/phenom"
	srextract "github.com/atslake/atslake/extract/smartrecruiters"
)

// A dump holds the source documents of one full extraction per connector as
// raw JSON files: <dir>/<connector>/<kind>.ndjson holds one document body per
// line (a JSON object keyed by endpoint path template, the objects as the
// source sent them, compacted), <kind>.keys the document keys, line by line.
// DuckDB reads the .ndjson files; replay turns both back into the
// extractor's batches.
type dump struct {
	dir   string
	kinds map[string][]string // connector -> kinds present
	docs  map[string]int64    // connector -> documents
	bytes int64               // body bytes
}

// kindFile is the path of a kind's NDJSON file.
func (d *dump) kindFile(connector, kind string) string {
	return filepath.Join(d.dir, connector, kind+".ndjson")
}

func (d *dump) keysFile(connector, kind string) string {
	return filepath.Join(d.dir, connector, kind+".keys")
}

// has reports whether the dump holds documents of kind.
func (d *dump) has(connector, kind string) bool { return slices.Contains(d.kinds[connector], kind) }

// dumpSources extracts every connector of urls once (full, relaxed limits,
// concurrently) into dir.
func dumpSources(ctx context.Context, urls map[string]string, dir string) (*dump, error) {
	d := &dump{dir: dir, kinds: map[string][]string{}, docs: map[string]int64{}}
	var mu sync.Mutex
	errs := make(chan error, len(urls))
	for connector, url := range urls {
		go func() {
			kinds, docs, n, err := dumpSource(ctx, connector, url, filepath.Join(dir, connector))
			mu.Lock()
			d.kinds[connector], d.docs[connector] = kinds, docs
			d.bytes += n
			mu.Unlock()
			errs <- err
		}()
	}
	var first error
	for range urls {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	if first != nil {
		return nil, first
	}
	return d, nil
}

// extractor is what the benchmark needs of a connector's extractor.
type extractor interface {
	Extract(ctx context.Context, req extract.Request) iter.Seq2[arrow.RecordBatch, error]
}

func newExtractor(connector, url string) (extractor, error) {
	switch connector {
	case SmartRecruiters:
		return srextract.New(srextract.Config{BaseURL: url, Token: sandboxToken})
	case Phenom:
		return phextract.New(phextract.Config{BaseURL: url, TokenURL: url, SiteType: "external",
			ClientID: sandboxClient, ClientSecret: sandboxSecret})
	}
	return nil, fmt.Errorf("unknown connector %q", connector)
}

// kindWriter writes the documents of one kind.
type kindWriter struct {
	bf, kf *os.File
	body   *bufio.Writer
	keys   *bufio.Writer
}

func dumpSource(ctx context.Context, connector, url, dir string) (kinds []string, docs, n int64, err error) {
	ex, err := newExtractor(connector, url)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("dump %s: %w", connector, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, 0, 0, fmt.Errorf("dump %s: %w", connector, err)
	}
	writers := map[string]*kindWriter{}
	defer func() {
		for kind, w := range writers {
			err1 := w.body.Flush()
			if err2 := w.keys.Flush(); err1 == nil {
				err1 = err2
			}
			if err2 := w.bf.Close(); err1 == nil {
				err1 = err2
			}
			if err2 := w.kf.Close(); err1 == nil {
				err1 = err2
			}
			if err == nil && err1 != nil {
				err = fmt.Errorf("dump %s %s: %w", connector, kind, err1)
			}
		}
	}()
	var compact bytes.Buffer
	for batch, xerr := range ex.Extract(ctx, extract.Request{Mode: extract.Full, Alloc: memory.DefaultAllocator}) {
		if xerr != nil {
			return nil, 0, 0, fmt.Errorf("dump %s: %w", connector, xerr)
		}
		for _, doc := range extract.Docs(batch) {
			switch doc.Kind {
			case extract.KindListComplete:
				continue
			case extract.KindSkipped:
				batch.Release()
				return nil, 0, 0, fmt.Errorf("dump %s: record %s skipped: %s", connector, doc.Key, doc.Body)
			}
			w := writers[doc.Kind]
			if w == nil {
				if w, err = newKindWriter(dir, doc.Kind); err != nil {
					batch.Release()
					return nil, 0, 0, fmt.Errorf("dump %s: %w", connector, err)
				}
				writers[doc.Kind] = w
				kinds = append(kinds, doc.Kind)
			}
			body := doc.Body
			if bytes.IndexByte(body, '\n') >= 0 {
				compact.Reset()
				if err := json.Compact(&compact, body); err != nil {
					batch.Release()
					return nil, 0, 0, fmt.Errorf("dump %s %s %s: %w", connector, doc.Kind, doc.Key, err)
				}
				body = compact.Bytes()
			}
			if strings.ContainsAny(doc.Key, "\n") {
				batch.Release()
				return nil, 0, 0, fmt.Errorf("dump %s %s: key %q holds a line break", connector, doc.Kind, doc.Key)
			}
			w.body.Write(body)
			w.body.WriteByte('\n')
			w.keys.WriteString(doc.Key)
			w.keys.WriteByte('\n')
			docs++
			n += int64(len(body))
		}
		batch.Release()
	}
	return kinds, docs, n, nil
}

func newKindWriter(dir, kind string) (*kindWriter, error) {
	bf, err := os.Create(filepath.Join(dir, kind+".ndjson"))
	if err != nil {
		return nil, err
	}
	kf, err := os.Create(filepath.Join(dir, kind+".keys"))
	if err != nil {
		bf.Close()
		return nil, err
	}
	return &kindWriter{bf: bf, kf: kf, body: bufio.NewWriterSize(bf, 1<<20), keys: bufio.NewWriterSize(kf, 64<<10)}, nil
}

// listStep is one list of an extractor's emission order.
type listStep struct{ kind, list string }

// emission is each connector's document order (extract/*/docs.go). For
// SmartRecruiters the last step, candidates, is followed directly by the
// application documents of each candidate.
var emission = map[string][]listStep{
	SmartRecruiters: {
		{srextract.KindSystemRole, srextract.ListSystemRoles},
		{srextract.KindUser, srextract.ListUsers},
		{srextract.KindHiringProcess, srextract.ListHiringProcesses},
		{srextract.KindRejectionReason, srextract.ListRejectionReasons},
		{srextract.KindJob, srextract.ListJobs},
		{srextract.KindPosting, srextract.ListPostings},
		{srextract.KindCandidate, srextract.ListCandidates},
	},
	Phenom: {
		{phextract.KindJob, phextract.ListJobs},
		{phextract.KindApplication, phextract.ListApplications},
	},
}

// lines is a file's lines (without their line breaks).
type lines struct {
	data []byte
	pos  int
}

func readLines(path string) (*lines, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &lines{}, nil
	}
	if err != nil {
		return nil, err
	}
	return &lines{data: b}, nil
}

// next returns the next line, or false at the end.
func (l *lines) next() ([]byte, bool) {
	if l.pos >= len(l.data) {
		return nil, false
	}
	rest := l.data[l.pos:]
	i := bytes.IndexByte(rest, '\n')
	if i < 0 {
		l.pos = len(l.data)
		return rest, true
	}
	l.pos += i + 1
	return rest[:i], true
}

// peek returns the next line without consuming it.
func (l *lines) peek() ([]byte, bool) {
	p := l.pos
	line, ok := l.next()
	l.pos = p
	return line, ok
}

// kindReader reads the documents of one kind: bodies and keys in step.
type kindReader struct {
	kind        string
	body, keys  *lines
	key, bodyLn []byte
}

func (d *dump) openKind(connector, kind string) (*kindReader, error) {
	b, err := readLines(d.kindFile(connector, kind))
	if err != nil {
		return nil, fmt.Errorf("replay %s %s: %w", connector, kind, err)
	}
	k, err := readLines(d.keysFile(connector, kind))
	if err != nil {
		return nil, fmt.Errorf("replay %s %s: %w", connector, kind, err)
	}
	return &kindReader{kind: kind, body: b, keys: k}, nil
}

func (r *kindReader) next() bool {
	var ok1, ok2 bool
	r.bodyLn, ok1 = r.body.next()
	r.key, ok2 = r.keys.next()
	return ok1 && ok2
}

// replay feeds fn the dumped documents of connector as extract.DocSchema
// batches in the extractor's emission order, list-complete markers included.
// fn must not keep a batch beyond its call without retaining it.
func (d *dump) replay(ctx context.Context, connector string, alloc memory.Allocator, fn func(arrow.RecordBatch) error) error {
	steps, ok := emission[connector]
	if !ok {
		return fmt.Errorf("replay: unknown connector %q", connector)
	}
	b := extract.NewBatcher(alloc, 0, 0)
	defer b.Release()
	flush := func() error {
		rec := b.Flush()
		if rec == nil {
			return nil
		}
		defer rec.Release()
		if err := ctx.Err(); err != nil {
			return err
		}
		return fn(rec)
	}
	add := func(kind string, key, body []byte) error {
		if b.Add(kind, string(key), body) {
			return flush()
		}
		return nil
	}
	for _, st := range steps {
		r, err := d.openKind(connector, st.kind)
		if err != nil {
			return err
		}
		var apps *kindReader
		if connector == SmartRecruiters && st.kind == srextract.KindCandidate {
			if apps, err = d.openKind(connector, srextract.KindApplication); err != nil {
				return err
			}
		}
		for r.next() {
			if err := add(st.kind, r.key, r.bodyLn); err != nil {
				return err
			}
			if apps == nil {
				continue
			}
			// The candidate's applications follow it (keys "<candidate id>:<job id>").
			for {
				k, ok := apps.keys.peek()
				if !ok || len(k) <= len(r.key) || k[len(r.key)] != ':' || !bytes.Equal(k[:len(r.key)], r.key) {
					break
				}
				apps.next()
				if err := add(apps.kind, apps.key, apps.bodyLn); err != nil {
					return err
				}
			}
		}
		if apps != nil {
			if _, more := apps.keys.peek(); more {
				return fmt.Errorf("replay %s: application documents out of candidate order", connector)
			}
		}
		if err := add(extract.KindListComplete, []byte(st.list), []byte("{}")); err != nil {
			return err
		}
	}
	return flush()
}
