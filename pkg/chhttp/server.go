package chhttp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// DefaultAddr is where Start listens when Config.Addr is empty: ClickHouse's
// HTTP port, on loopback only.
const DefaultAddr = "127.0.0.1:8123"

// Config says where to listen and who may connect.
type Config struct {
	// Addr is host:port; port 0 picks a free one (see Server.Addr). A
	// host-less ":port" means loopback, 127.0.0.1:port: every interface
	// takes an explicit 0.0.0.0:port or [::]:port.
	Addr string
	// Users may connect; empty means ClickHouse's out-of-the-box "default"
	// user with an empty password.
	Users []User
}

// Server is a running listener.
type Server struct {
	srv  *http.Server
	ln   net.Listener
	done chan struct{}
	err  error
}

// ListenAddr is the address Start binds for addr: DefaultAddr for "",
// loopback for a host-less ":port".
func ListenAddr(addr string) (string, error) {
	if addr == "" {
		return DefaultAddr, nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("chhttp: listen address %q: %w (want host:port, :port or [::]:port)", addr, err)
	}
	if host == "" {
		// Go would take an empty host as every interface; a development
		// server holding passwords should not end up there by omission.
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

// AllInterfaces tells whether a bound address accepts connections on every
// interface rather than one.
func AllInterfaces(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsUnspecified()
}

// Start binds cfg.Addr (see ListenAddr) and serves eng on it in the
// background.
func Start(ctx context.Context, cfg Config, eng Engine) (*Server, error) {
	addr, err := ListenAddr(cfg.Addr)
	if err != nil {
		return nil, err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("chhttp: listen on %s: %w", addr, err)
	}
	s := &Server{
		srv: &http.Server{
			Handler:           NewHandler(eng, cfg.Users),
			ReadHeaderTimeout: 30 * time.Second,
			// No write timeout: a query may legitimately run for long.
		},
		ln:   ln,
		done: make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.err = fmt.Errorf("chhttp: serve on %s: %w", ln.Addr(), err)
		}
	}()
	return s, nil
}

// Addr is the address actually bound, e.g. 127.0.0.1:41234.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Shutdown stops accepting connections and waits for running requests until
// ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	if err := s.srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("chhttp: shutdown: %w", err)
	}
	<-s.done
	return s.err
}

// Done is closed when the server stops serving.
func (s *Server) Done() <-chan struct{} { return s.done }

// Err is why the server stopped, once Done is closed; nil after Shutdown.
func (s *Server) Err() error {
	<-s.done
	return s.err
}

// ListenAndServe serves eng until ctx ends, then shuts down gracefully
// (waiting up to 10 s for running requests). ready, if not nil, is called
// with the bound address once the listener is up.
func ListenAndServe(ctx context.Context, cfg Config, eng Engine, ready func(addr string)) error {
	s, err := Start(ctx, cfg, eng)
	if err != nil {
		return err
	}
	if ready != nil {
		ready(s.Addr())
	}
	select {
	case <-ctx.Done():
		shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		return s.Shutdown(shutCtx)
	case <-s.done:
		return s.err
	}
}
