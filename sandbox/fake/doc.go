// Package fake owns deterministic, realistic fake data for the sandboxes:
// person names, companies, job titles, e-mail addresses, phone numbers and
// postal addresses in several countries (US, DE, FR, GB, ES, JP, CN, BR, IN),
// HTML job descriptions and free text with accents, CJK and emoji. Every value
// comes from a Faker seeded with (seed, stream), so the same seed and stream
// give the same values on every run and machine.
package fake
