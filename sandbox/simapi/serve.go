package simapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"time"
)

// Serve listens on addr (e.g. "127.0.0.1:0" for a free port), prints exactly
// one line with the base URL ("http://127.0.0.1:<port>") to stdout once it
// accepts connections, and serves h until ctx is done; it then shuts down
// gracefully (waiting up to 5 s for requests in flight) and returns nil.
// An unspecified host (":8080", "0.0.0.0:8080") is announced as 127.0.0.1.
func Serve(ctx context.Context, addr string, h http.Handler, stdout io.Writer) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("sandbox listen %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 30 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	if _, err := fmt.Fprintln(stdout, BaseURL(ln.Addr())); err != nil {
		ln.Close()
		return fmt.Errorf("sandbox announce: %w", err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("sandbox serve %s: %w", addr, err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("sandbox serve %s: %w", addr, err)
	}
	return nil
}

// BaseURL returns "http://host:port" for a listener address, with an
// unspecified host written as 127.0.0.1.
func BaseURL(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}
