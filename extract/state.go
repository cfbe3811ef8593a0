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
	header   http.Header          // Accept plus WithHeader headers; its value slices are shared, never modified
	prefix   string               // scheme://host[/prefix] without a trailing slash

	requests  atomic.Int64
	retries   atomic.Int64
	throttled atomic.Int64
	failures  atomic.Int64
	bytes     atomic.Int64
}

// defaultRateMargin is added to the rate window: the server counts arrivals, which
// trail the client's recorded start by a little.
const defaultRateMargin = 15 * time.Millisecond

// slidingWindow admits at most len(starts) request starts in any window of
// per+margin. It keeps the start times of the last n admitted requests in a
// ring; starts[pos] is the n-th most recent one, and the next start may happen
// only once it is at least per+margin old. A start is recorded at the moment
// it is admitted, right before the request is sent, so waking late only ever
// delays. The margin covers the time between that moment and the server
// counting the arrival; widen grows it (up to a tenth of per) when the server
// throttles anyway, i.e. when that time proves longer on this machine.
//
// When the server still throttles with the margin at its widest, it allows
// less than n (another client on the credential, a lower tenant limit): each
// further 429 lowers the starts allowed per window by one (down to one), and
// every 2n starts admitted without a 429 raise it by one again (up to n), so
// the client settles just under the source's real limit instead of
// overshooting until a request runs out of retries.
type slidingWindow struct {
	mu        sync.Mutex
	per       time.Duration
	margin    time.Duration
	step      time.Duration // growth of margin per widen
	maxMargin time.Duration
	base      time.Time       // monotonic origin of the offsets in starts
	starts    []time.Duration // ring of start offsets since base
	pos       int
	allowed   int // starts allowed per window now (<= len(starts))
	calm      int // starts admitted since allowed last changed
}

func newSlidingWindow(n int, per, margin time.Duration) *slidingWindow {
	margin = max(margin, 0)
	w := &slidingWindow{per: per, margin: margin, base: time.Now(), starts: make([]time.Duration, n),
		step: max(margin, 5*time.Millisecond), maxMargin: max(margin, per/10), allowed: n}
	for i := range w.starts {
		w.starts[i] = -(per + w.maxMargin) // long enough ago
	}
	return w
}

// widen grows the margin after a 429, or once it is at its widest lowers the
// starts allowed per window, and returns the margin.
func (w *slidingWindow) widen() time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.margin < w.maxMargin {
		w.margin = min(w.margin+w.step, w.maxMargin)
	} else if w.allowed > 1 {
		w.allowed--
		w.calm = 0
	}
	return w.margin
}

// allowance returns the starts allowed per window now.
func (w *slidingWindow) allowance() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.allowed
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
		n := len(w.starts)
		// starts[pos] is the n-th most recent start; the allowed-th most
		// recent one is allowed-n places after it.
		d := w.starts[(w.pos+n-w.allowed)%n] + w.per + w.margin - now
		if d <= 0 {
			w.starts[w.pos] = now
			if w.pos++; w.pos == n {
				w.pos = 0
			}
			if w.calm++; w.allowed < n && w.calm >= 2*n {
				w.allowed++
				w.calm = 0
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
