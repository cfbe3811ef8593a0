package transform

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
)

func TestAppendIDMatchesID(t *testing.T) {
	var scratch []byte
	cases := []struct{ conn, table, remote string }{
		{"acme", "jobs", "42"},
		{"", "", ""},
		{"demo-smartrecruiters", "applications", "c1:j1"},
		{"x", "tags", strings.Repeat("é", 300)},
	}
	for i := 0; i < 2000; i++ {
		cases = append(cases, struct{ conn, table, remote string }{"c", "t", fmt.Sprint(i)})
	}
	for _, c := range cases {
		var got []byte
		got, scratch = AppendID(nil, scratch, c.conn, c.table, []byte(c.remote))
		if want := ID(c.conn, c.table, c.remote); string(got) != want {
			t.Fatalf("AppendID(%q,%q,%q) = %s, ID = %s", c.conn, c.table, c.remote, got, want)
		}
	}
}

func TestBase58IDLeadingZeros(t *testing.T) {
	for _, sum := range [][32]byte{
		{},
		{0, 0, 0, 1},
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		sha256.Sum256([]byte("x")),
	} {
		got := string(appendBase58ID(nil, &sum))
		if want := Base58(sum[:])[:IDLen]; got != want {
			t.Errorf("appendBase58ID(%x) = %s, want %s", sum, got, want)
		}
	}
}

func BenchmarkAppendID(b *testing.B) {
	var dst, scratch []byte
	rid := []byte("3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b:7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928")
	b.ReportAllocs()
	for b.Loop() {
		dst, scratch = AppendID(dst[:0], scratch, "demo-smartrecruiters", "applications", rid)
	}
}

func BenchmarkID(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = ID("demo-smartrecruiters", "applications", "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b:7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928")
	}
}
