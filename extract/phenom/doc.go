// Package phenom reads the Phenom API of shared/spec/phenom.md (token
// exchange, the jobs and applications listings) and yields batches of source
// documents (extract.DocSchema) in the order docs.go describes.
//
// Tokens: POST {token_url}/token with the camel-case form keys; the first
// property of the reply holds the token, whatever its name. Its lifetime is
// the JWT exp claim (the signature is not checked), else the reply's
// expires_in. A token is replaced a tenth of its lifetime before exp (at
// least 1 s, at most 5 min, and never before half its lifetime), through an
// extract.CachedToken, and once more after a 401 (the client invalidates and
// retries once); a second 401 fails the run with a clear error. Neither the
// client secret nor a token appears in any error or log.
//
// Every run reads both lists completely (Phenom has no "changed since"
// filter), a page of 100 at a time: memory holds one page and one batch.
package phenom
