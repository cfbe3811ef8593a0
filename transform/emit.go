package transform

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
)

// Emitter receives the unified rows a mapper produces. rec has exactly the
// schema of the named table (schemas.MustLookup(table).Schema()); the mapper
// releases rec after Emit returns, so an Emitter that keeps it must Retain it.
type Emitter interface {
	Emit(ctx context.Context, table string, rec arrow.RecordBatch) error
}

// Skipper is told about source records that could not be mapped; they are
// left out of this run (their previous version stays) and the run is partial.
type Skipper interface {
	Skip(table, remoteID, endpoint string, err error)
}
