// Package extract owns reading source APIs: the HTTP client every connector
// shares (authentication, per-credential rate and concurrency limits, retries
// with backoff, timeouts, body limits, JSON decoding), the authenticators
// (API key, cached bearer tokens, OAuth client credentials), paging helpers,
// and the record batches of source documents that extractors hand to
// transform.
//
// One Client serves one credential: its sliding-window rate limit and
// concurrency caps apply across every goroutine using it, and a request's
// slots are held until its body has been read completely.
//
// One sub-package per source (extract/smartrecruiters, extract/phenom) knows
// that source's endpoints and turns its pages into batches of Docs.
package extract
