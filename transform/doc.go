// Package transform owns turning source documents into unified tables: the
// deterministic ids, the shared mapping rules (enum text matching, locations,
// e-mail validation, compact JSON), Arrow builders for the unified tables, and
// one sub-package per source with that source's mapping. Change detection
// (changed_at, deletions) is applied where rows meet the previous state, in load.
package transform
