package phenom

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/atslake/atslake/sandbox/simapi"
)

// Config configures a Server. DefaultConfig gives the defaults; New fills
// zero credentials, TokenTTL and Clock with them.
type Config struct {
	Seed  int64 // data seed
	Scale int   // number of candidates (at least MinScale); everything else in proportion
	Epoch int   // rounds of change applied at start (>= 0)

	ClientID, ClientSecret string        // accepted by POST /token; default sandbox-client / sandbox-secret
	TokenTTL               time.Duration // JWT lifetime (default 1h); a short one forces refreshes mid-run
	RateLimit              int           // API requests per second per client; 0 = unlimited (Phenom publishes no limit)

	FailRate     float64       // share of API requests answered 500 or 503 (0-1)
	TruncateRate float64       // share of API replies cut off mid-body (0-1)
	Latency      time.Duration // added to every API request
	// JunkRate is the share of API replies whose 200 body is replaced by
	// hostile junk (see simapi.Junk); JunkKinds limits the kinds (nil: all).
	JunkRate  float64
	JunkKinds []simapi.Junk

	// Clock gives the wall-clock time used for token expiry and epoch
	// instants (default time.Now). Tests set it to get identical bodies.
	Clock func() time.Time
}

// Default credentials and token lifetime.
const (
	DefaultClientID     = "sandbox-client"
	DefaultClientSecret = "sandbox-secret"
	DefaultTokenTTL     = time.Hour
)

// DefaultConfig returns seed 1, scale 200, epoch 0, the default credentials
// and token lifetime, no rate limit and no faults.
func DefaultConfig() Config {
	return Config{
		Seed:         1,
		Scale:        200,
		ClientID:     DefaultClientID,
		ClientSecret: DefaultClientSecret,
		TokenTTL:     DefaultTokenTTL,
		Clock:        time.Now,
	}
}

// ErrConfig reports an invalid Config.
var ErrConfig = errors.New("phenom sandbox: invalid config")

// Server is the simulated Phenom API. It is an http.Handler safe for
// concurrent use; Advance moves it to the next epoch while it serves.
type Server struct {
	cfg      Config
	tokens   *tokens
	counters *simapi.Counters
	api      http.Handler // authentication, limiter, faults, then the listings

	mu       sync.RWMutex
	st       *state
	epoch    int
	external []wireJob // the jobs listings of this epoch
	internal []wireJob
}

// New generates the data of (cfg.Seed, cfg.Scale), applies cfg.Epoch rounds
// of change stamped with the current instant, and returns the server.
func New(cfg Config) (*Server, error) {
	def := DefaultConfig()
	if cfg.ClientID == "" {
		cfg.ClientID = def.ClientID
	}
	if cfg.ClientSecret == "" {
		cfg.ClientSecret = def.ClientSecret
	}
	if cfg.TokenTTL == 0 {
		cfg.TokenTTL = def.TokenTTL
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	switch {
	case cfg.Scale < MinScale:
		return nil, fmt.Errorf("%w: scale %d: must be at least %d", ErrConfig, cfg.Scale, MinScale)
	case cfg.Epoch < 0:
		return nil, fmt.Errorf("%w: epoch %d: must not be negative", ErrConfig, cfg.Epoch)
	case cfg.TokenTTL < 0:
		return nil, fmt.Errorf("%w: token TTL %s: must be positive", ErrConfig, cfg.TokenTTL)
	case cfg.RateLimit < 0:
		return nil, fmt.Errorf("%w: rate limit %d: must not be negative", ErrConfig, cfg.RateLimit)
	case cfg.FailRate < 0 || cfg.TruncateRate < 0 || cfg.FailRate+cfg.TruncateRate > 1:
		return nil, fmt.Errorf("%w: fail rate %g and truncate rate %g: must be fractions summing to at most 1", ErrConfig, cfg.FailRate, cfg.TruncateRate)
	case cfg.JunkRate < 0 || cfg.FailRate+cfg.TruncateRate+cfg.JunkRate > 1:
		return nil, fmt.Errorf("%w: junk rate %g: must be a fraction summing with fail rate %g and truncate rate %g to at most 1", ErrConfig, cfg.JunkRate, cfg.FailRate, cfg.TruncateRate)
	case cfg.Latency < 0:
		return nil, fmt.Errorf("%w: latency %s: must not be negative", ErrConfig, cfg.Latency)
	}
	s := &Server{cfg: cfg, tokens: newTokens(cfg.TokenTTL, cfg.Clock), counters: &simapi.Counters{}}
	s.st = generate(cfg.Seed, cfg.Scale)
	at := cfg.Clock()
	for r := 1; r <= cfg.Epoch; r++ {
		s.st.round(r, at)
	}
	s.epoch = cfg.Epoch
	s.rebuild()

	var h http.Handler = http.HandlerFunc(s.serveAPI)
	h = simapi.NewFaults(simapi.FaultConfig{
		Seed: cfg.Seed, FailRate: cfg.FailRate, TruncateRate: cfg.TruncateRate, Latency: cfg.Latency,
		JunkRate: cfg.JunkRate, JunkKinds: cfg.JunkKinds,
		ErrorBody: func(status int) []byte {
			msg := "Internal server error (injected fault)"
			if status == http.StatusServiceUnavailable {
				msg = "Service temporarily unavailable (injected fault)"
			}
			return simapi.MustMarshal(errorBody{Status: status, Message: msg})
		},
	}, s.counters).Wrap(h)
	if cfg.RateLimit > 0 {
		h = simapi.NewLimiter(simapi.LimitConfig{
			Rate: cfg.RateLimit,
			ErrorBody: func() []byte {
				return simapi.MustMarshal(errorBody{Status: http.StatusTooManyRequests, Message: "Too many requests"})
			},
		}, s.counters).Wrap(h)
	}
	s.api = s.authenticate(h)
	return s, nil
}

// rebuild caches the jobs listings of the current state (callers hold mu).
func (s *Server) rebuild() {
	s.external = s.st.listJobs(siteExternal)
	s.internal = s.st.listJobs(siteInternal)
}

// Advance applies the next round of change, stamped with the current
// instant, and returns the new epoch.
func (s *Server) Advance() int {
	at := s.cfg.Clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.epoch++
	s.st.round(s.epoch, at)
	s.rebuild()
	return s.epoch
}

// Epoch returns the current epoch.
func (s *Server) Epoch() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.epoch
}

// Truth returns the remote ids a full sync (site type external) at the
// current epoch leaves live, per unified table.
func (s *Server) Truth() Truth {
	s.mu.RLock()
	defer s.mu.RUnlock()
	apps := make([]wireApp, len(s.st.apps))
	for i, a := range s.st.apps {
		apps[i] = a.w
	}
	return computeTruth(s.epoch, s.external, apps)
}

// TokensIssued returns how many access tokens POST /token issued so far.
func (s *Server) TokensIssued() int64 { return s.tokens.issued.Load() }

// FaultReport returns the requests seen and the faults injected so far (the
// reply of GET /_sandbox/faults).
func (s *Server) FaultReport() simapi.FaultReport { return s.counters.Report() }

// Config returns the configuration in effect (defaults filled in).
func (s *Server) Config() Config { return s.cfg }

// ServeHTTP routes a request: POST /token, the /_sandbox/* routes (no
// credentials, limits or faults) and the API routes (bearer token, limiter,
// faults).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case pathToken:
		if !allow(w, r, http.MethodPost) {
			return
		}
		s.serveToken(w, r)
	case pathAdvance:
		if !allow(w, r, http.MethodPost) {
			return
		}
		simapi.WriteJSON(w, http.StatusOK, map[string]int{"epoch": s.Advance()})
	case pathTruth:
		if !allow(w, r, http.MethodGet) {
			return
		}
		simapi.WriteJSON(w, http.StatusOK, s.Truth())
	case pathFaults:
		if !allow(w, r, http.MethodGet) {
			return
		}
		s.counters.ServeHTTP(w, r)
	case pathJobs, pathApplications:
		s.api.ServeHTTP(w, r)
	default:
		writeError(w, http.StatusNotFound, "no route for "+r.URL.Path)
	}
}

// allow answers 405 unless r uses method.
func allow(w http.ResponseWriter, r *http.Request, method string) bool {
	if r.Method == method || (method == http.MethodGet && r.Method == http.MethodHead) {
		return true
	}
	w.Header().Set("Allow", method)
	writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed on "+r.URL.Path)
	return false
}

// writeError writes Phenom's error envelope.
func writeError(w http.ResponseWriter, status int, message string) {
	simapi.WriteJSON(w, status, errorBody{Status: status, Message: message})
}

// serveToken exchanges the client credentials (form keys clientId,
// clientSecret) for a JWT.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, "unreadable form body")
		return
	}
	id, secret := r.PostForm.Get(formClientID), r.PostForm.Get(formClientSecret)
	if id != s.cfg.ClientID || secret != s.cfg.ClientSecret {
		writeError(w, http.StatusUnauthorized, "invalid client credentials")
		return
	}
	tok, _, expiresIn := s.tokens.issue(id)
	s.counters.CountToken()
	w.Header().Set("Cache-Control", "no-store")
	simapi.WriteJSON(w, http.StatusOK, tokenReply{AccessToken: tok, TokenType: "Bearer", ExpiresIn: expiresIn})
}

// authenticate admits API requests with a valid, unexpired bearer token and
// stores its client id as the limiter's credential.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sub, err := s.tokens.verify(r.Header.Get("Authorization"))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			writeError(w, http.StatusUnauthorized, "unauthorized: "+err.Error())
			return
		}
		next.ServeHTTP(w, r.WithContext(simapi.WithCredential(r.Context(), sub)))
	})
}

// serveAPI answers the listings.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodGet) {
		return
	}
	q := r.URL.Query()
	offset, limit, err := paging(q.Get(paramOffset), q.Get(paramLimit))
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if r.URL.Path == pathJobs {
		site := strings.ToLower(q.Get(paramSiteType))
		if site == "" {
			site = siteExternal
		}
		if site != siteExternal && site != siteInternal {
			writeError(w, http.StatusBadRequest, "siteType must be external or internal")
			return
		}
		s.mu.RLock()
		list := s.external
		if site == siteInternal {
			list = s.internal
		}
		page := jobsPage{Status: "success", Offset: offset, Limit: limit, TotalRecordsCount: len(list),
			Data: append([]wireJob{}, window(list, offset, limit)...)}
		s.mu.RUnlock()
		simapi.WriteJSON(w, http.StatusOK, page)
		return
	}
	s.mu.RLock()
	src := window(s.st.apps, offset, limit)
	data := make([]wireApp, len(src))
	for i, a := range src {
		data[i] = a.w
	}
	s.mu.RUnlock()
	simapi.WriteJSON(w, http.StatusOK, appsPage{Status: "success", StatusCode: "200", StatusMessage: "OK", Data: data})
}

// errPaging is the cause of every rejected offset or limit.
var errPaging = errors.New("invalid paging")

// paging reads offset (default 0, >= 0) and limit (default 50, 1-100).
func paging(offsetText, limitText string) (offset, limit int, err error) {
	offset, limit = 0, defaultLimit
	if offsetText != "" {
		if offset, err = strconv.Atoi(offsetText); err != nil || offset < 0 {
			return 0, 0, fmt.Errorf("%w: offset %q must be a non-negative integer", errPaging, offsetText)
		}
	}
	if limitText != "" {
		if limit, err = strconv.Atoi(limitText); err != nil || limit < 1 || limit > maxLimit {
			return 0, 0, fmt.Errorf("%w: limit %q must be an integer from 1 to %d", errPaging, limitText, maxLimit)
		}
	}
	return offset, limit, nil
}

// window returns the items [offset, offset+limit) of xs that exist.
func window[T any](xs []T, offset, limit int) []T {
	if offset >= len(xs) {
		return nil
	}
	return xs[offset:min(offset+limit, len(xs))]
}
