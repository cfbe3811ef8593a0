package extract

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestShortTokensOutliveTheRateWindow: a request waiting for the rate
// window must not carry a token taken before the wait. Tokens live 300 ms;
// one request per 400 ms is allowed, so the third request waits about
// 800 ms for its turn. Credentials taken before that wait would have
// expired on arrival (and again after the re-authorization retry).
func TestShortTokensOutliveTheRateWindow(t *testing.T) {
	const life = 300 * time.Millisecond
	var mu sync.Mutex
	issued := map[string]time.Time{}
	n := 0
	fetch := func(ctx context.Context) (string, time.Time, error) {
		mu.Lock()
		defer mu.Unlock()
		n++
		tok := fmt.Sprintf("tok-%d", n)
		now := time.Now()
		issued[tok] = now.Add(life)
		return tok, now.Add(life), nil
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		exp, ok := issued[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
		mu.Unlock()
		if !ok || !time.Now().Before(exp) {
			reply(401, `{"message":"Access token expired"}`)(w, r)
			return
		}
		ok200(w, r)
	})
	c, _ := newTestClient(t, h, WithAuth(NewCachedToken(fetch)), WithRateLimit(1, 400*time.Millisecond), WithRateMargin(time.Millisecond))
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Go(func() { errs[i] = c.GetJSON(t.Context(), "/jobs/{jobId}", "/jobs/j1", nil, nil) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("request %d: %v", i, err)
		}
	}
	if st := c.Stats(); st.Retries != 0 {
		t.Errorf("%d retries: a token expired while its request waited", st.Retries)
	}
}

func ok200(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{}`))
}
