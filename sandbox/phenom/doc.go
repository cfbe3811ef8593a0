// Package phenom owns the simulated Phenom API (the sandbox of
// shared/spec/sandbox.md for the connector of shared/spec/phenom.md): the
// token endpoint (POST /token, client credentials to a short-lived JWT), the
// jobs listing (GET /jobs-api/v1/jobs, offset paging with totalRecordsCount,
// siteType filtering, one item per job and locale) and the applications
// listing (GET /apply/v2/applications, offset paging without a total), with
// data generated deterministically from (seed, scale), every Phenom quirk the
// sandbox contract names, epochs of change (/_sandbox/advance) and the truth
// a full sync must leave (/_sandbox/truth).
//
// Authentication, rate limiting and fault injection are chained as package
// simapi describes; the data values come from package fake.
package phenom
