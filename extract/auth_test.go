package extract

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// oauthServer is a token endpoint: it checks the client credentials form and
// hands out tok1, tok2, ... with the given reply extras.
type oauthServer struct {
	calls   atomic.Int64
	delay   time.Duration
	status  int    // non-200 reply when set
	extra   string // JSON members after access_token
	lastErr atomic.Value
}

func (s *oauthServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.calls.Add(1)
	if s.delay > 0 {
		time.Sleep(s.delay)
	}
	if err := r.ParseForm(); err != nil || r.Method != http.MethodPost ||
		r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" ||
		r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("client_id") != "id-1" ||
		r.PostForm.Get("client_secret") != "s3cr3t-value" || r.Header.Get("Authorization") != "" {
		s.lastErr.Store(fmt.Sprintf("bad token request: %s %v %v", r.Method, r.Header, r.PostForm))
		reply(400, `{"message":"bad request"}`)(w, r)
		return
	}
	if s.status != 0 {
		reply(s.status, `{"message":"invalid client"}`)(w, r)
		return
	}
	extra := s.extra
	if extra == "" {
		extra = `"token_type":"bearer","expires_in":3600`
	}
	reply(200, fmt.Sprintf(`{"access_token":"tok%d",%s}`, n, extra))(w, r)
}

func newOAuth(t *testing.T, s *oauthServer) (*CachedToken, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(func() {
		srv.Close()
		if v := s.lastErr.Load(); v != nil {
			t.Error(v)
		}
	})
	return OAuthClientCredentials(srv.URL+"/identity/oauth/token", "id-1", "s3cr3t-value",
		WithHTTPClient(srv.Client()), WithBackoff(time.Millisecond, time.Millisecond), WithLogger(discardLogger)), srv
}

func authHeader(t *testing.T, a Authenticator) (string, error) {
	t.Helper()
	req := httptest.NewRequest("GET", "/", nil)
	err := a.Authorize(t.Context(), req)
	return req.Header.Get("Authorization"), err
}

func TestOAuthCachesToken(t *testing.T) {
	s := &oauthServer{}
	tok, _ := newOAuth(t, s)
	for range 3 {
		h, err := authHeader(t, tok)
		if err != nil || h != "Bearer tok1" {
			t.Fatalf("Authorization %q, err %v", h, err)
		}
	}
	if s.calls.Load() != 1 {
		t.Errorf("%d token calls, want 1", s.calls.Load())
	}
	tok.Invalidate()
	if h, err := authHeader(t, tok); err != nil || h != "Bearer tok2" {
		t.Errorf("after Invalidate: Authorization %q, err %v", h, err)
	}
	if v, err := tok.Token(t.Context()); err != nil || v != "tok2" {
		t.Errorf("Token() = %q, %v", v, err)
	}
}

func TestOAuthSingleFlight(t *testing.T) {
	s := &oauthServer{delay: 50 * time.Millisecond}
	tok, _ := newOAuth(t, s)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if h, err := authHeader(t, tok); err != nil || h != "Bearer tok1" {
				t.Errorf("Authorization %q, err %v", h, err)
			}
		})
	}
	wg.Wait()
	if s.calls.Load() != 1 || tok.Fetches() != 1 {
		t.Errorf("%d token calls (%d fetches), want 1", s.calls.Load(), tok.Fetches())
	}
}

func TestOAuthReplies(t *testing.T) {
	tests := []struct {
		name    string
		extra   string
		status  int
		wantErr error
	}{
		{name: "expires_in as string", extra: `"token_type":"Bearer","expires_in":"120"`},
		{name: "no expiry", extra: `"token_type":"bearer"`},
		{name: "401", status: 401, wantErr: ErrUnauthorized},
		{name: "wrong token type", extra: `"token_type":"mac","expires_in":60`, wantErr: ErrMalformed},
		{name: "bad expires_in", extra: `"expires_in":"soon"`, wantErr: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &oauthServer{extra: tt.extra, status: tt.status}
			tok, _ := newOAuth(t, s)
			h, err := authHeader(t, tok)
			if tt.wantErr == nil {
				if err != nil || h != "Bearer tok1" {
					t.Fatalf("Authorization %q, err %v", h, err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), "tok1") {
				t.Errorf("error %q shows a secret", err)
			}
			if tt.status == 401 && s.calls.Load() != 1 {
				t.Errorf("%d token calls, want 1 (a 401 is not retried)", s.calls.Load())
			}
		})
	}
}

func TestOAuthEmptyAccessToken(t *testing.T) {
	srv := httptest.NewServer(reply(200, `{"access_token":"","expires_in":60}`))
	defer srv.Close()
	tok := OAuthClientCredentials(srv.URL, "a", "b")
	if _, err := authHeader(t, tok); !errors.Is(err, ErrMalformed) {
		t.Errorf("err = %v, want ErrMalformed", err)
	}
}

func TestOAuthBadURL(t *testing.T) {
	tok := OAuthClientCredentials("not a url", "a", "b")
	if _, err := authHeader(t, tok); err == nil {
		t.Error("no error for a bad token URL")
	}
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestCachedTokenRefreshBeforeExpiry(t *testing.T) {
	tests := []struct {
		name      string
		lifetime  time.Duration
		reuse     time.Duration // still cached this long after the fetch
		refreshed time.Duration // refetched this long after
	}{
		{name: "long-lived: 30s early", lifetime: time.Hour, reuse: time.Hour - 31*time.Second, refreshed: time.Hour - 29*time.Second},
		{name: "short-lived: 10% early", lifetime: 100 * time.Second, reuse: 89 * time.Second, refreshed: 91 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &fakeClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
			var n atomic.Int64
			ct := NewCachedToken(func(ctx context.Context) (string, time.Time, error) {
				return fmt.Sprintf("t%d", n.Add(1)), clock.Now().Add(tt.lifetime), nil
			})
			ct.now = clock.Now
			start := clock.Now()
			if h, _ := authHeader(t, ct); h != "Bearer t1" {
				t.Fatalf("first: %q", h)
			}
			clock.Add(tt.reuse)
			if h, _ := authHeader(t, ct); h != "Bearer t1" {
				t.Errorf("after %v: %q, want the cached t1", clock.Now().Sub(start), h)
			}
			clock.Add(tt.refreshed - tt.reuse)
			if h, _ := authHeader(t, ct); h != "Bearer t2" {
				t.Errorf("after %v: %q, want a refreshed t2", clock.Now().Sub(start), h)
			}
		})
	}
}

func TestCachedTokenRefreshFailureKeepsValidToken(t *testing.T) {
	clock := &fakeClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	var fail atomic.Bool
	ct := NewCachedToken(func(ctx context.Context) (string, time.Time, error) {
		if fail.Load() {
			return "", time.Time{}, errors.New("token endpoint down")
		}
		return "t1", clock.Now().Add(time.Hour), nil
	})
	ct.now = clock.Now
	if h, err := authHeader(t, ct); err != nil || h != "Bearer t1" {
		t.Fatal(h, err)
	}
	fail.Store(true)
	clock.Add(time.Hour - 10*time.Second) // due for refresh, not expired
	if h, err := authHeader(t, ct); err != nil || h != "Bearer t1" {
		t.Errorf("refresh failure before expiry: %q, %v; want the cached token", h, err)
	}
	clock.Add(20 * time.Second) // expired
	if _, err := authHeader(t, ct); err == nil || !strings.Contains(err.Error(), "token endpoint down") {
		t.Errorf("refresh failure after expiry: err = %v", err)
	}
}

// A caller that gives up while fetching does not fail the others.
func TestCachedTokenLeaderCancelled(t *testing.T) {
	started := make(chan struct{}, 2)
	var n atomic.Int64
	ct := NewCachedToken(func(ctx context.Context) (string, time.Time, error) {
		i := n.Add(1)
		started <- struct{}{}
		if i == 1 {
			<-ctx.Done()
			return "", time.Time{}, ctx.Err()
		}
		return "t2", time.Time{}, nil
	})
	leaderCtx, cancel := context.WithCancel(t.Context())
	leaderErr := make(chan error, 1)
	go func() { leaderErr <- ct.Authorize(leaderCtx, httptest.NewRequest("GET", "/", nil)) }()
	<-started
	followerErr := make(chan error, 1)
	var h string
	go func() {
		req := httptest.NewRequest("GET", "/", nil)
		err := ct.Authorize(t.Context(), req)
		h = req.Header.Get("Authorization")
		followerErr <- err
	}()
	time.Sleep(10 * time.Millisecond) // let the follower wait on the flight
	cancel()
	if err := <-leaderErr; !errors.Is(err, context.Canceled) {
		t.Errorf("leader: %v", err)
	}
	if err := <-followerErr; err != nil || h != "Bearer t2" {
		t.Errorf("follower: %q, %v", h, err)
	}
}

func TestInvalidateIfCurrent(t *testing.T) {
	var n atomic.Int64
	ct := NewCachedToken(countingFetch(&n, 0))
	h1, _ := authHeader(t, ct)
	ct.invalidateIfCurrent([]string{"Bearer stale"})
	if h, _ := authHeader(t, ct); h != h1 {
		t.Errorf("a stale 401 dropped the current token: %q -> %q", h1, h)
	}
	ct.invalidateIfCurrent([]string{h1})
	if h, _ := authHeader(t, ct); h != "Bearer t2" {
		t.Errorf("after a 401 with the current token: %q, want Bearer t2", h)
	}
}

// End to end: an API behind OAuth, a token rejected once, then accepted.
func TestOAuthClientEndToEnd(t *testing.T) {
	s := &oauthServer{}
	tok, _ := newOAuth(t, s)
	api := &script{steps: []http.HandlerFunc{reply(401, `{"message":"expired"}`), bearerAPI("tok2")}}
	c, _ := newTestClient(t, api, WithAuth(tok), WithRateLimit(10, time.Second))
	var got job
	if err := c.GetJSON(t.Context(), "/jobs/{jobId}", "/jobs/j1", nil, &got); err != nil || got.ID != "j1" {
		t.Fatalf("GetJSON: %v (%+v)", err, got)
	}
	if s.calls.Load() != 2 || api.requests() != 2 {
		t.Errorf("%d token calls and %d API requests, want 2 and 2", s.calls.Load(), api.requests())
	}
}

// During an early refresh, other callers keep using the unexpired token.
func TestCachedTokenEarlyRefreshDoesNotBlock(t *testing.T) {
	clock := &fakeClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	release := make(chan struct{})
	var n atomic.Int64
	ct := NewCachedToken(func(ctx context.Context) (string, time.Time, error) {
		i := n.Add(1)
		if i == 2 {
			<-release
		}
		return fmt.Sprintf("t%d", i), clock.Now().Add(time.Hour), nil
	})
	ct.now = clock.Now
	if h, _ := authHeader(t, ct); h != "Bearer t1" {
		t.Fatal(h)
	}
	clock.Add(time.Hour - 10*time.Second)
	refreshed := make(chan string)
	go func() { h, _ := authHeader(t, ct); refreshed <- h }()
	waitFor(t, func() bool { return n.Load() == 2 })
	if h, err := authHeader(t, ct); err != nil || h != "Bearer t1" {
		t.Errorf("during the refresh: %q, %v; want the current t1", h, err)
	}
	close(release)
	if h := <-refreshed; h != "Bearer t2" {
		t.Errorf("refreshing caller got %q, want t2", h)
	}
}

func TestOAuthMalformedReplyDoesNotQuoteToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"access_token": "secret-token-abcdef", "expires_in": "soon"`))
	}))
	defer srv.Close()
	a := OAuthClientCredentials(srv.URL+"/token", "id", "client-secret-xyz")
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	err := a.Authorize(context.Background(), req)
	if err == nil {
		t.Fatal("malformed token reply accepted")
	}
	if strings.Contains(err.Error(), "secret-token") || strings.Contains(err.Error(), "client-secret-xyz") {
		t.Fatalf("error quotes a credential: %v", err)
	}
}
