package phenom

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/atslake/atslake/extract"
)

// Token lifetime policy: a token is refreshed refreshShare of its lifetime
// before its exp, at least minRefreshMargin and at most maxRefreshMargin
// before, but never before half its lifetime has passed (so a token that
// lives 2 s is used for about 1 s and a very short-lived one is still used).
// The extract.CachedToken that caches the token is handed refreshAt as the
// token's expiry, so it refreshes (by its own, smaller margin) slightly
// earlier still and never uses a token past it.
const (
	refreshShare     = 10 // percent
	minRefreshMargin = time.Second
	maxRefreshMargin = 5 * time.Minute
)

// errTokenShape is the cause of every token reply or JWT that cannot be read.
// Its messages never contain the token.
var errTokenShape = fmt.Errorf("token reply: %w", extract.ErrMalformed)

// parseTokenReply reads the token endpoint's reply: a JSON object whose first
// property (whatever its name) holds the access token as a non-empty string.
// expiresIn is the optional expires_in property in seconds (0 when absent or
// not a positive number).
func parseTokenReply(data []byte) (token string, expiresIn time.Duration, err error) {
	if !json.Valid(data) {
		return "", 0, fmt.Errorf("%w: not valid JSON", errTokenShape)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if t, _ := dec.Token(); t != json.Delim('{') {
		return "", 0, fmt.Errorf("%w: not a JSON object", errTokenShape)
	}
	first := true
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return "", 0, fmt.Errorf("%w: unreadable property name", errTokenShape)
		}
		key, _ := kt.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return "", 0, fmt.Errorf("%w: unreadable property value", errTokenShape)
		}
		switch {
		case first:
			s, ok := v.(string)
			if !ok || strings.TrimSpace(s) == "" {
				return "", 0, fmt.Errorf("%w: the first property (%q) is not a non-empty string", errTokenShape, key)
			}
			token = strings.TrimSpace(s)
			first = false
		case key == fieldExpiresIn:
			if n, ok := v.(json.Number); ok {
				if f, err := n.Float64(); err == nil && f > 0 && f < maxExpiresIn {
					expiresIn = time.Duration(f * float64(time.Second))
				}
			}
		}
	}
	if first {
		return "", 0, fmt.Errorf("%w: empty object", errTokenShape)
	}
	return token, expiresIn, nil
}

// maxExpiresIn bounds expires_in (seconds) so the duration cannot overflow.
const maxExpiresIn = 100 * 365 * 24 * 3600

// maxUnix bounds a JWT exp claim (the year 9999) so the time cannot overflow.
const maxUnix = 253402300799

// jwtExpiry returns the exp claim of a JWT (header.payload.signature, each
// base64url). The signature is not checked: the token is only passed back to
// the API that issued it.
func jwtExpiry(token string) (time.Time, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}, fmt.Errorf("%w: the token is not a JWT (%d parts)", errTokenShape, len(parts))
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: the JWT payload is not base64url", errTokenShape)
	}
	var claims map[string]json.RawMessage
	if err := json.Unmarshal(payload, &claims); err != nil || claims == nil {
		return time.Time{}, fmt.Errorf("%w: the JWT payload is not a JSON object", errTokenShape)
	}
	raw, ok := claims[claimExp]
	if !ok {
		return time.Time{}, fmt.Errorf("%w: the JWT has no exp claim", errTokenShape)
	}
	if len(raw) == 0 || raw[0] == '"' {
		return time.Time{}, fmt.Errorf("%w: the JWT exp claim is not a number", errTokenShape)
	}
	var n json.Number
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&n); err != nil {
		return time.Time{}, fmt.Errorf("%w: the JWT exp claim is not a number", errTokenShape)
	}
	f, err := n.Float64()
	if err != nil || math.IsNaN(f) || f <= 0 || f > maxUnix {
		return time.Time{}, fmt.Errorf("%w: the JWT exp claim is out of range", errTokenShape)
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
}

// refreshAt returns when a token fetched at fetched and expiring at exp must
// be replaced (see the policy constants).
func refreshAt(fetched, exp time.Time) time.Time {
	life := exp.Sub(fetched)
	margin := life * refreshShare / 100
	margin = max(margin, minRefreshMargin)
	margin = min(margin, maxRefreshMargin, life/2)
	return exp.Add(-margin)
}
