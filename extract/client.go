package extract

// API CONTRACT (written first so connectors can code against it; bodies are
// filled in by the client work). Keep every exported signature below stable.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"
)

// Sentinel errors, checked with errors.Is.
var (
	// ErrUnauthorized: bad credentials (401 on the token call, or a 401 again after a token refresh).
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: 401/403 on one record (a per-record access error when the source says so).
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound: 404.
	ErrNotFound = errors.New("not found")
	// ErrBodyTooLarge: the body exceeded the configured maximum.
	ErrBodyTooLarge = errors.New("response body too large")
	// ErrMalformed: the body is not the JSON expected (syntax or shape).
	ErrMalformed = errors.New("malformed response")
	// ErrRetriesExhausted: a retryable failure (429, 5xx, network, truncated body) kept happening.
	ErrRetriesExhausted = errors.New("retries exhausted")
)

// HTTPError is a non-2xx reply. It matches the sentinels above with errors.Is
// (401 -> ErrUnauthorized, 403 -> ErrForbidden, 404 -> ErrNotFound).
type HTTPError struct {
	Method   string
	Endpoint string // path template, e.g. "/jobs/{jobId}"
	Path     string // actual path without query
	Status   int
	Message  string // the source's error message when its body had one
}

func (e *HTTPError) Error() string {
	if e.Message != "" {
		return fmt.Sprintf("%s %s: HTTP %d: %s", e.Method, e.Path, e.Status, e.Message)
	}
	return fmt.Sprintf("%s %s: HTTP %d", e.Method, e.Path, e.Status)
}

// Is maps status codes to sentinels.
func (e *HTTPError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized
	case ErrForbidden:
		return e.Status == http.StatusForbidden
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	}
	return false
}

// Authenticator adds credentials to requests.
type Authenticator interface {
	// Authorize sets the credentials on req (fetching or refreshing a token when needed).
	Authorize(ctx context.Context, req *http.Request) error
	// Invalidate drops a cached token after a 401 so the next Authorize fetches a new one.
	Invalidate()
}

// Stats is a snapshot of a client's counters.
type Stats struct {
	Requests  int64 // requests sent (each attempt counts)
	Retries   int64 // attempts after the first
	Throttled int64 // 429 replies received
	Failures  int64 // requests that failed for good
	Bytes     int64 // body bytes read
}

// Option configures a Client.
type Option func(*Client)

// WithAuth sets the authenticator (none by default).
func WithAuth(a Authenticator) Option { return func(c *Client) { c.auth = a } }

// WithHTTPClient sets the underlying *http.Client.
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithRateLimit allows at most n request starts in any sliding window of per
// (e.g. 10 per second); n <= 0 means unlimited.
func WithRateLimit(n int, per time.Duration) Option {
	return func(c *Client) { c.rateN, c.ratePer = n, per }
}

// WithConcurrency caps the requests in flight (0 = unlimited).
func WithConcurrency(n int) Option { return func(c *Client) { c.maxConc = n } }

// WithPathConcurrency caps the requests in flight to one exact path (e.g.
// "/candidates" with any query) at n.
func WithPathConcurrency(path string, n int) Option {
	return func(c *Client) {
		if c.pathConc == nil {
			c.pathConc = map[string]int{}
		}
		c.pathConc[path] = n
	}
}

// WithRetries sets how many times a retryable failure is retried (default 8).
func WithRetries(n int) Option { return func(c *Client) { c.retries = n } }

// WithBackoff sets the first and the largest backoff delay (defaults 200ms, 30s).
func WithBackoff(first, max time.Duration) Option {
	return func(c *Client) { c.backoffFirst, c.backoffMax = first, max }
}

// WithTimeout sets the timeout of one attempt, body included (default 60s).
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.timeout = d } }

// WithMaxBodySize sets the largest body read (default 64 MiB).
func WithMaxBodySize(n int64) Option { return func(c *Client) { c.maxBody = n } }

// WithHeader adds a header to every request (e.g. Accept-Language).
func WithHeader(key, value string) Option {
	return func(c *Client) {
		if c.headers == nil {
			c.headers = http.Header{}
		}
		c.headers.Add(key, value)
	}
}

// WithLogger sets the logger for retries and throttling (never logs credentials).
func WithLogger(l *slog.Logger) Option { return func(c *Client) { c.log = l } }

// Client is an HTTP client for one credential of one source. It is safe for
// concurrent use; its limits apply across all goroutines using it.
type Client struct {
	base         *url.URL
	http         *http.Client
	auth         Authenticator
	rateN        int
	ratePer      time.Duration
	maxConc      int
	pathConc     map[string]int
	retries      int
	backoffFirst time.Duration
	backoffMax   time.Duration
	timeout      time.Duration
	maxBody      int64
	headers      http.Header
	log          *slog.Logger
	impl         clientState
}

// New returns a client for baseURL (scheme and host, optionally a path prefix).
func New(baseURL string, opts ...Option) (*Client, error) {
	panic("not implemented")
}

// GetJSON sends GET base+path?query and decodes the JSON body into out
// (typically a struct with json.RawMessage fields, to keep objects as received).
// endpoint is the path template used in errors, logs and stats. Retries 429
// (honouring Retry-After), 5xx, network errors, timeouts and truncated bodies
// with exponential backoff and jitter; a body is decoded only once it was read
// completely, so a truncated body is never half-parsed.
func (c *Client) GetJSON(ctx context.Context, endpoint, path string, query url.Values, out any) error {
	panic("not implemented")
}

// PostForm sends POST with a form body (token endpoints) and decodes the JSON reply into out.
// It applies retries but not the rate and concurrency limits, and sends no Authenticator credentials.
func (c *Client) PostForm(ctx context.Context, endpoint, rawURL string, form url.Values, out any) error {
	panic("not implemented")
}

// Stats returns the client's counters so far.
func (c *Client) Stats() Stats {
	panic("not implemented")
}
