// Package load owns the Parquet lake on disk and its DuckDB catalog.
//
// A Lake is a folder laid out as product.md "The lake on disk" describes:
// one folder per unified table with a Hive partition per connection
// (<lake>/<table>/connection=<id>/part-0.parquet, sorted by id), every
// version ever written under _history, run records under _runs, writer
// locks under _locks and commit journals under _state.
//
// A Run is one sync of one connection: Begin takes the connection's OS
// advisory lock, Write buffers the unified rows (spilling sorted runs to
// temporary files beyond a memory budget), and Commit merges them, streaming
// row by row, with the previous state of every table: it sets changed_at and
// remote_deleted_at (unified-model.md), writes the new files under temporary
// names, records every rename in a journal and then performs them, so a
// reader never sees a half-written file and a killed run is completed by the
// next Begin.
//
// The catalog (<lake>/catalog.duckdb) holds only views over the lake's files
// (BuildCatalog, EnsureCatalog) and is opened read-only (OpenCatalog).
package load
