package pipeline

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"net/http"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/extract"
	phextract "github.com/atslake/atslake/extract/phenom"
	srextract "github.com/atslake/atslake/extract/smartrecruiters"
	"github.com/atslake/atslake/transform"
	phtransform "github.com/atslake/atslake/transform/phenom"
	srtransform "github.com/atslake/atslake/transform/smartrecruiters"
)

// extractor is what the pipeline needs of a connector's extractor.
type extractor interface {
	Extract(ctx context.Context, req extract.Request) iter.Seq2[arrow.RecordBatch, error]
	Stats() extract.Stats
}

// mapper is what the pipeline needs of a connector's mapping.
type mapper interface {
	Map(ctx context.Context, docs arrow.RecordBatch, out transform.Emitter, skip transform.Skipper) error
	Finish(ctx context.Context, out transform.Emitter, skip transform.Skipper) error
	Release()
}

type source struct {
	extractor extractor
	mapper    mapper
}

type sourceOptions struct {
	httpClient *http.Client
	log        *slog.Logger
	alloc      memory.Allocator
}

// newSource wires the extractor and mapper of a connection's connector.
func newSource(conn Connection, o sourceOptions) (*source, error) {
	switch conn.Connector {
	case ConnectorSmartRecruiters:
		ex, err := srextract.New(srextract.Config{
			BaseURL: conn.BaseURL, Token: conn.Token.Reveal(),
			ClientID: conn.ClientID.Reveal(), ClientSecret: conn.ClientSecret.Reveal(),
			RateLimit: srRateLimit(conn), HTTPClient: o.httpClient, Logger: o.log,
		})
		if err != nil {
			return nil, fmt.Errorf("smartrecruiters extractor: %w", err)
		}
		m := srtransform.New(conn.ID, srtransform.WithAppURL(conn.AppURL), srtransform.WithAllocator(o.alloc))
		return &source{extractor: ex, mapper: m}, nil
	case ConnectorPhenom:
		ex, err := phextract.New(phextract.Config{
			BaseURL: conn.BaseURL, TokenURL: conn.TokenURL, SiteType: conn.SiteType,
			ClientID: conn.ClientID.Reveal(), ClientSecret: conn.ClientSecret.Reveal(),
			HTTPClient: o.httpClient, Logger: o.log,
		})
		if err != nil {
			return nil, fmt.Errorf("phenom extractor: %w", err)
		}
		m := phtransform.New(conn.ID, phtransform.WithLocale(conn.Locale), phtransform.WithAllocator(o.alloc))
		return &source{extractor: ex, mapper: m}, nil
	}
	return nil, fmt.Errorf("%w %q", errNoConnector, conn.Connector)
}

// srRateLimit is the client-side request rate for a SmartRecruiters
// connection: the documented 10 per second, or none for relaxed sandboxes.
func srRateLimit(conn Connection) int {
	if conn.Unthrottled {
		return 0
	}
	return 10
}
