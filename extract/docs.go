package extract

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// DocSchema is the schema of the record batches every extractor yields: one
// row per source document. kind names the document type (source specific),
// key is its remote key, body is a JSON object whose keys are endpoint path
// templates (e.g. "/jobs/{jobId}") and whose values are the objects exactly as
// received; keys starting with "_" carry context the extractor adds.
var DocSchema = arrow.NewSchema([]arrow.Field{
	{Name: "kind", Type: arrow.BinaryTypes.String},
	{Name: "key", Type: arrow.BinaryTypes.String},
	{Name: "body", Type: arrow.BinaryTypes.Binary},
}, nil)

// KindListComplete is the kind of a marker document an extractor emits when it
// has read a source list completely (key = the list's name, body = "{}"):
// deletion detection may only trust lists it has seen such a marker for.
const KindListComplete = "_list_complete"

// KindSkipped is the kind of a marker document for a record the extractor
// could not read (key = the record's remote key, body = {"endpoint": ..., "error": ...}).
// The pipeline counts it, logs it and marks the run partial.
const KindSkipped = "_skipped"

// Mode is how much of the source a run reads.
type Mode string

const (
	// Full reads every list completely.
	Full Mode = "full"
	// Incremental reads only what changed since Request.UpdatedAfter where the source allows it.
	Incremental Mode = "incremental"
)

// Request says what one extraction reads.
type Request struct {
	Mode         Mode
	UpdatedAfter time.Time // incremental watermark (inclusive); zero for full runs
	Alloc        memory.Allocator
}

// Extractor reads one source and yields batches of DocSchema. The caller
// releases every record it receives. The sequence ends at the first error.
type Extractor interface {
	Extract(ctx context.Context, req Request) iter.Seq2[arrow.RecordBatch, error]
}

// DefaultMaxRecordSize is the largest document body a Batcher keeps (see
// Batcher.SetMaxRecordSize): far above any real record, far below what a
// hostile source could make a run hold.
const DefaultMaxRecordSize = 8 << 20

// ErrRecordTooLarge is the cause of a document replaced by a KindSkipped
// marker because its body exceeded the maximum record size.
var ErrRecordTooLarge = errors.New("record too large")

// Batcher accumulates documents into records of bounded size. A document
// whose body exceeds the maximum record size is not kept: Add replaces it
// with a KindSkipped marker of the same key, so the run counts, logs and
// skips it like any record it could not read.
type Batcher struct {
	b        *array.RecordBuilder
	kind     *array.StringBuilder
	key      *array.StringBuilder
	body     *array.BinaryBuilder
	rows     int
	bytes    int
	maxRows  int
	maxBytes int
	maxRec   int
}

// NewBatcher returns a Batcher that closes a record at maxRows documents or
// maxBytes of body, whichever comes first (defaults 1024 and 4 MiB when <= 0).
func NewBatcher(alloc memory.Allocator, maxRows, maxBytes int) *Batcher {
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	if maxRows <= 0 {
		maxRows = 1024
	}
	if maxBytes <= 0 {
		maxBytes = 4 << 20
	}
	b := array.NewRecordBuilder(alloc, DocSchema)
	return &Batcher{b: b,
		kind: b.Field(0).(*array.StringBuilder), key: b.Field(1).(*array.StringBuilder), body: b.Field(2).(*array.BinaryBuilder),
		maxRows: maxRows, maxBytes: maxBytes, maxRec: DefaultMaxRecordSize}
}

// SetMaxRecordSize sets the largest document body Add keeps (<= 0:
// DefaultMaxRecordSize).
func (b *Batcher) SetMaxRecordSize(n int) {
	if n <= 0 {
		n = DefaultMaxRecordSize
	}
	b.maxRec = n
}

// Add appends one document and reports whether the batch is full (call
// Flush). A body larger than the maximum record size is replaced by a
// KindSkipped marker naming the endpoint (the largest member of the body)
// and ErrRecordTooLarge.
func (b *Batcher) Add(kind, key string, body []byte) (full bool) {
	if len(body) > b.maxRec && kind != KindSkipped && kind != KindListComplete {
		kind, body = KindSkipped, tooLarge(kind, body, b.maxRec)
	}
	b.kind.Append(kind)
	b.key.Append(key)
	b.body.Append(body)
	b.rows++
	b.bytes += len(body)
	return b.rows >= b.maxRows || b.bytes >= b.maxBytes
}

// tooLarge is the KindSkipped body of an oversized document.
func tooLarge(kind string, body []byte, limit int) []byte {
	endpoint := kind + " document"
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) == nil {
		largest := -1
		for k, v := range m {
			if len(v) > largest || (len(v) == largest && k < endpoint) {
				endpoint, largest = k, len(v)
			}
		}
	}
	b, _ := json.Marshal(map[string]string{
		"endpoint": endpoint,
		"error":    fmt.Sprintf("%v: the %s document holds %d bytes, more than the limit of %d", ErrRecordTooLarge, kind, len(body), limit),
	})
	return b
}

// Len returns the number of documents buffered.
func (b *Batcher) Len() int { return b.rows }

// Flush returns the buffered documents as a record (nil when empty); the caller releases it.
func (b *Batcher) Flush() arrow.RecordBatch {
	if b.rows == 0 {
		return nil
	}
	b.rows, b.bytes = 0, 0
	return b.b.NewRecordBatch()
}

// Release frees the builder.
func (b *Batcher) Release() { b.b.Release() }

// Docs iterates the rows of a DocSchema record. The byte slices point into the
// record and are valid only while it is.
func Docs(rec arrow.RecordBatch) iter.Seq2[int, Doc] {
	return func(yield func(int, Doc) bool) {
		kind := rec.Column(0).(*array.String)
		key := rec.Column(1).(*array.String)
		body := rec.Column(2).(*array.Binary)
		for i := 0; i < int(rec.NumRows()); i++ {
			if !yield(i, Doc{Kind: kind.Value(i), Key: key.Value(i), Body: body.Value(i)}) {
				return
			}
		}
	}
}

// Doc is one row of a DocSchema record.
type Doc struct {
	Kind string
	Key  string
	Body []byte
}
