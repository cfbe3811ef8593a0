package smartrecruiters

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/atslake/atslake/sandbox/simapi"
)

// Config configures a SmartRecruiters sandbox.
type Config struct {
	Seed  int64 // data seed
	Scale int   // number of candidates (at least 3)
	Epoch int   // rounds of change applied at start

	Token        string // API key for X-SmartToken (default "sandbox-token")
	ClientID     string // OAuth client id (default "sandbox-client")
	ClientSecret string // OAuth client secret (default "sandbox-secret")

	RateLimit    int           // requests per second per credential; 0 = unlimited (DefaultConfig: 10)
	FailRate     float64       // share of requests answered 500 or 503
	TruncateRate float64       // share of bodies cut off mid-stream
	Latency      time.Duration // added to every API request
	TokenTTL     time.Duration // OAuth token lifetime (default 1h)
	// JunkRate is the share of API GET replies whose 200 body is replaced by
	// hostile junk (see simapi.Junk); JunkKinds limits the kinds (nil: all).
	JunkRate  float64
	JunkKinds []simapi.Junk

	// Clock gives the wall-clock time used for epoch instants and token
	// expiry (default time.Now). Tests set it to get identical bodies.
	Clock func() time.Time
}

// Limits of the real API the sandbox enforces besides RateLimit.
const (
	ConcurrentLimit = 8             // requests in flight per credential
	CandidateList   = "/candidates" // at most one GET of it in flight per credential
)

// DefaultConfig returns the documented defaults: seed 1, scale 200, epoch 0,
// the default credentials, 10 requests/s, no faults, 1 h tokens.
func DefaultConfig() Config {
	return Config{
		Seed: 1, Scale: 200,
		Token: "sandbox-token", ClientID: "sandbox-client", ClientSecret: "sandbox-secret",
		RateLimit: 10, TokenTTL: time.Hour,
	}
}

// ErrConfig reports an invalid Config.
var ErrConfig = errors.New("smartrecruiters sandbox: invalid config")

// Server is a running simulated SmartRecruiters tenant. It is an
// http.Handler and safe for concurrent use.
type Server struct {
	cfg      Config
	mu       sync.RWMutex // guards w
	w        *world
	counters *simapi.Counters
	api      http.Handler
	token    http.Handler
	sandbox  *http.ServeMux

	tokMu  sync.Mutex
	tokens map[string]tokenInfo
}

type tokenInfo struct {
	clientID string
	expires  time.Time
}

// New generates the data for (cfg.Seed, cfg.Scale) and applies cfg.Epoch
// rounds of change, all stamped with the current time.
func New(cfg Config) (*Server, error) {
	def := DefaultConfig()
	if cfg.Token == "" {
		cfg.Token = def.Token
	}
	if cfg.ClientID == "" {
		cfg.ClientID = def.ClientID
	}
	if cfg.ClientSecret == "" {
		cfg.ClientSecret = def.ClientSecret
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = def.TokenTTL
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	switch {
	case cfg.Scale < 3:
		return nil, fmt.Errorf("%w: scale %d: at least 3 candidates are needed", ErrConfig, cfg.Scale)
	case cfg.Epoch < 0:
		return nil, fmt.Errorf("%w: epoch %d is negative", ErrConfig, cfg.Epoch)
	case cfg.RateLimit < 0:
		return nil, fmt.Errorf("%w: rate limit %d is negative", ErrConfig, cfg.RateLimit)
	case cfg.FailRate < 0 || cfg.FailRate > 1 || cfg.TruncateRate < 0 || cfg.TruncateRate > 1 || cfg.FailRate+cfg.TruncateRate > 1:
		return nil, fmt.Errorf("%w: fail rate %g and truncate rate %g must be fractions summing to at most 1", ErrConfig, cfg.FailRate, cfg.TruncateRate)
	case cfg.JunkRate < 0 || cfg.FailRate+cfg.TruncateRate+cfg.JunkRate > 1:
		return nil, fmt.Errorf("%w: junk rate %g must be a fraction and, with fail rate %g and truncate rate %g, sum to at most 1", ErrConfig, cfg.JunkRate, cfg.FailRate, cfg.TruncateRate)
	case cfg.Latency < 0:
		return nil, fmt.Errorf("%w: latency %v is negative", ErrConfig, cfg.Latency)
	}
	s := &Server{cfg: cfg, counters: &simapi.Counters{}, tokens: map[string]tokenInfo{}}
	s.w = generate(cfg.Seed, cfg.Scale)
	if cfg.Epoch > 0 {
		t := s.now()
		for r := 1; r <= cfg.Epoch; r++ {
			s.w.round(r, t)
		}
		s.w.epoch, s.w.lastT = cfg.Epoch, t
	}
	faults := simapi.NewFaults(simapi.FaultConfig{Seed: cfg.Seed, FailRate: cfg.FailRate, TruncateRate: cfg.TruncateRate, Latency: cfg.Latency,
		JunkRate: cfg.JunkRate, JunkKinds: cfg.JunkKinds}, s.counters)
	limiter := simapi.NewLimiter(simapi.LimitConfig{
		Rate:       cfg.RateLimit,
		Concurrent: ConcurrentLimit,
		PathCaps:   map[string]int{"GET " + CandidateList: 1},
	}, s.counters)
	s.api = s.authenticate(limiter.Wrap(faults.Wrap(s.routes())))
	s.token = faults.Wrap(http.HandlerFunc(s.handleToken))
	s.sandbox = http.NewServeMux()
	s.sandbox.HandleFunc("POST /_sandbox/advance", func(w http.ResponseWriter, r *http.Request) {
		simapi.WriteJSON(w, http.StatusOK, map[string]int{"epoch": s.Advance()})
	})
	s.sandbox.HandleFunc("GET /_sandbox/truth", func(w http.ResponseWriter, r *http.Request) {
		simapi.WriteJSON(w, http.StatusOK, s.Truth())
	})
	s.sandbox.Handle("GET /_sandbox/faults", s.counters)
	s.sandbox.HandleFunc("/", notFound)
	return s, nil
}

func (s *Server) now() time.Time { return s.cfg.Clock().UTC().Truncate(time.Millisecond) }

// Config returns the configuration in effect (defaults filled in).
func (s *Server) Config() Config { return s.cfg }

// Epoch returns the current epoch.
func (s *Server) Epoch() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.w.epoch
}

// Advance applies the next round of change, stamped with the current time
// (at least 1 ms after the previous epoch), and returns the new epoch (the
// same as POST /_sandbox/advance).
func (s *Server) Advance() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.now()
	if !t.After(s.w.lastT) {
		t = s.w.lastT.Add(time.Millisecond)
	}
	s.w.epoch++
	s.w.round(s.w.epoch, t)
	s.w.lastT = t
	return s.w.epoch
}

// FaultReport returns the requests seen and faults injected so far (the
// same as GET /_sandbox/faults).
func (s *Server) FaultReport() simapi.FaultReport { return s.counters.Report() }

// ServeHTTP serves the API, the OAuth token endpoint and /_sandbox/*.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/_sandbox/"):
		s.sandbox.ServeHTTP(w, r)
	case r.URL.Path == "/identity/oauth/token":
		s.token.ServeHTTP(w, r)
	default:
		s.api.ServeHTTP(w, r)
	}
}

// ---------------------------------------------------------------- auth

func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cred, msg := s.credential(r)
		if cred == "" {
			simapi.WriteError(w, http.StatusUnauthorized, "UNAUTHORIZED", msg)
			return
		}
		next.ServeHTTP(w, r.WithContext(simapi.WithCredential(r.Context(), cred)))
	})
}

// credential names the credential of r ("" and a reason when it has none valid).
func (s *Server) credential(r *http.Request) (string, string) {
	if k := r.Header.Get("X-SmartToken"); k != "" {
		if subtle.ConstantTimeCompare([]byte(k), []byte(s.cfg.Token)) == 1 {
			return "api-key", ""
		}
		return "", "Invalid API key"
	}
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		tok := strings.TrimSpace(h[7:])
		s.tokMu.Lock()
		info, ok := s.tokens[tok]
		s.tokMu.Unlock()
		switch {
		case !ok:
			return "", "Invalid access token"
		case !s.cfg.Clock().Before(info.expires):
			return "", "Access token expired"
		}
		return "oauth:" + info.clientID, ""
	}
	return "", "Authentication required: send X-SmartToken or Authorization: Bearer"
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		simapi.WriteError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "Use POST")
		return
	}
	if err := r.ParseForm(); err != nil {
		simapi.WriteError(w, http.StatusBadRequest, "INVALID_REQUEST", "Malformed form body")
		return
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if id == "" {
		if u, p, ok := r.BasicAuth(); ok {
			id, secret = u, p
		}
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		simapi.WriteError(w, http.StatusBadRequest, "UNSUPPORTED_GRANT_TYPE", "grant_type must be client_credentials")
		return
	}
	if subtle.ConstantTimeCompare([]byte(id), []byte(s.cfg.ClientID)) != 1 || subtle.ConstantTimeCompare([]byte(secret), []byte(s.cfg.ClientSecret)) != 1 {
		simapi.WriteError(w, http.StatusUnauthorized, "INVALID_CLIENT", "Invalid client credentials")
		return
	}
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		simapi.WriteError(w, http.StatusInternalServerError, "INTERNAL_ERROR", "token generation failed")
		return
	}
	tok := hex.EncodeToString(b[:])
	now := s.cfg.Clock()
	s.tokMu.Lock()
	for k, v := range s.tokens {
		if !now.Before(v.expires) {
			delete(s.tokens, k)
		}
	}
	s.tokens[tok] = tokenInfo{clientID: id, expires: now.Add(s.cfg.TokenTTL)}
	s.tokMu.Unlock()
	s.counters.CountToken()
	simapi.WriteJSON(w, http.StatusOK, simapi.Object{
		{Key: "access_token", Value: tok},
		{Key: "token_type", Value: "bearer"},
		{Key: "expires_in", Value: int(math.Ceil(s.cfg.TokenTTL.Seconds()))},
	})
}

// ---------------------------------------------------------------- routing

func (s *Server) routes() http.Handler {
	m := http.NewServeMux()
	m.HandleFunc("GET /user-api/v201804/users", s.read(handleUsers))
	m.HandleFunc("GET /user-api/v201804/system-roles", s.read(handleSystemRoles))
	m.HandleFunc("GET /jobs", s.read(handleJobs))
	m.HandleFunc("GET /jobs/{jobId}", s.read(jobHandler(func(w *world, j *job) any { return wireJobDetails(j) })))
	m.HandleFunc("GET /jobs/{jobId}/hiring-team", s.read(jobHandler(func(w *world, j *job) any { return list(j.Team) })))
	m.HandleFunc("GET /jobs/{jobId}/jobads", s.read(jobHandler(func(w *world, j *job) any {
		out := make([]wJobAd, 0, len(j.Ads))
		for _, a := range j.Ads {
			out = append(out, wireJobAd(a))
		}
		return out
	})))
	m.HandleFunc("GET /jobs/{jobId}/status/history", s.read(jobHandler(func(w *world, j *job) any {
		out := make([]wJobStatus, 0, len(j.History))
		for _, h := range j.History {
			out = append(out, wJobStatus{ChangedOn: ts(h.ChangedOn), Status: h.Status})
		}
		return list(out)
	})))
	m.HandleFunc("GET /candidates", s.read(handleCandidates))
	m.HandleFunc("GET /candidates/{id}", s.read(func(w *world, r *http.Request) (int, any) {
		c := w.candByID[r.PathValue("id")]
		if c == nil {
			return http.StatusNotFound, simapi.NewErrorBody("CANDIDATE_NOT_FOUND", "Candidate not found")
		}
		return http.StatusOK, wireCandidate(c)
	}))
	m.HandleFunc("GET /candidates/{id}/jobs/{jobId}", s.read(appHandler(func(a *application) any { return wireApplication(a) })))
	m.HandleFunc("GET /candidates/{id}/jobs/{jobId}/status/history", s.read(appHandler(func(a *application) any {
		out := make([]wAppStatus, 0, len(a.History))
		for _, h := range a.History {
			out = append(out, wAppStatus{ChangedOn: ts(h.ChangedOn), Status: h.Status, SubStatus: h.SubStatus})
		}
		return list(out)
	})))
	m.HandleFunc("GET /candidates/{id}/jobs/{jobId}/screening-answers", s.read(appHandler(func(a *application) any { return list(a.Answers) })))
	m.HandleFunc("GET /candidates/{id}/jobs/{jobId}/properties", s.read(appHandler(func(a *application) any { return list(a.Props) })))
	m.HandleFunc("GET /candidates/{id}/jobs/{jobId}/offers", s.read(appHandler(func(a *application) any {
		out := make([]wOffer, 0, len(a.Offers))
		for _, o := range a.Offers {
			out = append(out, wOffer{ID: o.ID, Status: o.Status, CreatedOn: ts(o.CreatedOn), UpdatedOn: ts(o.UpdatedOn), Properties: o.Props})
		}
		return list(out)
	})))
	m.HandleFunc("GET /interviews-api/v201904/interviews", s.read(handleInterviews))
	m.HandleFunc("GET /configuration/hiring-processes", s.read(handleProcesses))
	m.HandleFunc("GET /configuration/rejection-reasons", s.read(func(w *world, r *http.Request) (int, any) { return http.StatusOK, list(w.reasons) }))
	m.HandleFunc("GET /configuration/company", s.read(func(w *world, r *http.Request) (int, any) {
		return http.StatusOK, map[string]string{"identifier": w.company}
	}))
	m.HandleFunc("GET /v1/companies/{identifier}/postings", s.read(handlePostings))
	m.HandleFunc("GET /postings/{uuid}/configuration", s.read(func(w *world, r *http.Request) (int, any) {
		p := w.postingByUUID[r.PathValue("uuid")]
		if p == nil {
			return http.StatusNotFound, simapi.NewErrorBody("POSTING_NOT_FOUND", "Posting not found")
		}
		return http.StatusOK, wPostingConfig{Questions: p.Questions}
	}))
	m.HandleFunc("/", notFound)
	return m
}

func notFound(w http.ResponseWriter, r *http.Request) {
	simapi.WriteError(w, http.StatusNotFound, "NOT_FOUND", "No such endpoint: "+r.Method+" "+r.URL.Path)
}

// read builds the reply under the read lock, then writes it (so the limiter
// slot is released after the body is built and before it is sent).
func (s *Server) read(fn func(w *world, r *http.Request) (int, any)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.RLock()
		status, v := fn(s.w, r)
		body, err := simapi.Marshal(v)
		s.mu.RUnlock()
		if err != nil {
			simapi.WriteError(w, http.StatusInternalServerError, "INTERNAL_ERROR", "encode reply")
			return
		}
		simapi.WriteRaw(w, status, body)
	}
}

func badRequest(msg string) (int, any) {
	return http.StatusBadRequest, simapi.NewErrorBody("INVALID_PARAMETER", msg)
}

func jobHandler(fn func(w *world, j *job) any) func(w *world, r *http.Request) (int, any) {
	return func(w *world, r *http.Request) (int, any) {
		j := w.jobByID[r.PathValue("jobId")]
		if j == nil {
			return http.StatusNotFound, simapi.NewErrorBody("JOB_NOT_FOUND", "Job not found")
		}
		return http.StatusOK, fn(w, j)
	}
}

func appHandler(fn func(a *application) any) func(w *world, r *http.Request) (int, any) {
	return func(w *world, r *http.Request) (int, any) {
		c := w.candByID[r.PathValue("id")]
		if c == nil {
			return http.StatusNotFound, simapi.NewErrorBody("CANDIDATE_NOT_FOUND", "Candidate not found")
		}
		jobID := r.PathValue("jobId")
		for _, a := range c.Apps {
			if a.job.ID == jobID {
				return http.StatusOK, fn(a)
			}
		}
		return http.StatusNotFound, simapi.NewErrorBody("APPLICATION_NOT_FOUND", "Candidate has not applied to this job")
	}
}

// ---------------------------------------------------------------- paging

// limitParam reads limit (default def; 1-100).
func limitParam(q url.Values, def int) (int, bool) {
	v := q.Get("limit")
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 100 {
		return 0, false
	}
	return n, true
}

const cursorPrefix = "sr1:"

func encodeCursor(lastID string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + lastID))
}

func decodeCursor(s string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) {
		return "", false
	}
	return string(b[len(cursorPrefix):]), true
}

// cursorPage pages items (sorted by id) after the cursor in q, keeping those keep accepts.
func cursorPage[T any, W any](q url.Values, items []T, id func(T) string, keep func(T) bool, wire func(T) W) (int, any) {
	limit, ok := limitParam(q, 10)
	if !ok {
		return badRequest("limit must be an integer from 1 to 100")
	}
	start := 0
	if p := q.Get("pageId"); p != "" {
		after, ok := decodeCursor(p)
		if !ok {
			return badRequest("invalid pageId")
		}
		start = sort.Search(len(items), func(i int) bool { return id(items[i]) > after })
	}
	out := wPage[W]{Content: make([]W, 0, limit)}
	if keep == nil {
		out.TotalFound = len(items)
		end := min(start+limit, len(items))
		for i := start; i < end; i++ {
			out.Content = append(out.Content, wire(items[i]))
		}
		if end < len(items) {
			out.NextPageID = encodeCursor(id(items[end-1]))
		}
		return http.StatusOK, out
	}
	last, more := "", false
	for i, it := range items {
		if !keep(it) {
			continue
		}
		out.TotalFound++
		switch {
		case i < start:
		case len(out.Content) < limit:
			out.Content = append(out.Content, wire(it))
			last = id(it)
		default:
			more = true
		}
	}
	if more {
		out.NextPageID = encodeCursor(last)
	}
	return http.StatusOK, out
}

// updatedAfter parses the inclusive updatedAfter filter (nil when absent).
func updatedAfter(q url.Values) (func(time.Time) bool, bool) {
	v := q.Get("updatedAfter")
	if v == "" {
		return nil, true
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return nil, false
	}
	return func(u time.Time) bool { return !u.Before(t) }, true
}

// ---------------------------------------------------------------- lists

func handleUsers(w *world, r *http.Request) (int, any) {
	return cursorPage(r.URL.Query(), w.users, func(u *user) string { return u.ID }, nil, w.wireUser)
}

func handleSystemRoles(w *world, r *http.Request) (int, any) {
	out := make([]wRole, 0, len(w.roles))
	for _, x := range w.roles {
		out = append(out, wRole{ID: x.ID, Name: x.Label})
	}
	return http.StatusOK, list(out)
}

func handleJobs(w *world, r *http.Request) (int, any) {
	q := r.URL.Query()
	if q.Get("sort") != "job_id" {
		return badRequest("paging by pageId requires sort=job_id")
	}
	after, ok := updatedAfter(q)
	if !ok {
		return badRequest("updatedAfter must be an ISO 8601 timestamp")
	}
	var keep func(*job) bool
	if after != nil {
		keep = func(j *job) bool { return after(j.UpdatedOn) }
	}
	return cursorPage(q, w.jobs, func(j *job) string { return j.ID }, keep, wireJobSummary)
}

func handleCandidates(w *world, r *http.Request) (int, any) {
	q := r.URL.Query()
	after, ok := updatedAfter(q)
	if !ok {
		return badRequest("updatedAfter must be an ISO 8601 timestamp")
	}
	var keep func(*candidate) bool
	if after != nil {
		keep = func(c *candidate) bool { return after(c.UpdatedOn) }
	}
	return cursorPage(q, w.cands, func(c *candidate) string { return c.ID }, keep, wireCandidateSummary)
}

func handleInterviews(w *world, r *http.Request) (int, any) {
	id := r.URL.Query().Get("applicationId")
	if id == "" {
		return badRequest("applicationId is required")
	}
	out := []wInterview{}
	if a := w.appByID[id]; a != nil {
		for _, iv := range a.Interviews {
			out = append(out, wireInterview(iv))
		}
	}
	return http.StatusOK, list(out)
}

func handleProcesses(w *world, r *http.Request) (int, any) {
	out := make([]wProcess, 0, len(w.processes))
	for _, p := range w.processes {
		out = append(out, wProcess{ID: p.ID, Name: p.Name, Active: p.Active, SubStatuses: wSubStatuses{InReview: p.Sub[0], Interview: p.Sub[1], Offered: p.Sub[2]}})
	}
	return http.StatusOK, list(out)
}

func handlePostings(w *world, r *http.Request) (int, any) {
	if r.PathValue("identifier") != w.company {
		return http.StatusNotFound, simapi.NewErrorBody("COMPANY_NOT_FOUND", "Company not found")
	}
	q := r.URL.Query()
	limit, ok := limitParam(q, 10)
	if !ok {
		return badRequest("limit must be an integer from 1 to 100")
	}
	offset := 0
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return badRequest("offset must be a non-negative integer")
		}
		offset = n
	}
	out := wPostings{TotalFound: len(w.postings), Limit: limit, Offset: offset, Content: []wPostingItem{}}
	for i := offset; i < len(w.postings) && i < offset+limit; i++ {
		p := w.postings[i]
		out.Content = append(out.Content, wPostingItem{ID: p.ID, UUID: p.UUID, JobAdID: p.ad.ID, RefNumber: p.job.Ref, Name: p.ad.Title})
	}
	return http.StatusOK, out
}
