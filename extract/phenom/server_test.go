package phenom

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakePhenom serves the Phenom API of WIRE.md from in-memory lists. Tokens
// are JWTs whose exp is now plus ttl (fractional seconds when ttl is not a
// whole number of seconds); a request with an unknown or expired token is a 401.
type fakePhenom struct {
	t            *testing.T
	ttl          time.Duration
	clientID     string
	clientSecret string
	jobs         []json.RawMessage
	apps         []json.RawMessage
	noTotal      bool // omit totalRecordsCount on jobs pages

	// tokenReply builds the token reply from the JWT; default {"accessToken": jwt, ...}.
	tokenReply func(jwt string) string
	// reject401 makes the next n API calls 401 whatever the token.
	reject401 atomic.Int64
	// pageBody overrides the body of the API reply for path+offset ("" = normal).
	pageBody func(path string, offset int) string
	// onAPI runs before every API call is answered (e.g. to add latency).
	onAPI func(r *http.Request)

	mu       sync.Mutex
	tokens   map[string]time.Time // token -> exp
	issued   int
	requests []string // "METHOD path?query" of every call
	srv      *httptest.Server
}

func newFake(t *testing.T) *fakePhenom {
	f := &fakePhenom{t: t, ttl: time.Hour, clientID: "cid", clientSecret: "s3cr3t-value",
		tokens: map[string]time.Time{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakePhenom) config() Config {
	return Config{BaseURL: f.srv.URL, TokenURL: f.srv.URL, ClientID: f.clientID, ClientSecret: f.clientSecret,
		Retries: 2, BackoffFirst: time.Millisecond, BackoffMax: 5 * time.Millisecond, Timeout: 5 * time.Second}
}

func (f *fakePhenom) log() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.requests...)
}

func writeErr(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"status":%d,"message":%q}`, status, msg)
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func makeJWT(payload string) string {
	return b64(`{"alg":"HS256","typ":"JWT"}`) + "." + b64(payload) + "." + b64("sig")
}

func (f *fakePhenom) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.RequestURI())
	f.mu.Unlock()
	if r.URL.Path == PathToken {
		f.serveToken(w, r)
		return
	}
	if f.onAPI != nil {
		f.onAPI(r)
	}
	if f.reject401.Load() > 0 {
		f.reject401.Add(-1)
		writeErr(w, 401, "Unauthorized")
		return
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	exp, known := f.tokens[tok]
	f.mu.Unlock()
	if !ok || !known || !time.Now().Before(exp) {
		writeErr(w, 401, "invalid or expired token")
		return
	}
	q := r.URL.Query()
	offset, err1 := strconv.Atoi(q.Get("offset"))
	limit, err2 := strconv.Atoi(q.Get("limit"))
	if err1 != nil || err2 != nil || offset < 0 || limit < 1 || limit > 100 {
		writeErr(w, 400, "bad offset or limit")
		return
	}
	if f.pageBody != nil {
		if b := f.pageBody(r.URL.Path, offset); b != "" {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, b)
			return
		}
	}
	var items []json.RawMessage
	switch r.URL.Path {
	case PathJobs:
		if q.Get("siteType") == "" {
			writeErr(w, 400, "siteType required")
			return
		}
		items = f.jobs
	case PathApplications:
		items = f.apps
	default:
		writeErr(w, 404, "no such path")
		return
	}
	page := []json.RawMessage{}
	if offset < len(items) {
		page = items[offset:min(offset+limit, len(items))]
	}
	data := "[" + string(bytes.Join(rawBytes(page), []byte(","))) + "]" // items exactly as stored
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path == PathJobs {
		if f.noTotal {
			fmt.Fprintf(w, `{"status":"success","offset":%d,"limit":%d,"data":%s}`, offset, limit, data)
		} else {
			fmt.Fprintf(w, `{"status":"success","offset":%d,"limit":%d,"totalRecordsCount":%d,"data":%s}`, offset, limit, len(items), data)
		}
		return
	}
	fmt.Fprintf(w, `{"status":"success","statusCode":"200","statusMessage":"OK","data":%s}`, data)
}

func (f *fakePhenom) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		writeErr(w, 400, "want a form POST")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeErr(w, 400, "bad form")
		return
	}
	if r.PostForm.Get("clientId") != f.clientID || r.PostForm.Get("clientSecret") != f.clientSecret {
		writeErr(w, 401, "Invalid client credentials")
		return
	}
	f.mu.Lock()
	f.issued++
	n := f.issued
	now := time.Now()
	exp := time.Unix(now.Add(f.ttl).Unix(), 0)
	expText := strconv.FormatInt(exp.Unix(), 10)
	if f.ttl%time.Second != 0 {
		exp = now.Add(f.ttl)
		expText = strconv.FormatFloat(float64(exp.UnixMicro())/1e6, 'f', 6, 64)
	}
	jwt := makeJWT(fmt.Sprintf(`{"exp":%s,"iat":%d,"sub":%q,"n":%d}`, expText, now.Unix(), f.clientID, n))
	f.tokens[jwt] = exp
	f.mu.Unlock()
	reply := fmt.Sprintf(`{"accessToken":%q,"token_type":"Bearer","expires_in":%d}`, jwt, int(f.ttl/time.Second))
	if f.tokenReply != nil {
		reply = f.tokenReply(jwt)
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, reply)
}

func rawBytes(items []json.RawMessage) [][]byte {
	out := make([][]byte, len(items))
	for i, it := range items {
		out[i] = it
	}
	return out
}
