package smartrecruiters

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/atslake/atslake/extract"
)

// Defaults of Config (see DefaultConfig).
const (
	DefaultRateLimit   = 10  // requests per second per credential (the documented limit)
	DefaultConcurrency = 8   // requests in flight per credential (the documented limit)
	DefaultBatchRows   = 512 // documents per record batch
	// DefaultReadAhead is how many records (a job, a posting, a candidate with
	// its applications...) may be fetched ahead of the consumer: two pages.
	DefaultReadAhead = 200
	// DefaultRateMargin widens the one-second rate window (Config.RateMargin):
	// enough for the usual spread between when the client starts a request and
	// when the source counts it, at a cost of 5% of the rate.
	DefaultRateMargin = 50 * time.Millisecond
)

// Config configures an Extractor. Use exactly one authentication method:
// Token, or ClientID with ClientSecret.
type Config struct {
	BaseURL string // scheme and host (optionally a path prefix), e.g. https://api.smartrecruiters.com

	Token                  string // API key, sent as X-SmartToken
	ClientID, ClientSecret string // OAuth client credentials (POST {BaseURL}/identity/oauth/token)

	// RateLimit is the number of requests per second per credential; 0 means
	// unlimited (DefaultConfig sets DefaultRateLimit).
	RateLimit int
	// Concurrency caps the requests in flight (<= 0: DefaultConcurrency). The
	// candidate list is always read by at most one request at a time.
	Concurrency int

	HTTPClient *http.Client // nil: http.DefaultClient's behaviour
	Logger     *slog.Logger // nil: discard

	BatchRows  int // documents per record batch (<= 0: DefaultBatchRows)
	BatchBytes int // body bytes per record batch (<= 0: extract.NewBatcher's default, 4 MiB)

	// Workers is the number of goroutines fetching record details
	// (<= 0: twice Concurrency, so the client always has a request waiting).
	Workers int
	// ReadAhead bounds the records fetched but not yet emitted (<= 0: DefaultReadAhead).
	ReadAhead int

	Timeout      time.Duration // one attempt, body included (0: the client's default, 60s)
	Retries      int           // retries of a retryable failure (0: the client's default, 8; < 0: none)
	BackoffFirst time.Duration // first backoff delay (0: the client's default)
	BackoffMax   time.Duration // largest backoff delay (0: the client's default)
	MaxBodySize  int64         // largest body read (0: the client's default)
	// RateMargin widens the rate window: the source counts arrivals, which
	// trail the client's starts by the time to connect and send
	// (0: DefaultRateMargin; < 0: the client's default). The client widens it
	// further after each 429.
	RateMargin time.Duration
}

// DefaultConfig returns a Config with the documented SmartRecruiters limits
// and the default batch size; set BaseURL and credentials on it.
func DefaultConfig() Config {
	return Config{
		BaseURL:     "https://api.smartrecruiters.com",
		RateLimit:   DefaultRateLimit,
		Concurrency: DefaultConcurrency,
		BatchRows:   DefaultBatchRows,
		ReadAhead:   DefaultReadAhead,
		RateMargin:  DefaultRateMargin,
	}
}

// Extractor reads one SmartRecruiters tenant (one credential). It implements
// extract.Extractor and is safe for concurrent use; concurrent extractions
// share the credential's limits.
type Extractor struct {
	cfg    Config
	client *extract.Client
	log    *slog.Logger
}

var _ extract.Extractor = (*Extractor)(nil)

// ErrConfig marks an invalid Config.
var ErrConfig = errors.New("smartrecruiters: invalid config")

// New validates cfg and returns an Extractor with its HTTP client.
func New(cfg Config) (*Extractor, error) {
	if strings.TrimSpace(cfg.BaseURL) == "" {
		return nil, fmt.Errorf("%w: base URL is required", ErrConfig)
	}
	apiKey := cfg.Token != ""
	oauth := cfg.ClientID != "" || cfg.ClientSecret != ""
	switch {
	case apiKey && oauth:
		return nil, fmt.Errorf("%w: use either an API key or OAuth client credentials, not both", ErrConfig)
	case !apiKey && !oauth:
		return nil, fmt.Errorf("%w: an API key or OAuth client credentials are required", ErrConfig)
	case oauth && (cfg.ClientID == "" || cfg.ClientSecret == ""):
		return nil, fmt.Errorf("%w: OAuth needs both a client id and a client secret", ErrConfig)
	}
	if cfg.RateLimit < 0 {
		cfg.RateLimit = 0
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.BatchRows <= 0 {
		cfg.BatchRows = DefaultBatchRows
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 2 * cfg.Concurrency
	}
	if cfg.ReadAhead <= 0 {
		cfg.ReadAhead = DefaultReadAhead
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	base := strings.TrimRight(cfg.BaseURL, "/")

	// Options shared by the API client and the token client.
	var common []extract.Option
	if cfg.HTTPClient != nil {
		common = append(common, extract.WithHTTPClient(cfg.HTTPClient))
	}
	if cfg.Timeout > 0 {
		common = append(common, extract.WithTimeout(cfg.Timeout))
	}
	if cfg.Retries != 0 {
		common = append(common, extract.WithRetries(max(cfg.Retries, 0)))
	}
	if cfg.BackoffFirst > 0 || cfg.BackoffMax > 0 {
		first, last := cfg.BackoffFirst, cfg.BackoffMax
		if first <= 0 {
			first = min(extract.DefaultBackoffFirst, last)
		}
		if last <= 0 {
			last = max(extract.DefaultBackoffMax, first)
		}
		last = max(last, first)
		common = append(common, extract.WithBackoff(first, last))
	}
	common = append(common, extract.WithLogger(log))

	var auth extract.Authenticator
	if apiKey {
		auth = extract.APIKey("X-SmartToken", cfg.Token)
	} else {
		auth = extract.OAuthClientCredentials(base+PathToken, cfg.ClientID, cfg.ClientSecret, common...)
	}
	opts := append(common,
		extract.WithAuth(auth),
		extract.WithRateLimit(cfg.RateLimit, time.Second),
		extract.WithConcurrency(cfg.Concurrency),
		extract.WithPathConcurrency(PathCandidates, 1),
		extract.WithHeader("Accept-Language", "en"),
	)
	if cfg.RateMargin == 0 {
		cfg.RateMargin = DefaultRateMargin
	}
	if cfg.RateMargin > 0 {
		opts = append(opts, extract.WithRateMargin(cfg.RateMargin))
	}
	if cfg.MaxBodySize > 0 {
		opts = append(opts, extract.WithMaxBodySize(cfg.MaxBodySize))
	}
	client, err := extract.New(base, opts...)
	if err != nil {
		return nil, fmt.Errorf("smartrecruiters: %w", err)
	}
	return &Extractor{cfg: cfg, client: client, log: log}, nil
}

// Stats returns the HTTP client's counters (requests, retries, 429s...) so far.
func (e *Extractor) Stats() extract.Stats { return e.client.Stats() }
