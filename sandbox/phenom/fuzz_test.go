package phenom

import (
	"strings"
	"testing"
	"time"
)

// FuzzVerify feeds arbitrary Authorization headers to token verification:
// it never panics and accepts nothing but the token it issued.
func FuzzVerify(f *testing.F) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tk := newTokens(time.Hour, func() time.Time { return now })
	valid, _, _ := tk.issue("sandbox-client")
	for _, s := range []string{"Bearer " + valid, "bearer " + valid, "Bearer", "Basic abc", "Bearer a.b.c", "Bearer " + valid + "x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		sub, err := tk.verify(header)
		if err != nil {
			return
		}
		_, tok, _ := strings.Cut(strings.TrimSpace(header), " ")
		if strings.TrimSpace(tok) != valid || sub != "sandbox-client" {
			t.Fatalf("accepted %q", header)
		}
	})
}

// FuzzPaging feeds arbitrary offset and limit texts to the paging parser.
func FuzzPaging(f *testing.F) {
	for _, s := range [][2]string{{"0", "100"}, {"", ""}, {"-1", "0"}, {"5", "101"}, {"x", "1e2"}, {"99999999999999999999", "1"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, offset, limit string) {
		o, l, err := paging(offset, limit)
		if err == nil && (o < 0 || l < 1 || l > maxLimit) {
			t.Fatalf("paging(%q, %q) = %d, %d", offset, limit, o, l)
		}
	})
}
