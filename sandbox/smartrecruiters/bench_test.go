package smartrecruiters

import (
	"net/http/httptest"
	"runtime"
	"testing"
)

// go test -run '^$' -bench . -benchmem ./sandbox/smartrecruiters/

func BenchmarkNewScale20000(b *testing.B) {
	b.ReportAllocs()
	var s *Server
	for b.Loop() {
		var err error
		if s, err = New(cfgOf(1, 20000, 0, nil)); err != nil {
			b.Fatal(err)
		}
	}
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapInuse)/(1<<20), "heapMB") // retained by one server
	runtime.KeepAlive(s)
}

func BenchmarkAdvanceScale20000(b *testing.B) {
	s := newServer(b, cfgOf(1, 20000, 0, nil))
	for b.Loop() {
		s.Advance()
	}
}

func BenchmarkTruthScale20000(b *testing.B) {
	s := newServer(b, cfgOf(1, 20000, 0, nil))
	for b.Loop() {
		s.Truth()
	}
}

// BenchmarkServe measures the handler cost of the requests a full sync makes
// (a candidate page, a candidate, its application calls, a job).
func BenchmarkServe(b *testing.B) {
	s := newServer(b, cfgOf(1, 20000, 0, nil))
	c := s.w.cands[len(s.w.cands)/2]
	a := c.Apps[0]
	base := "/candidates/" + c.ID + "/jobs/" + a.job.ID
	paths := []string{
		"/candidates?limit=100&pageId=" + encodeCursor(c.ID), "/candidates/" + c.ID, base, base + "/status/history",
		base + "/screening-answers", base + "/properties", base + "/offers",
		"/interviews-api/v201904/interviews?applicationId=" + a.ID, "/jobs/" + a.job.ID,
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		req := httptest.NewRequest("GET", paths[i%len(paths)], nil)
		req.Header.Set("X-SmartToken", "sandbox-token")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%s: %d", paths[i%len(paths)], rec.Code)
		}
		i++
	}
}
