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
	junk      [len(junkNames)]atomic.Int64 // by kind
	tokens    atomic.Int64
}

// FaultReport is the reply of GET /_sandbox/faults.
type FaultReport struct {
	Requests   int64 `json:"requests"`       // requests that reached fault injection plus those throttled before it
	Failed     int64 `json:"failed"`         // answered 500 or 503 by fault injection
	Truncated  int64 `json:"truncated"`      // bodies cut off mid-stream
	Throttled  int64 `json:"throttled"`      // answered 429 by the limiter
	Junk       int64 `json:"junk,omitempty"` // 200 replies whose body was replaced by junk
	JunkCounts       // the junk replies by kind (flat: junk_not_json, ...)
	Tokens     int64 `json:"tokens,omitempty"` // access tokens issued (see CountToken)
}

// JunkCounts counts junk replies by kind (see Junk).
type JunkCounts struct {
	NotJSON     int64 `json:"junk_not_json,omitempty"`
	WrongTypes  int64 `json:"junk_wrong_types,omitempty"`
	MissingIDs  int64 `json:"junk_missing_ids,omitempty"`
	HugeString  int64 `json:"junk_huge_string,omitempty"`
	DeepNesting int64 `json:"junk_deep_nesting,omitempty"`
}

// Of returns the count of one kind.
func (c JunkCounts) Of(j Junk) int64 {
	switch j {
	case JunkNotJSON:
		return c.NotJSON
	case JunkWrongTypes:
		return c.WrongTypes
	case JunkMissingIDs:
		return c.MissingIDs
	case JunkHugeString:
		return c.HugeString
	case JunkDeepNesting:
		return c.DeepNesting
	}
	return 0
}

// Report returns the counts so far.
func (c *Counters) Report() FaultReport {
	r := FaultReport{
		Requests:  c.requests.Load(),
		Failed:    c.failed.Load(),
		Truncated: c.truncated.Load(),
		Throttled: c.throttled.Load(),
		Tokens:    c.tokens.Load(),
	}
	k := &r.JunkCounts
	k.NotJSON, k.WrongTypes, k.MissingIDs = c.junk[JunkNotJSON].Load(), c.junk[JunkWrongTypes].Load(), c.junk[JunkMissingIDs].Load()
	k.HugeString, k.DeepNesting = c.junk[JunkHugeString].Load(), c.junk[JunkDeepNesting].Load()
	r.Junk = k.NotJSON + k.WrongTypes + k.MissingIDs + k.HugeString + k.DeepNesting
	return r
}

// CountToken counts one access token issued (a sandbox's token endpoint
// calls it), so tests can see refreshes forced by a short token lifetime.
func (c *Counters) CountToken() { c.tokens.Add(1) }

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
	// JunkRate is the share of GET replies whose successful (2xx) body is
	// replaced by junk (0-1; see Junk); error replies pass unchanged.
	JunkRate float64
	// JunkKinds are the kinds of junk to draw from (nil: AllJunk).
	JunkKinds []Junk
	// HugeString is the length of a JunkHugeString string (0: HugeStringSize).
	HugeString int
	// ErrorBody builds the body of an injected failure; nil gives an ErrorBody
	// with code INTERNAL_ERROR or SERVICE_UNAVAILABLE.
	ErrorBody func(status int) []byte
}

// Faults injects deterministic faults. Which request fails is decided by a
// hash of (seed, method, path with query, attempt) where attempt counts how
// often this Faults has seen that exact (method, path with query), so the same
// sequence of requests per key meets the same faults whatever the client's
// concurrency. Failed, truncated and junk shares are disjoint: a request
// draws one number u in [0,1) and fails when u < FailRate, is truncated when
// FailRate <= u < FailRate+TruncateRate, and gets junk (GET only) when
// FailRate+TruncateRate <= u < FailRate+TruncateRate+JunkRate.
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
	FaultJunk                  // a 2xx body replaced by junk (see DecideJunk for the kind)
)

// Decide returns the fault for the attempt-th (1-based) request of method and
// pathQuery (the request URI: path plus "?query" when present). It is a pure
// function of the configuration and its arguments.
func (f *Faults) Decide(method, pathQuery string, attempt uint32) Fault {
	fault, _ := f.decide(method, pathQuery, attempt)
	return fault
}

// DecideJunk returns the junk kind for a request Decide answers FaultJunk
// (0 otherwise). It is a pure function of the configuration and its arguments.
func (f *Faults) DecideJunk(method, pathQuery string, attempt uint32) Junk {
	fault, x := f.decide(method, pathQuery, attempt)
	if fault != FaultJunk {
		return 0
	}
	kinds := f.cfg.JunkKinds
	if len(kinds) == 0 {
		kinds = AllJunk
	}
	return kinds[mix64(x^0x6a756e6b)%uint64(len(kinds))]
}

func (f *Faults) enabled() bool {
	return f.cfg.FailRate > 0 || f.cfg.TruncateRate > 0 || f.cfg.JunkRate > 0
}

func (f *Faults) decide(method, pathQuery string, attempt uint32) (Fault, uint64) {
	if !f.enabled() {
		return FaultNone, 0
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
			return FaultFail500, x
		}
		return FaultFail503, x
	case u < f.cfg.FailRate+f.cfg.TruncateRate:
		return FaultTruncate, x
	case u < f.cfg.FailRate+f.cfg.TruncateRate+f.cfg.JunkRate && method == http.MethodGet:
		return FaultJunk, x
	}
	return FaultNone, x
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
		fault, kind := FaultNone, Junk(0)
		if f.enabled() {
			attempt := f.next(r.Method, r.URL.RequestURI())
			fault = f.Decide(r.Method, r.URL.RequestURI(), attempt)
			if fault == FaultJunk {
				kind = f.DecideJunk(r.Method, r.URL.RequestURI(), attempt)
			}
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
		case FaultJunk:
			bw := &bufferedWriter{header: http.Header{}, status: http.StatusOK}
			next.ServeHTTP(bw, r)
			for k, v := range bw.header {
				w.Header()[k] = v
			}
			body := bw.body.Bytes()
			if bw.status >= 200 && bw.status < 300 {
				var ct string
				body, ct, kind = MakeJunk(kind, body, uint64(f.cfg.Seed)^uint64(len(body)), f.cfg.HugeString)
				f.counters.junk[kind].Add(1)
				w.Header().Set("Content-Type", ct)
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(bw.status)
			_, _ = w.Write(body)
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
