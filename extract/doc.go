// Package extract owns reading source APIs: the HTTP client every connector
// shares (authentication, per-credential rate and concurrency limits, retries
// with backoff, timeouts, body limits, JSON decoding), paging helpers, and the
// record batches of source documents that extractors hand to transform.
//
// One sub-package per source (extract/smartrecruiters, extract/phenom) knows
// that source's endpoints and turns its pages into batches of Docs.
package extract
