// Package phenom reads the Phenom API of shared/spec/phenom.md (token
// exchange, the jobs and applications listings) and yields batches of source
// documents (extract.DocSchema) in the order docs.go describes.
package phenom
