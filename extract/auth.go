package extract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// APIKey returns an Authenticator that sends key in header (e.g.
// "X-SmartToken"). Invalidate does nothing: a static key cannot be refreshed.
func APIKey(header, key string) Authenticator {
	return apiKey{header: http.CanonicalHeaderKey(header), value: []string{key}}
}

type apiKey struct {
	header string
	value  []string // shared by all requests; never modified
}

func (a apiKey) Authorize(_ context.Context, req *http.Request) error {
	req.Header[a.header] = a.value
	return nil
}

func (apiKey) Invalidate() {}

// TokenFetcher obtains a new access token and its expiry (zero when unknown:
// the token is then used until Invalidate).
type TokenFetcher func(ctx context.Context) (token string, expiry time.Time, err error)

// CachedToken is an Authenticator sending "Authorization: Bearer <token>" with
// a token it caches: it fetches one on first use, refreshes it shortly before
// its expiry (30 s, or a tenth of its lifetime when shorter), and drops it on
// Invalidate. Concurrent callers share one fetch; while an early refresh is
// under way the others keep using the unexpired token. When a refresh fails
// while the cached token has not expired yet, the cached token is still used.
type CachedToken struct {
	fetch TokenFetcher
	now   func() time.Time

	mu        sync.Mutex
	header    []string // {"Bearer <token>"}; nil when none is cached
	expiry    time.Time
	refreshAt time.Time // zero: never
	flight    *tokenFlight
	fetches   int64
}

type tokenFlight struct {
	done chan struct{}
	err  error
}

// NewCachedToken returns a CachedToken that gets its tokens from fetch (for
// example a source's own token call).
func NewCachedToken(fetch TokenFetcher) *CachedToken {
	return &CachedToken{fetch: fetch, now: time.Now}
}

// Authorize sets the Authorization header, fetching a token when none is
// cached or the cached one is due for refresh.
func (t *CachedToken) Authorize(ctx context.Context, req *http.Request) error {
	h, err := t.current(ctx)
	if err != nil {
		return err
	}
	req.Header["Authorization"] = h
	return nil
}

// Token returns the current access token (fetching one when needed), for
// callers that send it some other way.
func (t *CachedToken) Token(ctx context.Context) (string, error) {
	h, err := t.current(ctx)
	if err != nil {
		return "", err
	}
	return strings.TrimPrefix(h[0], "Bearer "), nil
}

// Invalidate drops the cached token: the next Authorize fetches a new one.
func (t *CachedToken) Invalidate() {
	t.mu.Lock()
	t.header = nil
	t.mu.Unlock()
}

// invalidateIfCurrent drops the cached token only if sent is it, so a burst of
// 401s caused by one expired token leads to a single refresh.
func (t *CachedToken) invalidateIfCurrent(sent []string) {
	t.mu.Lock()
	if t.header != nil && len(sent) == 1 && sent[0] == t.header[0] {
		t.header = nil
	}
	t.mu.Unlock()
}

// Fetches returns how many token fetches were started so far.
func (t *CachedToken) Fetches() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.fetches
}

func (t *CachedToken) current(ctx context.Context) ([]string, error) {
	for {
		t.mu.Lock()
		now := t.now()
		if t.header != nil && (t.refreshAt.IsZero() || now.Before(t.refreshAt)) {
			h := t.header
			t.mu.Unlock()
			return h, nil
		}
		if f := t.flight; f != nil {
			if t.header != nil && now.Before(t.expiry) {
				h := t.header // being refreshed early: the current one still works
				t.mu.Unlock()
				return h, nil
			}
			t.mu.Unlock()
			select {
			case <-f.done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			if f.err != nil && !isContextError(f.err) {
				return nil, f.err
			}
			continue // success, or the fetching caller gave up: look again
		}
		f := &tokenFlight{done: make(chan struct{})}
		t.flight = f
		t.fetches++
		t.mu.Unlock()

		h, err := t.refresh(ctx)

		t.mu.Lock()
		t.flight = nil
		if err != nil && t.header != nil && t.now().Before(t.expiry) {
			h, err = t.header, nil // refresh failed early: keep the valid token
		}
		f.err = err
		t.mu.Unlock()
		close(f.done)
		return h, err
	}
}

// refresh calls fetch and stores its token.
func (t *CachedToken) refresh(ctx context.Context) ([]string, error) {
	tok, exp, err := t.fetch(ctx)
	if err != nil {
		return nil, fmt.Errorf("fetch token: %w", err)
	}
	if tok == "" {
		return nil, fmt.Errorf("fetch token: %w: empty access token", ErrMalformed)
	}
	h := []string{"Bearer " + tok}
	now := t.now()
	t.mu.Lock()
	t.header, t.expiry, t.refreshAt = h, exp, time.Time{}
	if !exp.IsZero() {
		skew := min(30*time.Second, exp.Sub(now)/10)
		t.refreshAt = exp.Add(-max(skew, 0))
	}
	t.mu.Unlock()
	return h, nil
}

func isContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// OAuthClientCredentials returns a CachedToken for SmartRecruiters-style OAuth
// client credentials: it POSTs the form
// grant_type=client_credentials&client_id=..&client_secret=.. to tokenURL and
// reads {"access_token", "token_type", "expires_in"}. opts configure the
// client that makes the token call (WithHTTPClient, WithRetries, WithBackoff,
// WithTimeout, WithLogger); it is not rate limited. A 401 from the token
// endpoint is an error matching ErrUnauthorized. The secret never appears in
// errors or logs.
func OAuthClientCredentials(tokenURL, clientID, clientSecret string, opts ...Option) *CachedToken {
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {clientID},
		"client_secret": {clientSecret},
	}
	var endpoint string
	c, err := New(tokenURL, opts...)
	if err == nil {
		endpoint = c.base.Path
	}
	return NewCachedToken(func(ctx context.Context) (string, time.Time, error) {
		if err != nil {
			return "", time.Time{}, fmt.Errorf("token URL: %w", err)
		}
		var reply struct {
			AccessToken string          `json:"access_token"`
			TokenType   string          `json:"token_type"`
			ExpiresIn   json.RawMessage `json:"expires_in"`
		}
		start := time.Now()
		if err := c.PostForm(ctx, endpoint, tokenURL, form, &reply); err != nil {
			return "", time.Time{}, err
		}
		if reply.AccessToken == "" {
			return "", time.Time{}, fmt.Errorf("POST %s: %w: no access_token", endpoint, ErrMalformed)
		}
		if reply.TokenType != "" && !strings.EqualFold(reply.TokenType, "bearer") {
			return "", time.Time{}, fmt.Errorf("POST %s: %w: token_type %.20q is not bearer", endpoint, ErrMalformed, reply.TokenType)
		}
		secs, ok := parseSeconds(reply.ExpiresIn)
		if !ok {
			return "", time.Time{}, fmt.Errorf("POST %s: %w: expires_in %.20q", endpoint, ErrMalformed, reply.ExpiresIn)
		}
		var exp time.Time
		if secs > 0 {
			exp = start.Add(time.Duration(secs * float64(time.Second)))
		}
		return reply.AccessToken, exp, nil
	})
}

// parseSeconds reads a lifetime in seconds given as a JSON number or a quoted
// number; absent or null is 0 (unknown).
func parseSeconds(raw json.RawMessage) (float64, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, true
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0, false
		}
		raw = []byte(strings.TrimSpace(s))
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || f != f || f > 1e9 {
		return 0, false
	}
	return f, true
}
