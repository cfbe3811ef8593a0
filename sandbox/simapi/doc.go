// Package simapi owns the infrastructure every simulated source API (sandbox)
// shares: deterministic fault injection (failures, truncated bodies, latency,
// hostile bodies: see Junk), a per-credential request limiter that answers 429
// with X-RateLimit-* headers, JSON reply helpers, and Serve, which runs a
// handler on a loopback address and announces its base URL on standard output.
//
// A typical sandbox chains, for its API routes: authentication (which stores
// the credential with WithCredential), then Limiter.Wrap, then Faults.Wrap,
// then its own handler. Its /_sandbox/* routes bypass all three.
package simapi
