// Package pipeline owns a run: loading and validating the configuration,
// wiring a connection's extractor, mapper and lake writer together, choosing
// full or incremental mode from the run records, writing the run record, and
// scheduling runs with cron.
package pipeline
