package bench

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/atslake/atslake/pipeline"
	phsandbox "github.com/atslake/atslake/sandbox/phenom"
	"github.com/atslake/atslake/sandbox/simapi"
	srsandbox "github.com/atslake/atslake/sandbox/smartrecruiters"
)

// Connector names, as pipeline spells them.
const (
	SmartRecruiters = pipeline.ConnectorSmartRecruiters
	Phenom          = pipeline.ConnectorPhenom
)

// Sandbox credentials (the sandboxes' defaults).
const (
	sandboxToken  = "sandbox-token"
	sandboxClient = "sandbox-client"
	sandboxSecret = "sandbox-secret"
)

// sandboxes are simulated sources served on loopback by this process.
type sandboxes struct {
	urls map[string]string // connector -> base URL
	stop context.CancelFunc
}

// startSandboxes serves one sandbox per connector at scale (seed 1, epoch 0)
// until ctx ends or stop is called. rateLimit < 0 keeps each sandbox's
// documented limit, 0 relaxes it.
func startSandboxes(ctx context.Context, scale, rateLimit int, connectors ...string) (*sandboxes, error) {
	ctx, cancel := context.WithCancel(ctx)
	s := &sandboxes{urls: map[string]string{}, stop: cancel}
	for _, c := range connectors {
		var h http.Handler
		var err error
		switch c {
		case SmartRecruiters:
			cfg := srsandbox.DefaultConfig()
			cfg.Seed, cfg.Scale = 1, max(scale, 3)
			if rateLimit >= 0 {
				cfg.RateLimit = rateLimit
			}
			h, err = srsandbox.New(cfg)
		case Phenom:
			cfg := phsandbox.DefaultConfig()
			cfg.Seed, cfg.Scale = 1, max(scale, phsandbox.MinScale)
			if rateLimit >= 0 {
				cfg.RateLimit = rateLimit
			}
			h, err = phsandbox.New(cfg)
		default:
			err = fmt.Errorf("unknown connector %q", c)
		}
		if err != nil {
			cancel()
			return nil, fmt.Errorf("start %s sandbox at scale %d: %w", c, scale, err)
		}
		url, err := serve(ctx, h)
		if err != nil {
			cancel()
			return nil, fmt.Errorf("start %s sandbox: %w", c, err)
		}
		s.urls[c] = url
	}
	return s, nil
}

// serve serves h on a free loopback port until ctx ends.
func serve(ctx context.Context, h http.Handler) (string, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	return simapi.BaseURL(ln.Addr()), nil
}

// connection is the pipeline connection of a sandbox at url. unthrottled
// drops the client-side rate limit (for relaxed sandboxes).
func connection(connector, url string, unthrottled bool) pipeline.Connection {
	c := pipeline.Connection{ID: connID(connector), Connector: connector, BaseURL: url, Unthrottled: unthrottled}
	switch connector {
	case SmartRecruiters:
		c.Token = pipeline.NewSecret(sandboxToken)
		c.AppURL = "https://www.smartrecruiters.com"
	case Phenom:
		c.ClientID, c.ClientSecret = pipeline.NewSecret(sandboxClient), pipeline.NewSecret(sandboxSecret)
		c.TokenURL, c.SiteType, c.Locale = url, "external", "en_US"
	}
	return c
}

// connID is the connection id the benchmark uses for a connector.
func connID(connector string) string { return "bench-" + connector }
