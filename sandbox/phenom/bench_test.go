package phenom

import (
	"net/http/httptest"
	"testing"
)

func BenchmarkNew(b *testing.B) {
	for _, scale := range []int{1000, 100000} {
		b.Run(itoa(scale), func(b *testing.B) {
			for b.Loop() {
				if _, err := New(Config{Seed: 1, Scale: scale, Epoch: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkApplicationsPage(b *testing.B) {
	s, err := New(Config{Seed: 1, Scale: 10000})
	if err != nil {
		b.Fatal(err)
	}
	tok, _, _ := s.tokens.issue(DefaultClientID)
	req := httptest.NewRequest("GET", pathApplications+"?offset=5000&limit=100", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	for b.Loop() {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}
