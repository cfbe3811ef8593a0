// Package smartrecruiters owns the simulated SmartRecruiters API (the
// SmartRecruiters sandbox): deterministic data for a (seed, scale), epochs of
// change, every endpoint the connector reads with the exact JSON shapes of
// extract/smartrecruiters/WIRE.md, authentication (API key and OAuth client
// credentials), the documented per-credential limits, fault injection, and
// the truth: the remote ids a correct full sync at the current epoch leaves in
// every unified table.
//
// Routes under /_sandbox/ need no credentials and are not limited:
// POST /_sandbox/advance (next epoch), GET /_sandbox/truth, GET /_sandbox/faults.
package smartrecruiters
