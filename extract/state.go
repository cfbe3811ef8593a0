package extract

import (
	"bytes"
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// clientState holds the client's runtime state (limiters, counters).
type clientState struct {
	window   *slidingWindow       // nil when the rate is unlimited
	conc     semaphore            // nil when the concurrency is unlimited
	pathSems map[string]semaphore // exact path -> cap; read-only after New
	header   http.Header          // Accept plus WithHeader headers; cloned per attempt
	prefix   string               // scheme://host[/prefix] without a trailing slash

	requests  atomic.Int64
	retries   atomic.Int64
	throttled atomic.Int64
	failures  atomic.Int64
	bytes     atomic.Int64
}

// rateMargin is added to the rate window: the server counts arrivals, which
// trail the client's recorded start by a little.
const rateMargin = 15 * time.Millisecond

// slidingWindow admits at most len(starts) request starts in any window of
// per. It keeps the start times of the last n admitted requests in a ring;
// starts[pos] is the n-th most recent one, and the next start may happen only
// once it is at least per old. A start is recorded at the moment it is
// admitted, right before the request is sent, so waking late only ever delays.
type slidingWindow struct {
	mu     sync.Mutex
	per    time.Duration   // window including the safety margin
	base   time.Time       // monotonic origin of the offsets in starts
	starts []time.Duration // ring of start offsets since base
	pos    int
}

func newSlidingWindow(n int, per time.Duration) *slidingWindow {
	w := &slidingWindow{per: per, base: time.Now(), starts: make([]time.Duration, n)}
	for i := range w.starts {
		w.starts[i] = -per // long enough ago
	}
	return w
}

// wait blocks until a start is allowed (or ctx ends) and records it.
func (w *slidingWindow) wait(ctx context.Context) error {
	var t *time.Timer
	defer func() {
		if t != nil {
			t.Stop()
		}
	}()
	for {
		w.mu.Lock()
		now := time.Since(w.base)
		d := w.starts[w.pos] + w.per - now
		if d <= 0 {
			w.starts[w.pos] = now
			if w.pos++; w.pos == len(w.starts) {
				w.pos = 0
			}
			w.mu.Unlock()
			return nil
		}
		w.mu.Unlock()
		if err := ctx.Err(); err != nil {
			return err
		}
		if t == nil {
			t = time.NewTimer(d)
		} else {
			t.Reset(d)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// semaphore caps concurrent holders; a nil semaphore is unlimited.
type semaphore chan struct{}

func newSemaphore(n int) semaphore {
	if n <= 0 {
		return nil
	}
	return make(semaphore, n)
}

func (s semaphore) acquire(ctx context.Context) error {
	if s == nil {
		return nil
	}
	select {
	case s <- struct{}{}:
		return nil
	default:
	}
	select {
	case s <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s semaphore) release() {
	if s != nil {
		<-s
	}
}

// Body buffers are pooled; very large ones are dropped rather than kept.
const maxPooledBuffer = 4 << 20

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer { return bufPool.Get().(*bytes.Buffer) }

func putBuffer(b *bytes.Buffer) {
	if b.Cap() > maxPooledBuffer {
		return
	}
	b.Reset()
	bufPool.Put(b)
}
