// Package smartrecruiters reads the SmartRecruiters API (every endpoint of
// shared/spec/smartrecruiters.md, shapes pinned in WIRE.md) and yields batches
// of source documents (extract.DocSchema) in the order docs.go describes.
//
// It owns: the Extractor (Config, New, Extract, Stats) with its bounded,
// ordered fan-out of detail calls (extract.go), the few parsers of source
// bytes it needs to follow links between endpoints (wire.go), and, in one
// place, every wire choice public material does not settle (assumed.go).
// It does not interpret documents: transform maps them to the unified model.
//
// Limits: one Extractor is one credential. Its extract.Client keeps the
// documented per-credential limits (Config.RateLimit requests per second,
// Config.Concurrency in flight, one candidate-list request at a time) and the
// extractor keeps that client busy: list pages are read ahead while a pool of
// workers fetches details, and documents are emitted in list order with at
// most Config.ReadAhead records buffered, whatever the tenant size.
package smartrecruiters
