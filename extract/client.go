package extract

// API CONTRACT (written first so connectors can code against it; bodies are
// filled in by the client work). Keep every exported signature below stable.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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
	rateMargin   time.Duration
	impl         clientState
}

// WithRateMargin sets the safety margin added to the rate window (default
// 15ms): the server counts arrivals, which trail the client's starts slightly.
// Each 429 received widens the margin by this much, up to a tenth of the window.
func WithRateMargin(d time.Duration) Option { return func(c *Client) { c.rateMargin = d } }

// Defaults of a new Client.
const (
	DefaultRetries      = 8
	DefaultBackoffFirst = 200 * time.Millisecond
	DefaultBackoffMax   = 30 * time.Second
	DefaultTimeout      = 60 * time.Second
	DefaultMaxBodySize  = 64 << 20
)

// maxErrorBody bounds how much of a non-2xx body is read for its message.
const maxErrorBody = 64 << 10

// maxRetryAfter caps a Retry-After hint (a protection against absurd values).
const maxRetryAfter = time.Hour

// errAttemptTimeout is the cause of an attempt that ran out of its own time
// (kept distinct from context.DeadlineExceeded, which means the caller's ctx).
var errAttemptTimeout = errors.New("attempt timed out")

// errTruncated is the cause of a body that ended early.
var errTruncated = errors.New("truncated body")

// defaultTransport is shared by clients built without WithHTTPClient: it keeps
// enough idle connections per host for the concurrency the sources allow.
var defaultTransport = func() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 64
	t.IdleConnTimeout = 90 * time.Second
	return t
}()

// New returns a client for baseURL (scheme and host, optionally a path prefix).
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("extract: parse base URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("extract: base URL %q: want http(s)://host[/prefix]", u.Redacted())
	}
	u.RawQuery, u.Fragment, u.RawFragment = "", "", ""
	c := &Client{
		base:         u,
		retries:      DefaultRetries,
		backoffFirst: DefaultBackoffFirst,
		backoffMax:   DefaultBackoffMax,
		timeout:      DefaultTimeout,
		maxBody:      DefaultMaxBodySize,
		rateMargin:   defaultRateMargin,
	}
	for _, o := range opts {
		o(c)
	}
	if c.http == nil {
		c.http = &http.Client{Transport: defaultTransport}
	}
	c.retries = max(c.retries, 0)
	c.backoffFirst = max(c.backoffFirst, 0)
	c.backoffMax = max(c.backoffMax, c.backoffFirst)
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxBodySize
	}
	if c.rateN > 0 && c.ratePer > 0 {
		c.impl.window = newSlidingWindow(c.rateN, c.ratePer, c.rateMargin)
	}
	c.impl.conc = newSemaphore(c.maxConc)
	for p, n := range c.pathConc {
		if n > 0 {
			if c.impl.pathSems == nil {
				c.impl.pathSems = map[string]semaphore{}
			}
			c.impl.pathSems[p] = newSemaphore(n)
		}
	}
	h := http.Header{"Accept": {"application/json"}}
	for k, vs := range c.headers {
		v := append([]string(nil), vs...)
		h[k] = v[:len(v):len(v)] // full: an Add on a request copies instead of writing here
	}
	c.impl.header = h
	u2 := *u
	u2.Path, u2.RawPath = "", ""
	c.impl.prefix = u2.String() + strings.TrimRight(u.EscapedPath(), "/")
	return c, nil
}

// call is one logical request (all its attempts).
type call struct {
	method   string
	endpoint string
	path     string // actual path without query, for errors and path caps
	url      string
	form     string // POST body; "" for GET
	limited  bool   // apply rate and concurrency limits and the authenticator
}

// name is "METHOD path" for errors.
func (r *call) name() string { return r.method + " " + r.path }

// GetJSON sends GET base+path?query and decodes the JSON body into out
// (typically a struct with json.RawMessage fields, to keep objects as received).
// endpoint is the path template used in errors, logs and stats. Retries 429
// (honouring Retry-After), 5xx, network errors, timeouts and truncated bodies
// with exponential backoff and jitter; a body is decoded only once it was read
// completely, so a truncated body is never half-parsed.
//
// path is appended to the base URL as written (escape ids with
// url.PathEscape); a query string in path is kept and query is appended to it.
// A nil out discards the body.
func (c *Client) GetJSON(ctx context.Context, endpoint, path string, query url.Values, out any) error {
	r := c.getCall(endpoint, path, query)
	return c.do(ctx, &r, func(body []byte) error { return decodeJSON(&r, body, out) })
}

// getBody is GetJSON with a custom decoder of the complete body (paging).
// The body is only valid during handle.
func (c *Client) getBody(ctx context.Context, endpoint, path string, query url.Values, handle func(body []byte) error) error {
	r := c.getCall(endpoint, path, query)
	return c.do(ctx, &r, handle)
}

func (c *Client) getCall(endpoint, path string, query url.Values) call {
	p, rawQuery, _ := strings.Cut(path, "?")
	if len(query) > 0 {
		if rawQuery != "" {
			rawQuery += "&" + query.Encode()
		} else {
			rawQuery = query.Encode()
		}
	}
	u := c.impl.prefix + p
	if rawQuery != "" {
		u += "?" + rawQuery
	}
	if endpoint == "" {
		endpoint = p
	}
	return call{method: http.MethodGet, endpoint: endpoint, path: p, url: u, limited: true}
}

// PostForm sends POST with a form body (token endpoints) and decodes the JSON reply into out.
// It applies retries but not the rate and concurrency limits, and sends no Authenticator credentials.
func (c *Client) PostForm(ctx context.Context, endpoint, rawURL string, form url.Values, out any) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		c.impl.failures.Add(1)
		return fmt.Errorf("POST %s: parse URL: %w", endpoint, err)
	}
	if endpoint == "" {
		endpoint = u.Path
	}
	r := call{method: http.MethodPost, endpoint: endpoint, path: u.Path, url: rawURL, form: form.Encode()}
	return c.do(ctx, &r, func(body []byte) error { return decodeJSON(&r, body, out) })
}

// Stats returns the client's counters so far.
func (c *Client) Stats() Stats {
	return Stats{
		Requests:  c.impl.requests.Load(),
		Retries:   c.impl.retries.Load(),
		Throttled: c.impl.throttled.Load(),
		Failures:  c.impl.failures.Load(),
		Bytes:     c.impl.bytes.Load(),
	}
}

// outcome is the result of one attempt that did not succeed.
type outcome struct {
	status     int           // HTTP status, 0 without a reply
	retryAfter time.Duration // the server's hint, 0 for none
	retryable  bool
	err        error
	authHeader []string // the Authorization sent, for a 401
}

// do runs the attempts of r and hands the complete body of a 2xx reply to handle.
func (c *Client) do(ctx context.Context, r *call, handle func(body []byte) error) error {
	err := c.run(ctx, r, handle)
	if err != nil && ctx.Err() == nil {
		c.impl.failures.Add(1)
	}
	return err
}

func (c *Client) run(ctx context.Context, r *call, handle func(body []byte) error) error {
	reauthed := false
	retries := 0
	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			c.impl.retries.Add(1)
		}
		buf := getBuffer()
		o, ok := c.attempt(ctx, r, buf)
		if ok {
			err := handle(buf.Bytes())
			putBuffer(buf)
			return err
		}
		putBuffer(buf)
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%s: %w", r.name(), err)
		}
		if o.status == http.StatusUnauthorized && r.limited && c.auth != nil && !reauthed {
			reauthed = true
			c.invalidate(o.authHeader)
			c.logger().LogAttrs(ctx, slog.LevelInfo, "extract: unauthorized, retrying with fresh credentials",
				slog.String("method", r.method), slog.String("endpoint", r.endpoint), slog.Int("attempt", attempt))
			continue
		}
		if !o.retryable {
			return o.err
		}
		if retries >= c.retries {
			return fmt.Errorf("%w after %d attempts: %w", ErrRetriesExhausted, attempt, o.err)
		}
		retries++
		delay := o.retryAfter
		if delay <= 0 {
			delay = c.backoff(retries)
		}
		level := slog.LevelDebug
		if o.status == http.StatusTooManyRequests {
			level = slog.LevelInfo
		}
		if l := c.logger(); l.Enabled(ctx, level) {
			l.LogAttrs(ctx, level, "extract: retrying request",
				slog.String("method", r.method), slog.String("endpoint", r.endpoint),
				slog.Int("attempt", attempt), slog.Int("status", o.status),
				slog.Duration("delay", delay), slog.String("error", o.err.Error()))
		}
		if err := sleep(ctx, delay); err != nil {
			return fmt.Errorf("%s: %w", r.name(), err)
		}
	}
}

// staleInvalidator is implemented by authenticators that can tell whether the
// credentials a request carried are still the current ones, so that many
// requests failing with the same old token cause one refresh only.
type staleInvalidator interface {
	invalidateIfCurrent(authHeader []string)
}

func (c *Client) invalidate(sent []string) {
	if si, ok := c.auth.(staleInvalidator); ok && sent != nil {
		si.invalidateIfCurrent(sent)
		return
	}
	c.auth.Invalidate()
}

func (c *Client) logger() *slog.Logger {
	if c.log != nil {
		return c.log
	}
	return slog.Default()
}

// backoff is the full-jitter delay before retry number n (1-based).
func (c *Client) backoff(n int) time.Duration {
	ceil := c.backoffFirst
	for i := 1; i < n && ceil < c.backoffMax; i++ {
		ceil *= 2
	}
	ceil = min(ceil, c.backoffMax)
	if ceil <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(ceil) + 1))
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// acquire takes the path and global concurrency slots, path first so that a
// request waiting for its path does not hold a global slot.
func (c *Client) acquire(ctx context.Context, path string) (release func(), err error) {
	ps := c.impl.pathSems[path]
	if err := ps.acquire(ctx); err != nil {
		return nil, err
	}
	if err := c.impl.conc.acquire(ctx); err != nil {
		ps.release()
		return nil, err
	}
	if ps == nil && c.impl.conc == nil {
		return nop, nil
	}
	return func() { c.impl.conc.release(); ps.release() }, nil
}

func nop() {}

// attempt sends r once. On success (ok) buf holds the complete 2xx body.
func (c *Client) attempt(ctx context.Context, r *call, buf *bytes.Buffer) (o outcome, ok bool) {
	fail := func(err error) (outcome, bool) { return outcome{err: fmt.Errorf("%s: %w", r.name(), err)}, false }
	var body io.Reader
	if r.form != "" {
		body = strings.NewReader(r.form)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, body)
	if err != nil {
		return fail(err)
	}
	// A fresh map sharing the template's value slices: nobody modifies those.
	req.Header = make(http.Header, len(c.impl.header)+2)
	for k, v := range c.impl.header {
		req.Header[k] = v
	}
	if r.form != "" {
		req.Header["Content-Type"] = []string{"application/x-www-form-urlencoded"}
	}
	if r.limited {
		release, err := c.acquire(ctx, r.path)
		if err != nil {
			return fail(err)
		}
		defer release()
		if w := c.impl.window; w != nil {
			if err := w.wait(ctx); err != nil {
				return fail(err)
			}
		}
		// Credentials last: a token taken before the wait for the rate
		// window could expire while the request waits (short-lived tokens).
		if c.auth != nil {
			if err := c.auth.Authorize(ctx, req); err != nil {
				return fail(fmt.Errorf("authorize: %w", err))
			}
		}
	}
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req = req.WithContext(actx)
	c.impl.requests.Add(1)
	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportFailure(ctx, actx, r, err, 0), false
	}
	defer resp.Body.Close()

	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if resp.ContentLength > c.maxBody {
			return fail(fmt.Errorf("%w: %d bytes announced, limit %d", ErrBodyTooLarge, resp.ContentLength, c.maxBody))
		}
		var n int64
		var err error
		if resp.ContentLength > 0 {
			buf.Grow(int(resp.ContentLength) + bytes.MinRead) // ReadFrom wants room to see EOF
			n, err = buf.ReadFrom(io.LimitReader(resp.Body, c.maxBody+1))
		} else {
			n, err = readUnsized(buf, io.LimitReader(resp.Body, c.maxBody+1), c.maxBody)
		}
		c.impl.bytes.Add(n)
		if err != nil {
			return c.transportFailure(ctx, actx, r, err, resp.StatusCode), false
		}
		if n > c.maxBody {
			return fail(fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, c.maxBody))
		}
		if resp.ContentLength >= 0 && n != resp.ContentLength {
			return c.transportFailure(ctx, actx, r, errTruncated, resp.StatusCode), false
		}
		return outcome{}, true
	}

	// A non-2xx reply: read a bounded part of the body for the source's message.
	n, rerr := buf.ReadFrom(io.LimitReader(resp.Body, maxErrorBody))
	c.impl.bytes.Add(n)
	herr := &HTTPError{Method: r.method, Endpoint: r.endpoint, Path: r.path, Status: resp.StatusCode}
	if rerr == nil {
		herr.Message = errorMessage(buf.Bytes())
	}
	o = outcome{status: resp.StatusCode, err: herr}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		c.impl.throttled.Add(1)
		o.retryable = true
		if w := c.impl.window; w != nil && r.limited {
			m := w.widen()
			c.logger().LogAttrs(ctx, slog.LevelDebug, "extract: throttled within the rate limit; widened its safety margin",
				slog.String("endpoint", r.endpoint), slog.Duration("margin", m))
		}
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		o.retryable = true
	case http.StatusUnauthorized:
		o.authHeader = req.Header["Authorization"]
	}
	if o.retryable {
		o.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	return o, false
}

// First and largest chunk of readUnsized.
const (
	firstChunk = 32 << 10
	maxChunk   = 4 << 20
)

// readUnsized reads a body of unknown length from r (which ends after at
// most limit+1 bytes) into buf and returns the bytes read. It fills buf's
// spare capacity first (a pooled buffer usually has room for a small body),
// then reads into chunks of doubling size and copies them into buf once r
// ended, only when the body fits the limit. So a body over the limit costs
// about limit bytes of memory, not the 2-4 times that growing one buffer by
// doubling would. r's errors other than io.EOF are returned.
func readUnsized(buf *bytes.Buffer, r io.Reader, limit int64) (int64, error) {
	for buf.Available() > 0 {
		free := buf.AvailableBuffer()[:buf.Available()]
		k, err := r.Read(free)
		buf.Write(free[:k]) // in place: free is buf's own spare capacity
		if err == io.EOF {
			return int64(buf.Len()), nil
		}
		if err != nil {
			return int64(buf.Len()), err
		}
	}
	total := int64(buf.Len())
	var chunks [][]byte
	var err error
	for size := firstChunk; err == nil; size = min(2*size, maxChunk) {
		chunk := make([]byte, size)
		k := 0
		for k < len(chunk) && err == nil {
			var m int
			m, err = r.Read(chunk[k:])
			k += m
		}
		if k > 0 {
			chunks = append(chunks, chunk[:k])
			total += int64(k)
		}
	}
	if err != io.EOF {
		return total, err
	}
	if total <= limit {
		buf.Grow(int(total) - buf.Len())
		for _, c := range chunks {
			buf.Write(c)
		}
	}
	return total, nil
}

// transportFailure classifies an error of sending or of reading a body:
// everything is retryable except the caller's own cancellation.
func (c *Client) transportFailure(ctx, actx context.Context, r *call, err error, status int) outcome {
	if ctx.Err() != nil {
		return outcome{err: fmt.Errorf("%s: %w", r.name(), ctx.Err())}
	}
	if actx.Err() != nil {
		err = fmt.Errorf("%w after %s", errAttemptTimeout, c.timeout)
	} else {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // drop the URL, the path is named below
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("%w: %w", errTruncated, err)
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			err = fmt.Errorf("%w: %w", errAttemptTimeout, err)
		}
	}
	if status != 0 {
		return outcome{status: status, retryable: true, err: fmt.Errorf("%s: HTTP %d: %w", r.name(), status, err)}
	}
	return outcome{retryable: true, err: fmt.Errorf("%s: %w", r.name(), err)}
}

// parseRetryAfter reads a Retry-After value (seconds or an HTTP date); 0 means
// no usable hint (missing, zero, negative, in the past or unparsable).
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if !(secs > 0) { // also NaN
			return 0
		}
		if secs >= maxRetryAfter.Seconds() {
			return maxRetryAfter
		}
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, maxRetryAfter)
		}
	}
	return 0
}

// errorMessage extracts the source's message from an error body:
// SmartRecruiters {"message": "...", "errors": [{"code", "message"}]},
// Phenom {"status": n, "message": "..."}. It returns "" for anything else.
func errorMessage(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return ""
	}
	var e struct {
		Message json.RawMessage `json:"message"`
		Errors  []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &e) != nil {
		// Tolerate an unexpected "errors" shape: retry with the message alone.
		e.Errors = nil
		var m struct {
			Message json.RawMessage `json:"message"`
		}
		if json.Unmarshal(body, &m) != nil {
			return ""
		}
		e.Message = m.Message
	}
	var msg string
	if len(e.Message) > 0 && json.Unmarshal(e.Message, &msg) != nil {
		msg = ""
	}
	var b strings.Builder
	b.WriteString(msg)
	for _, d := range e.Errors {
		if d.Code == "" && d.Message == "" || d.Message == msg && d.Code == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		if d.Code != "" {
			b.WriteString(d.Code)
			if d.Message != "" {
				b.WriteString(": ")
			}
		}
		b.WriteString(d.Message)
	}
	return truncate(b.String(), 300)
}

// truncate shortens s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// decodeJSON decodes a complete body into out, turning any error into ErrMalformed.
func decodeJSON(r *call, body []byte, out any) error {
	if out == nil {
		return nil
	}
	// A raw reply (most detail calls) needs one validating pass and a copy;
	// json.Unmarshal would scan it twice. Invalid bodies take the slow path
	// for its error and offset.
	if raw, ok := out.(*json.RawMessage); ok && json.Valid(body) {
		*raw = append((*raw)[:0], bytes.TrimSpace(body)...)
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return malformed(r, body, err)
	}
	return nil
}

// malformed describes a decoding error with the place it happened.
func malformed(r *call, body []byte, err error) error {
	where := r.name()
	if r.endpoint != r.path {
		where += " (" + r.endpoint + ")"
	}
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	// POST replies are token replies: never quote them, they may hold a credential.
	if off < 0 || r.method == http.MethodPost {
		return fmt.Errorf("%s: %w: %v (%d bytes)", where, ErrMalformed, err, len(body))
	}
	return fmt.Errorf("%s: %w: %v at offset %d of %d near %q", where, ErrMalformed, err, off, len(body), excerpt(body, off))
}

// excerpt returns up to 40 bytes of body around off.
func excerpt(body []byte, off int64) string {
	lo := max(0, int(off)-20)
	hi := min(len(body), int(off)+20)
	if lo > hi {
		lo = hi
	}
	return string(body[lo:hi])
}
