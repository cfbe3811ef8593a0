package e2e

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/atslake/atslake/extract"
)

const gib = 1 << 30

// hugeBody serves a 1 GiB body of one repeated byte (spaces: valid JSON
// padding; '[': the start of deep nesting), streamed chunked or with its
// length announced, and counts the bytes it managed to write.
type hugeBody struct {
	fill     byte
	announce bool
	written  atomic.Int64
}

func (h *hugeBody) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if h.announce {
		w.Header().Set("Content-Length", strconv.Itoa(gib))
	}
	w.WriteHeader(http.StatusOK)
	chunk := bytes.Repeat([]byte{h.fill}, 256<<10)
	for sent := 0; sent < gib; sent += len(chunk) {
		n, err := w.Write(chunk)
		h.written.Add(int64(n))
		if err != nil {
			return // the client hung up
		}
	}
}

// TestHugeBodyBoundedMemory: a source answering with a 1 GiB body makes the
// client fail with ErrBodyTooLarge after reading at most its limit, without
// the heap growing with the body (measured in this process) and without
// reading the rest off the wire. Not parallel: the heap is measured.
func TestHugeBodyBoundedMemory(t *testing.T) {
	for _, tc := range []struct {
		name     string
		fill     byte
		announce bool
		limit    int64 // 0: the client's default (64 MiB)
	}{
		{"spaces chunked", ' ', false, 8 << 20},
		{"brackets chunked", '[', false, 8 << 20},
		{"spaces announced", ' ', true, 8 << 20},
		{"spaces chunked default limit", ' ', false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &hugeBody{fill: tc.fill, announce: tc.announce}
			srv := httptest.NewServer(h)
			defer srv.Close()
			opts := []extract.Option{extract.WithRetries(0)}
			limit := int64(extract.DefaultMaxBodySize)
			if tc.limit > 0 {
				opts = append(opts, extract.WithMaxBodySize(tc.limit))
				limit = tc.limit
			}
			c, err := extract.New(srv.URL, opts...)
			if err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			var out any
			err = c.GetJSON(t.Context(), "/huge", "/huge", nil, &out)
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			allocated := int64(after.TotalAlloc - before.TotalAlloc)
			peak := int64(after.HeapSys) - int64(before.HeapSys)
			srv.CloseClientConnections()
			t.Logf("%s: %v after %v; client read %d MiB, allocated %d MiB, heap grew %d MiB; server wrote %d MiB",
				tc.name, err, elapsed.Round(time.Millisecond), c.Stats().Bytes>>20, allocated>>20, peak>>20, h.written.Load()>>20)
			if !errors.Is(err, extract.ErrBodyTooLarge) {
				t.Fatalf("error %v, want ErrBodyTooLarge", err)
			}
			if got := c.Stats().Bytes; got > limit+1 {
				t.Errorf("read %d bytes with a limit of %d", got, limit)
			}
			// A body of unknown length is read in chunks and only assembled
			// once it fits: about the limit allocated, never the 1 GiB.
			if allocated > limit+limit/2+(4<<20) {
				t.Errorf("allocated %d MiB for a body limited to %d MiB", allocated>>20, limit>>20)
			}
			if w := h.written.Load(); w > limit+(256<<20) {
				t.Errorf("the server wrote %d MiB: the client kept reading past its limit", w>>20)
			}
		})
	}
}

// TestHugeBodySync: the same through the binary. A Phenom source whose jobs
// list streams 1 GiB fails the sync (exit 1, "too large" on stderr) with
// the process's peak memory far below the body's size, and leaves no data.
func TestHugeBodySync(t *testing.T) {
	t.Parallel()
	h := &hugeBody{fill: ' '}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"accessToken":"opaque-token","token_type":"Bearer","expires_in":3600}`)
	})
	mux.Handle("GET /jobs-api/v1/jobs", h)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	dir := t.TempDir()
	cfg := writeConfig(t, dir, conn{id: "huge", sb: &sandbox{URL: srv.URL, connector: "phenom"}})
	res := runSync(t, cfg)
	t.Logf("exit %d in %v, peak RSS %d MiB, server wrote %d MiB", res.code, res.elapsed.Round(time.Millisecond), res.maxRSS>>20, h.written.Load()>>20)
	if res.code != 1 || !strings.Contains(res.stderr, "too large") || !strings.Contains(res.stderr, "huge") {
		t.Fatalf("want a failed run naming the connection and the size: %v", res)
	}
	if res.maxRSS == 0 {
		t.Skip("no peak RSS on this system")
	}
	limit := int64(extract.DefaultMaxBodySize)
	if raceEnabled {
		limit *= 4 // the race detector's shadow memory
	}
	if res.maxRSS > 2*limit+(150<<20) {
		t.Errorf("peak RSS %d MiB for a body limit of %d MiB", res.maxRSS>>20, extract.DefaultMaxBodySize>>20)
	}
	if w := h.written.Load(); w > gib/2 {
		t.Errorf("the server wrote %d MiB: the sync read the body past its limit", w>>20)
	}
	if got := globState(t, filepath.Join(dir, "lake"), "huge"); len(got) > 0 {
		for table, rows := range got {
			if len(rows) > 0 {
				t.Errorf("%s: %d rows from a failed run", table, len(rows))
			}
		}
	}
}
