// Package schemas owns the unified ATS model: every lake table as an Arrow
// schema with a doc line per column. It is the single source of truth that
// extract, transform, load, the catalog and `atslake schema` read from.
//
// Every table starts with the shared columns id, remote_id, changed_at and
// remote_deleted_at (in that order) followed by its own columns. The
// connection id is not a column of any file: it is the Hive partition folder.
package schemas
