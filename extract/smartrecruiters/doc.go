// Package smartrecruiters reads the SmartRecruiters API (every endpoint of
// shared/spec/smartrecruiters.md, shapes pinned in WIRE.md) and yields batches
// of source documents (extract.DocSchema) in the order docs.go describes.
package smartrecruiters
