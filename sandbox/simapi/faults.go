package simapi

import (
	"bytes"
	"encoding/binary"
	"hash/fnv"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Counters counts the requests a sandbox saw and the faults it injected. One
// Counters is shared by a sandbox's Faults and Limiter. Safe for concurrent use.
type Counters struct {
	requests  atomic.Int64
	failed    atomic.Int64
	truncated atomic.Int64
	throttled atomic.Int64
}

// FaultReport is the reply of GET /_sandbox/faults.
type FaultReport struct {
	Requests  int64 `json:"requests"`  // requests that reached fault injection plus those throttled before it
	Failed    int64 `json:"failed"`    // answered 500 or 503 by fault injection
	Truncated int64 `json:"truncated"` // bodies cut off mid-stream
	Throttled int64 `json:"throttled"` // answered 429 by the limiter
}

// Report returns the counts so far.
func (c *Counters) Report() FaultReport {
	return FaultReport{
		Requests:  c.requests.Load(),
		Failed:    c.failed.Load(),
		Truncated: c.truncated.Load(),
		Throttled: c.throttled.Load(),
	}
}

// ServeHTTP answers the FaultReport as JSON (for GET /_sandbox/faults).
func (c *Counters) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	WriteJSON(w, http.StatusOK, c.Report())
}

// FaultConfig configures fault injection.
type FaultConfig struct {
	Seed         int64         // mixed into every fault decision
	FailRate     float64       // share of requests answered 500 or 503 (0-1)
	TruncateRate float64       // share of replies whose body is cut off mid-stream (0-1)
	Latency      time.Duration // added to every request before it is handled
	// ErrorBody builds the body of an injected failure; nil gives an ErrorBody
	// with code INTERNAL_ERROR or SERVICE_UNAVAILABLE.
	ErrorBody func(status int) []byte
}

// Faults injects deterministic faults. Which request fails is decided by a
// hash of (seed, method, path with query, attempt) where attempt counts how
// often this Faults has seen that exact (method, path with query), so the same
// sequence of requests per key meets the same faults whatever the client's
// concurrency. Failed and truncated shares are disjoint: a request draws one
// number u in [0,1) and fails when u < FailRate, is truncated when
// FailRate <= u < FailRate+TruncateRate.
type Faults struct {
	cfg      FaultConfig
	counters *Counters
	mu       sync.Mutex
	attempts map[string]uint32
}

// NewFaults returns fault injection counting into counters (a new Counters when nil).
func NewFaults(cfg FaultConfig, counters *Counters) *Faults {
	if counters == nil {
		counters = &Counters{}
	}
	return &Faults{cfg: cfg, counters: counters, attempts: map[string]uint32{}}
}

// Counters returns the counters this Faults counts into.
func (f *Faults) Counters() *Counters { return f.counters }

// Fault is the outcome of a fault decision.
type Fault int

// Fault outcomes.
const (
	FaultNone     Fault = iota // handled normally
	FaultFail500               // answered 500
	FaultFail503               // answered 503
	FaultTruncate              // body cut off mid-stream
)

// Decide returns the fault for the attempt-th (1-based) request of method and
// pathQuery (the request URI: path plus "?query" when present). It is a pure
// function of the configuration and its arguments.
func (f *Faults) Decide(method, pathQuery string, attempt uint32) Fault {
	if f.cfg.FailRate <= 0 && f.cfg.TruncateRate <= 0 {
		return FaultNone
	}
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(f.cfg.Seed))
	h.Write(b[:])
	h.Write([]byte(method))
	h.Write([]byte{0})
	h.Write([]byte(pathQuery))
	h.Write([]byte{0})
	binary.LittleEndian.PutUint32(b[:4], attempt)
	h.Write(b[:4])
	x := mix64(h.Sum64())
	u := float64(x>>11) / (1 << 53)
	switch {
	case u < f.cfg.FailRate:
		if mix64(x)&1 == 0 {
			return FaultFail500
		}
		return FaultFail503
	case u < f.cfg.FailRate+f.cfg.TruncateRate:
		return FaultTruncate
	}
	return FaultNone
}

// mix64 is the splitmix64 finalizer.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// next returns the attempt number of this (method, pathQuery), counting it.
func (f *Faults) next(method, pathQuery string) uint32 {
	key := method + " " + pathQuery
	f.mu.Lock()
	n := f.attempts[key] + 1
	f.attempts[key] = n
	f.mu.Unlock()
	return n
}

// Wrap returns next with latency and faults applied. Every request through it
// counts as a request in the Counters.
func (f *Faults) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.counters.requests.Add(1)
		if d := f.cfg.Latency; d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		fault := FaultNone
		if f.cfg.FailRate > 0 || f.cfg.TruncateRate > 0 {
			fault = f.Decide(r.Method, r.URL.RequestURI(), f.next(r.Method, r.URL.RequestURI()))
		}
		switch fault {
		case FaultFail500, FaultFail503:
			f.counters.failed.Add(1)
			status := http.StatusInternalServerError
			if fault == FaultFail503 {
				status = http.StatusServiceUnavailable
			}
			WriteRaw(w, status, f.errorBody(status))
		case FaultTruncate:
			f.counters.truncated.Add(1)
			bw := &bufferedWriter{header: http.Header{}, status: http.StatusOK}
			next.ServeHTTP(bw, r)
			body := bw.body.Bytes()
			for k, v := range bw.header {
				w.Header()[k] = v
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(bw.status)
			_, _ = w.Write(body[:len(body)/2])
			if fl, ok := w.(http.Flusher); ok {
				fl.Flush()
			}
			panic(http.ErrAbortHandler)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func (f *Faults) errorBody(status int) []byte {
	if f.cfg.ErrorBody != nil {
		return f.cfg.ErrorBody(status)
	}
	if status == http.StatusServiceUnavailable {
		return MustMarshal(NewErrorBody("SERVICE_UNAVAILABLE", "Service temporarily unavailable (injected fault)"))
	}
	return MustMarshal(NewErrorBody("INTERNAL_ERROR", "Internal server error (injected fault)"))
}

// bufferedWriter collects a reply so it can be cut off.
type bufferedWriter struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }

func (b *bufferedWriter) WriteHeader(status int) {
	if !b.wrote {
		b.status, b.wrote = status, true
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	b.wrote = true
	return b.body.Write(p)
}
