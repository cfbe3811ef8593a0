package extract

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// benchBody is a job-detail-sized reply (about 2 KB).
var benchBody = func() []byte {
	b, _ := json.Marshal(map[string]any{
		"id": "6c1a7c0e-0b4c-4d6a-9a43-1f1e8b2f9d11", "title": "Backend Engineer", "refNumber": "REF-1",
		"createdOn": "2024-02-01T08:54:57.000Z", "updatedOn": "2024-02-03T10:00:00.000Z",
		"location": map[string]any{"city": "Kraków", "country": "Poland", "remote": false},
		"jobAd": map[string]any{"sections": map[string]any{"jobDescription": map[string]string{
			"title": "Job description", "text": strings.Repeat("<p>We build things together.</p>", 50)}}},
	})
	return b
}()

func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", fmt.Sprint(len(benchBody)))
		w.Write(benchBody)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkGetJSON: one request at a time over loopback, no limits; the
// allocations include net/http's own.
func BenchmarkGetJSON(b *testing.B) {
	srv := benchServer(b)
	c, err := New(srv.URL, WithAuth(APIKey("X-SmartToken", "k")), WithHeader("Accept-Language", "en"))
	if err != nil {
		b.Fatal(err)
	}
	var out struct {
		ID    string          `json:"id"`
		JobAd json.RawMessage `json:"jobAd"`
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(benchBody)))
	for b.Loop() {
		if err := c.GetJSON(b.Context(), "/jobs/{jobId}", "/jobs/6c1a7c0e", nil, &out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetJSONParallel: many goroutines sharing one client with the
// SmartRecruiters concurrency cap.
func BenchmarkGetJSONParallel(b *testing.B) {
	srv := benchServer(b)
	c, err := New(srv.URL, WithConcurrency(8), WithAuth(APIKey("X-SmartToken", "k")))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(benchBody)))
	b.RunParallel(func(pb *testing.PB) {
		var out struct {
			ID    string          `json:"id"`
			JobAd json.RawMessage `json:"jobAd"`
		}
		for pb.Next() {
			if err := c.GetJSON(b.Context(), "/jobs/{jobId}", "/jobs/6c1a7c0e", nil, &out); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkRawHTTP is the floor: the same request with net/http alone.
func BenchmarkRawHTTP(b *testing.B) {
	srv := benchServer(b)
	hc := &http.Client{Transport: defaultTransport}
	var out struct {
		ID    string          `json:"id"`
		JobAd json.RawMessage `json:"jobAd"`
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(benchBody)))
	for b.Loop() {
		req, _ := http.NewRequestWithContext(b.Context(), "GET", srv.URL+"/jobs/6c1a7c0e", nil)
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
	}
}
