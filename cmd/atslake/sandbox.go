package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	phsandbox "github.com/atslake/atslake/sandbox/phenom"
	"github.com/atslake/atslake/sandbox/simapi"
	srsandbox "github.com/atslake/atslake/sandbox/smartrecruiters"
)

type sandboxFlags struct {
	seed                   int64
	scale, epoch           int
	token                  string
	clientID, secret       string
	rateLimit              int
	failRate, truncateRate float64
	latency, tokenTTL      time.Duration
	junkRate               float64
	junkKinds              string
}

func cmdSandbox(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "sandbox")
	connector := fs.String("connector", "", "smartrecruiters or phenom")
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (127.0.0.1:0 picks a free port)")
	var f sandboxFlags
	fs.Int64Var(&f.seed, "seed", 1, "data seed")
	fs.IntVar(&f.scale, "scale", 200, "number of candidates (everything else in proportion)")
	fs.IntVar(&f.epoch, "epoch", 0, "rounds of change applied to the seed data")
	fs.StringVar(&f.token, "token", "sandbox-token", "SmartRecruiters API key")
	fs.StringVar(&f.clientID, "client-id", "sandbox-client", "OAuth client id")
	fs.StringVar(&f.secret, "client-secret", "sandbox-secret", "OAuth client secret")
	fs.IntVar(&f.rateLimit, "rate-limit", -1, "requests per second per credential (0 = unlimited; default: the source's documented limit)")
	fs.Float64Var(&f.failRate, "fail-rate", 0, "share of requests answered 500/503")
	fs.Float64Var(&f.truncateRate, "truncate-rate", 0, "share of bodies cut off mid-stream")
	fs.DurationVar(&f.latency, "latency", 0, "latency added per request")
	fs.DurationVar(&f.tokenTTL, "token-ttl", 0, "token lifetime (default 1h)")
	fs.Float64Var(&f.junkRate, "junk-rate", 0, "share of 200 replies whose body is replaced by hostile junk")
	fs.StringVar(&f.junkKinds, "junk-kinds", "all", "kinds of junk: all, or a comma-separated list of not-json, wrong-types, missing-ids, huge-string, deep-nesting")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	h, err := newSandbox(*connector, f)
	if err != nil {
		return err
	}
	return simapi.Serve(ctx, *addr, h, e.stdout)
}

func newSandbox(connector string, f sandboxFlags) (http.Handler, error) {
	if f.scale < 1 {
		return nil, usagef("--scale must be at least 1")
	}
	if f.epoch < 0 {
		return nil, usagef("--epoch must not be negative")
	}
	for name, v := range map[string]float64{"--fail-rate": f.failRate, "--truncate-rate": f.truncateRate, "--junk-rate": f.junkRate} {
		if v < 0 || v > 1 {
			return nil, usagef("%s must be between 0 and 1", name)
		}
	}
	junk, err := simapi.ParseJunk(f.junkKinds)
	if err != nil {
		return nil, usagef("--junk-kinds: %v", err)
	}
	switch connector {
	case "smartrecruiters":
		cfg := srsandbox.DefaultConfig()
		cfg.Seed, cfg.Scale, cfg.Epoch = f.seed, f.scale, f.epoch
		cfg.Token, cfg.ClientID, cfg.ClientSecret = f.token, f.clientID, f.secret
		if f.rateLimit >= 0 {
			cfg.RateLimit = f.rateLimit
		}
		cfg.FailRate, cfg.TruncateRate, cfg.Latency = f.failRate, f.truncateRate, f.latency
		cfg.JunkRate, cfg.JunkKinds = f.junkRate, junk
		if f.tokenTTL > 0 {
			cfg.TokenTTL = f.tokenTTL
		}
		return srsandbox.New(cfg)
	case "phenom":
		cfg := phsandbox.DefaultConfig()
		cfg.Seed, cfg.Scale, cfg.Epoch = f.seed, f.scale, f.epoch
		cfg.ClientID, cfg.ClientSecret = f.clientID, f.secret
		if f.rateLimit >= 0 {
			cfg.RateLimit = f.rateLimit
		}
		cfg.FailRate, cfg.TruncateRate, cfg.Latency = f.failRate, f.truncateRate, f.latency
		cfg.JunkRate, cfg.JunkKinds = f.junkRate, junk
		if f.tokenTTL > 0 {
			cfg.TokenTTL = f.tokenTTL
		}
		return phsandbox.New(cfg)
	case "":
		return nil, usagef("--connector is required (smartrecruiters or phenom)")
	}
	return nil, usagef("unknown --connector %q (smartrecruiters or phenom)", connector)
}

// startSandbox serves h on a free loopback port in this process until ctx ends.
func startSandbox(ctx context.Context, h http.Handler) (baseURL string, err error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("start sandbox: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	return simapi.BaseURL(ln.Addr()), nil
}
