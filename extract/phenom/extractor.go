package phenom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/atslake/atslake/extract"
)

// Config configures an Extractor. BaseURL, TokenURL, ClientID and
// ClientSecret are required; zero values elsewhere take the defaults noted.
type Config struct {
	BaseURL      string // API gateway, e.g. https://api.phenom.com
	TokenURL     string // base of the token endpoint ({TokenURL}/token)
	ClientID     string
	ClientSecret string
	SiteType     string // site type of the jobs read; default "external"

	HTTPClient *http.Client  // default: a fresh http.Client
	Logger     *slog.Logger  // retries, throttling and token refreshes; never credentials
	BatchRows  int           // documents per record batch; default 1024
	BatchBytes int           // body bytes per record batch; default 4 MiB
	Timeout    time.Duration // one HTTP attempt, body included; default 60 s
	// Retries of a retryable failure (429, 5xx, network, truncated body);
	// 0 = the client default (8), negative = none.
	Retries      int
	BackoffFirst time.Duration // first backoff delay; default 200 ms
	BackoffMax   time.Duration // largest backoff delay; default 30 s
	// Concurrency caps the requests in flight (Phenom publishes no rate
	// limit; 429 and Retry-After are honoured by the client); default 4.
	Concurrency int
}

// Extractor reads the Phenom jobs and applications lists (always completely:
// Phenom has no "changed since" filter) and yields them as source documents.
// It is safe for one Extract at a time.
type Extractor struct {
	cfg       Config
	tokenURL  string
	client    *extract.Client
	log       *slog.Logger
	refreshes atomic.Int64
}

// New checks cfg and returns an Extractor; nothing is fetched yet.
func New(cfg Config) (*Extractor, error) {
	var missing []string
	for _, f := range []struct{ name, v string }{
		{"base_url", cfg.BaseURL}, {"token_url", cfg.TokenURL},
		{"client_id", cfg.ClientID}, {"client_secret", cfg.ClientSecret},
	} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("phenom: missing %s", strings.Join(missing, ", "))
	}
	for _, u := range []struct{ name, v string }{{"base_url", cfg.BaseURL}, {"token_url", cfg.TokenURL}} {
		p, err := url.Parse(u.v)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return nil, fmt.Errorf("phenom: %s %q is not an http(s) URL", u.name, u.v)
		}
	}
	if cfg.SiteType == "" {
		cfg.SiteType = defaultSiteType
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	e := &Extractor{cfg: cfg, tokenURL: strings.TrimRight(cfg.TokenURL, "/") + PathToken, log: log}

	opts := []extract.Option{
		extract.WithAuth(extract.NewCachedToken(e.fetchToken)),
		extract.WithConcurrency(cfg.Concurrency),
		extract.WithLogger(log),
	}
	if cfg.HTTPClient != nil {
		opts = append(opts, extract.WithHTTPClient(cfg.HTTPClient))
	}
	if cfg.Timeout > 0 {
		opts = append(opts, extract.WithTimeout(cfg.Timeout))
	}
	switch {
	case cfg.Retries > 0:
		opts = append(opts, extract.WithRetries(cfg.Retries))
	case cfg.Retries < 0:
		opts = append(opts, extract.WithRetries(0))
	}
	if cfg.BackoffFirst > 0 || cfg.BackoffMax > 0 {
		first, maxd := cfg.BackoffFirst, cfg.BackoffMax
		if first <= 0 {
			first = 200 * time.Millisecond
		}
		if maxd <= 0 {
			maxd = 30 * time.Second
		}
		opts = append(opts, extract.WithBackoff(first, maxd))
	}
	c, err := extract.New(strings.TrimRight(cfg.BaseURL, "/"), opts...)
	if err != nil {
		return nil, fmt.Errorf("phenom: %w", err)
	}
	e.client = c
	return e, nil
}

// Stats returns the HTTP client's counters so far (token calls included).
func (e *Extractor) Stats() extract.Stats { return e.client.Stats() }

// TokenRefreshes returns how many access tokens were fetched so far.
func (e *Extractor) TokenRefreshes() int64 { return e.refreshes.Load() }

// fetchToken exchanges the client credentials for an access token. It
// returns the token with the time it is to be replaced (refreshAt of its JWT
// exp claim, else of expires_in) as the expiry extract.CachedToken works with.
func (e *Extractor) fetchToken(ctx context.Context) (string, time.Time, error) {
	started := time.Now()
	form := url.Values{formClientID: {e.cfg.ClientID}, formClientSecret: {e.cfg.ClientSecret}}
	var reply json.RawMessage
	if err := e.client.PostForm(ctx, PathToken, e.tokenURL, form, &reply); err != nil {
		switch {
		case errors.Is(err, extract.ErrUnauthorized):
			return "", time.Time{}, fmt.Errorf("phenom token: %w: %w", errCredentialsRejected, err)
		case errors.Is(err, extract.ErrMalformed):
			// The client's message quotes the body, which may hold the token.
			return "", time.Time{}, fmt.Errorf("phenom token: POST %s: %w: the reply is not JSON", PathToken, errTokenShape)
		}
		return "", time.Time{}, fmt.Errorf("phenom token: %w", err)
	}
	tok, expiresIn, err := parseTokenReply(reply)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("phenom token: %w", err)
	}
	exp, err := jwtExpiry(tok)
	if err != nil {
		if expiresIn <= 0 {
			return "", time.Time{}, fmt.Errorf("phenom token: no lifetime (and no %s in the reply): %w", fieldExpiresIn, err)
		}
		exp = started.Add(expiresIn)
	}
	if !exp.After(started) {
		return "", time.Time{}, fmt.Errorf("phenom token: the new token expires at %s, not after now (%s): check the system clock: %w",
			exp.UTC().Format(time.RFC3339), started.UTC().Format(time.RFC3339), errTokenShape)
	}
	n := e.refreshes.Add(1)
	e.log.DebugContext(ctx, "phenom token fetched", "n", n, "expires", exp.UTC().Format(time.RFC3339))
	return tok, refreshAt(started, exp), nil
}

// errCredentialsRejected marks a 401 from the token endpoint itself.
var errCredentialsRejected = errors.New("the token endpoint rejected client_id/client_secret")

// list is one source list the extractor reads.
type list struct {
	name     string // extract.KindListComplete key
	kind     string // document kind of its items
	keyField string // item property holding the remote key
	paging   extract.OffsetList
}

func (e *Extractor) lists() []list {
	return []list{
		{name: ListJobs, kind: KindJob, keyField: jobKeyField, paging: extract.OffsetList{
			Endpoint: PathJobs, Path: PathJobs, Query: url.Values{paramSiteType: {e.cfg.SiteType}},
			Limit: pageLimit, ItemsKey: itemsKey, TotalKey: jobsTotalKey,
		}},
		{name: ListApplications, kind: KindApplication, keyField: applicationKeyField, paging: extract.OffsetList{
			Endpoint: PathApplications, Path: PathApplications,
			Limit: pageLimit, ItemsKey: itemsKey,
		}},
	}
}

// Extract reads every list completely (req.Mode and req.UpdatedAfter are
// ignored: Phenom has no "changed since" filter) and yields batches of
// documents in the order docs.go describes. An item without a readable key
// becomes an extract.KindSkipped document and its list gets no
// list-complete marker (the list was not read completely). The caller
// releases every record; the sequence ends at the first error.
func (e *Extractor) Extract(ctx context.Context, req extract.Request) iter.Seq2[arrow.RecordBatch, error] {
	return func(yield func(arrow.RecordBatch, error) bool) {
		b := extract.NewBatcher(req.Alloc, e.cfg.BatchRows, e.cfg.BatchBytes)
		defer b.Release()
		add := func(kind, key string, body []byte) bool {
			if b.Add(kind, key, body) {
				return yield(b.Flush(), nil)
			}
			return true
		}
		var body []byte
		for _, l := range e.lists() {
			complete := true
			for p, err := range extract.OffsetPages(ctx, e.client, l.paging) {
				if err != nil {
					yield(nil, e.wrapErr(l, err))
					return
				}
				for i, item := range p.Items {
					key, kerr := itemKey(item, l.keyField)
					if kerr != nil {
						complete = false
						e.log.WarnContext(ctx, "phenom item skipped", "list", l.name, "page", p.Number, "item", i, "error", kerr)
						if !add(extract.KindSkipped, key, skippedBody(l.paging.Endpoint, fmt.Sprintf("page %d item %d: %v", p.Number, i, kerr))) {
							return
						}
						continue
					}
					body = append(append(append(body[:0], `{"`...), l.paging.Endpoint...), `":`...)
					body = append(append(body, bytes.TrimSpace(item)...), '}')
					if !add(l.kind, key, body) {
						return
					}
				}
			}
			if complete && !add(extract.KindListComplete, l.name, []byte("{}")) {
				return
			}
		}
		if rec := b.Flush(); rec != nil {
			yield(rec, nil)
		}
	}
}

// wrapErr names the list of a failure (extract.OffsetPages names the page)
// and says what a 401 after the token refresh means.
func (e *Extractor) wrapErr(l list, err error) error {
	if errors.Is(err, extract.ErrUnauthorized) && !errors.Is(err, errCredentialsRejected) {
		return fmt.Errorf("extract phenom %s: unauthorized even with a fresh token (check client_id/client_secret, token_url and the API permissions): %w", l.name, err)
	}
	return fmt.Errorf("extract phenom %s: %w", l.name, err)
}

// itemKey returns the remote key of a list item: the string (or number) at
// field. It fails on a non-object item or a missing, null or blank key.
func itemKey(item json.RawMessage, field string) (string, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(item, &m); err != nil || m == nil {
		return "", errors.New("the item is not a JSON object")
	}
	raw, ok := m[field]
	if !ok || string(raw) == "null" {
		return "", fmt.Errorf("the item has no %s", field)
	}
	var key string
	switch {
	case len(raw) > 0 && raw[0] == '"':
		if err := json.Unmarshal(raw, &key); err != nil {
			return "", fmt.Errorf("the item's %s is not a string", field)
		}
	case len(raw) > 0 && (raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9')):
		key = string(raw)
	default:
		return "", fmt.Errorf("the item's %s is neither a string nor a number", field)
	}
	if strings.TrimSpace(key) == "" {
		return "", fmt.Errorf("the item's %s is blank", field)
	}
	return key, nil
}

// skippedBody is the body of an extract.KindSkipped document.
func skippedBody(endpoint, msg string) []byte {
	b, _ := json.Marshal(map[string]string{"endpoint": endpoint, "error": msg})
	return b
}
