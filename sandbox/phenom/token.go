package phenom

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"time"
)

// Token verification failures (their messages never contain the token).
var (
	errTokenMissing = errors.New("missing bearer token")
	errTokenInvalid = errors.New("invalid access token")
	errTokenExpired = errors.New("access token expired")
)

// jwtHeader is the fixed header of every token the sandbox issues.
var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))

// claims is the JWT payload.
type claims struct {
	Exp int64  `json:"exp"` // unix seconds; the token is rejected once now >= exp
	Iat int64  `json:"iat"`
	Sub string `json:"sub"` // the client id
	Jti int64  `json:"jti"` // sequence number of the token
}

// tokens issues and verifies HS256 JWTs signed with a key that lives only in
// this process, so a token from another sandbox instance is rejected.
type tokens struct {
	key    []byte
	ttl    time.Duration
	now    func() time.Time
	issued atomic.Int64
}

func newTokens(ttl time.Duration, now func() time.Time) *tokens {
	key := make([]byte, 32)
	_, _ = rand.Read(key) // crypto/rand.Read never fails
	return &tokens{key: key, ttl: ttl, now: now}
}

// issue returns a new token for sub with its expiry (whole unix seconds) and
// the expires_in to announce. exp is the first whole second at or after
// now+ttl, so a token lives at least ttl and less than ttl+1s; expires_in is
// the whole seconds from now to exp rounded down, so it never overstates the
// lifetime.
func (t *tokens) issue(sub string) (token string, exp, expiresIn int64) {
	now := t.now()
	end := now.Add(t.ttl)
	exp = end.Unix()
	if end.After(time.Unix(exp, 0)) {
		exp++
	}
	expiresIn = int64(time.Unix(exp, 0).Sub(now) / time.Second)
	payload, _ := json.Marshal(claims{Exp: exp, Iat: now.Unix(), Sub: sub, Jti: t.issued.Add(1)})
	signing := jwtHeader + "." + base64.RawURLEncoding.EncodeToString(payload)
	return signing + "." + t.sign(signing), exp, expiresIn
}

func (t *tokens) sign(signing string) string {
	m := hmac.New(sha256.New, t.key)
	m.Write([]byte(signing))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// verify checks the Authorization header value ("Bearer <token>") and returns
// the token's subject.
func (t *tokens) verify(authorization string) (string, error) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(authorization), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", errTokenMissing
	}
	parts := strings.Split(strings.TrimSpace(tok), ".")
	if len(parts) != 3 {
		return "", errTokenInvalid
	}
	if !hmac.Equal([]byte(parts[2]), []byte(t.sign(parts[0]+"."+parts[1]))) {
		return "", errTokenInvalid
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", errTokenInvalid
	}
	var c claims
	if err := json.Unmarshal(raw, &c); err != nil {
		return "", errTokenInvalid
	}
	if !t.now().Before(time.Unix(c.Exp, 0)) {
		return "", errTokenExpired
	}
	return c.Sub, nil
}
