package extract

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadUnsized(t *testing.T) {
	body := func(n int) string { return strings.Repeat("0123456789abcdef", n/16+1)[:n] }
	errBoom := errors.New("boom")
	tests := []struct {
		name    string
		body    string
		reader  func(io.Reader) io.Reader
		limit   int64
		precap  int // capacity of the buffer before (a pooled buffer)
		prefix  string
		wantErr error
	}{
		{name: "empty", body: "", limit: 10},
		{name: "small in a pooled buffer", body: body(100), limit: 1 << 20, precap: 4096},
		{name: "small in a new buffer", body: body(100), limit: 1 << 20},
		{name: "exactly the pooled capacity", body: body(4096), limit: 1 << 20, precap: 4096},
		{name: "several chunks", body: body(3<<20 + 17), limit: 8 << 20, precap: 512},
		{name: "one byte at a time", body: body(70000), reader: iotest.OneByteReader, limit: 1 << 20},
		{name: "data with EOF", body: body(50000), reader: iotest.DataErrReader, limit: 1 << 20},
		{name: "half reads", body: body(90000), reader: iotest.HalfReader, limit: 1 << 20, precap: 1000},
		{name: "exactly the limit", body: body(40000), limit: 40000},
		{name: "over the limit", body: body(40001), limit: 40000},
		{name: "far over the limit", body: body(3 << 20), limit: 1 << 20, precap: 100},
		{name: "existing content kept", body: body(50000), limit: 1 << 20, prefix: "xyz"},
		{name: "error mid-body", body: body(100000), reader: func(r io.Reader) io.Reader {
			return io.MultiReader(io.LimitReader(r, 60000), iotest.ErrReader(errBoom))
		}, limit: 1 << 20, wantErr: errBoom},
		{name: "truncated", body: body(100000), reader: func(r io.Reader) io.Reader {
			return io.MultiReader(io.LimitReader(r, 60000), iotest.ErrReader(io.ErrUnexpectedEOF))
		}, limit: 1 << 20, wantErr: io.ErrUnexpectedEOF},
		{name: "error in the pooled buffer", body: body(10), reader: func(r io.Reader) io.Reader { return iotest.TimeoutReader(r) }, limit: 1 << 20, precap: 4096},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf := bytes.NewBuffer(make([]byte, 0, max(tt.precap, len(tt.prefix))))
			buf.WriteString(tt.prefix)
			var r io.Reader = strings.NewReader(tt.body)
			if tt.reader != nil {
				r = tt.reader(r)
			}
			n, err := readUnsized(buf, io.LimitReader(r, tt.limit+1), tt.limit)
			if tt.wantErr != nil || tt.name == "error in the pooled buffer" {
				if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
					t.Fatalf("error %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := min(int64(len(tt.prefix)+len(tt.body)), int64(len(tt.prefix))+tt.limit+1)
			if n != want {
				t.Fatalf("read %d, want %d", n, want)
			}
			if n > tt.limit {
				if int64(buf.Cap()) > max(int64(tt.precap), int64(len(tt.prefix))) {
					t.Errorf("buffer grew to %d for a body over the limit", buf.Cap())
				}
				return
			}
			if got := buf.String(); got != tt.prefix+tt.body {
				t.Errorf("content differs: %d bytes, want %d", len(got), len(tt.prefix)+len(tt.body))
			}
		})
	}
}

// TestReadUnsizedOverLimitMemory: a body over the limit costs about the
// limit in allocations, not several times it.
func TestReadUnsizedOverLimitMemory(t *testing.T) {
	const limit = 16 << 20
	src := io.LimitReader(zeros{}, 1<<30)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	n, err := readUnsized(new(bytes.Buffer), io.LimitReader(src, limit+1), limit)
	runtime.ReadMemStats(&after)
	if err != nil || n != limit+1 {
		t.Fatalf("read %d, %v", n, err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > limit+limit/2 {
		t.Errorf("allocated %d MiB for a %d MiB limit", got>>20, limit>>20)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
