package simapi

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"
)

type credentialKey struct{}

// WithCredential returns ctx carrying the credential a request was
// authenticated with (the Limiter's default key).
func WithCredential(ctx context.Context, credential string) context.Context {
	return context.WithValue(ctx, credentialKey{}, credential)
}

// CredentialFrom returns the credential stored by WithCredential ("" when none).
func CredentialFrom(ctx context.Context) string {
	s, _ := ctx.Value(credentialKey{}).(string)
	return s
}

// LimitConfig configures a Limiter. Limits apply per credential.
type LimitConfig struct {
	// Rate is the number of admitted requests that may start within Window;
	// 0 means unlimited (the concurrency caps still apply).
	Rate int
	// Window is the rate window (default 1s).
	Window time.Duration
	// Concurrent caps the admitted requests in flight (0 = unlimited).
	Concurrent int
	// PathCaps caps the requests in flight to one route, keyed "METHOD /path"
	// (exact path, any query), e.g. {"GET /candidates": 1}.
	PathCaps map[string]int
	// Key names the credential of a request (default: CredentialFrom).
	Key func(*http.Request) string
	// ErrorBody builds the body of a 429 (default: an ErrorBody with code
	// RATE_LIMIT_EXCEEDED).
	ErrorBody func() []byte
	// Now is the clock (default time.Now); for tests.
	Now func() time.Time
}

// Limiter admits a request when, for its credential, fewer than Rate admitted
// requests started in the last Window, fewer than Concurrent are in flight and
// its route's PathCaps is not reached; otherwise it answers 429. Every reply
// carries X-RateLimit-Limit and X-RateLimit-Remaining (omitted when Rate is
// 0) and X-RateLimit-Concurrent-Limit and X-RateLimit-Concurrent-Remaining
// (omitted when Concurrent is 0); every other 429 of a credential (the 1st,
// 3rd, ...) carries Retry-After in whole seconds (>= 1). A request's in-flight
// slot is released when the handler starts its reply (WriteHeader or first
// Write), i.e. after the body was built and before it is sent, or when the
// handler returns.
type Limiter struct {
	cfg      LimitConfig
	counters *Counters
	mu       sync.Mutex
	creds    map[string]*credState
}

type credState struct {
	starts   []time.Time // ring of the last Rate admission times
	next     int         // ring position of the oldest entry
	n        int         // entries in the ring
	inFlight int
	paths    map[string]int
	rejected int64
}

// NewLimiter returns a limiter counting 429s into counters (a new Counters when nil).
func NewLimiter(cfg LimitConfig, counters *Counters) *Limiter {
	if cfg.Window <= 0 {
		cfg.Window = time.Second
	}
	if cfg.Key == nil {
		cfg.Key = func(r *http.Request) string { return CredentialFrom(r.Context()) }
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if counters == nil {
		counters = &Counters{}
	}
	return &Limiter{cfg: cfg, counters: counters, creds: map[string]*credState{}}
}

// Wrap returns next behind the limiter.
func (l *Limiter) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cred := l.cfg.Key(r)
		route := r.Method + " " + r.URL.Path
		ok, remaining, concRemaining, retryAfter := l.acquire(cred, route)
		h := w.Header()
		if l.cfg.Rate > 0 {
			h.Set("X-RateLimit-Limit", strconv.Itoa(l.cfg.Rate))
			h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
		}
		if l.cfg.Concurrent > 0 {
			h.Set("X-RateLimit-Concurrent-Limit", strconv.Itoa(l.cfg.Concurrent))
			h.Set("X-RateLimit-Concurrent-Remaining", strconv.Itoa(concRemaining))
		}
		if !ok {
			l.counters.requests.Add(1)
			l.counters.throttled.Add(1)
			if retryAfter > 0 {
				h.Set("Retry-After", strconv.Itoa(retryAfter))
			}
			body := l.cfg.ErrorBody
			if body == nil {
				body = func() []byte {
					return MustMarshal(NewErrorBody("RATE_LIMIT_EXCEEDED", "Too many requests"))
				}
			}
			WriteRaw(w, http.StatusTooManyRequests, body())
			return
		}
		rw := &releaseWriter{ResponseWriter: w}
		rw.release = func() { l.release(cred, route) }
		defer rw.done()
		next.ServeHTTP(rw, r)
	})
}

// acquire admits or rejects one request. retryAfter is > 0 only on a
// rejection that carries Retry-After.
func (l *Limiter) acquire(cred, route string) (ok bool, remaining, concRemaining, retryAfter int) {
	now := l.cfg.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.creds[cred]
	if c == nil {
		c = &credState{paths: map[string]int{}}
		if l.cfg.Rate > 0 {
			c.starts = make([]time.Time, l.cfg.Rate)
		}
		l.creds[cred] = c
	}
	// Drop admissions older than the window.
	for c.n > 0 && now.Sub(c.starts[c.next]) >= l.cfg.Window {
		c.next = (c.next + 1) % len(c.starts)
		c.n--
	}
	rateOK := l.cfg.Rate <= 0 || c.n < l.cfg.Rate
	concOK := l.cfg.Concurrent <= 0 || c.inFlight < l.cfg.Concurrent
	capN, hasCap := l.cfg.PathCaps[route]
	pathOK := !hasCap || c.paths[route] < capN
	if rateOK && concOK && pathOK {
		if l.cfg.Rate > 0 {
			c.starts[(c.next+c.n)%len(c.starts)] = now
			c.n++
		}
		c.inFlight++
		if hasCap {
			c.paths[route]++
		}
		return true, l.cfg.Rate - c.n, l.cfg.Concurrent - c.inFlight, 0
	}
	c.rejected++
	if c.rejected%2 == 1 {
		retryAfter = 1
		if !rateOK {
			wait := l.cfg.Window - now.Sub(c.starts[c.next])
			if s := int((wait + time.Second - 1) / time.Second); s > retryAfter {
				retryAfter = s
			}
		}
	}
	return false, max(l.cfg.Rate-c.n, 0), max(l.cfg.Concurrent-c.inFlight, 0), retryAfter
}

func (l *Limiter) release(cred, route string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.creds[cred]
	c.inFlight--
	if _, ok := l.cfg.PathCaps[route]; ok {
		c.paths[route]--
	}
}

// releaseWriter releases the limiter slot when the reply starts.
type releaseWriter struct {
	http.ResponseWriter
	release func()
	once    sync.Once
}

func (rw *releaseWriter) done() { rw.once.Do(rw.release) }

// WriteHeader releases the slot, then writes the header.
func (rw *releaseWriter) WriteHeader(status int) {
	rw.done()
	rw.ResponseWriter.WriteHeader(status)
}

// Write releases the slot, then writes p.
func (rw *releaseWriter) Write(p []byte) (int, error) {
	rw.done()
	return rw.ResponseWriter.Write(p)
}

// Flush flushes the underlying writer when it can.
func (rw *releaseWriter) Flush() {
	if f, ok := rw.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the underlying writer.
func (rw *releaseWriter) Unwrap() http.ResponseWriter { return rw.ResponseWriter }
