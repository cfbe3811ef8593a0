// Package smartrecruiters maps SmartRecruiters source documents (the
// extract.DocSchema records of extract/smartrecruiters, in its emission order)
// to the 20 unified tables, following the mapping table of
// shared/spec/smartrecruiters.md and the remote ids of
// extract/smartrecruiters/WIRE.md. Value spellings live in rules.go, the
// company-wide stage order in stages.go; rules shared with other sources are
// in package transform.
package smartrecruiters
