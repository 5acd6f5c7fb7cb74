package datasource

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/clickpy/clickpy-grafana/pkg/readstats"
)

// open makes the connection pool for the settings. clickhouse-go connects
// lazily, so a server that is down shows up at the first query or health
// check, not here.
func open(s Settings) (driver.Conn, error) {
	proto := clickhouse.Native
	if s.Protocol == ProtocolHTTP {
		proto = clickhouse.HTTP
	}
	opts := &clickhouse.Options{
		// Several addresses are replicas: clickhouse-go opens each
		// connection on the first that answers, in order.
		Addr:             s.Addrs,
		ConnOpenStrategy: clickhouse.ConnOpenInOrder,
		Protocol:         proto,
		Auth:             clickhouse.Auth{Database: s.Database, Username: s.Username, Password: s.Password},
		DialTimeout:      s.DialTimeout,
		ReadTimeout:      s.QueryTimeout + s.DialTimeout,
		MaxOpenConns:     s.MaxOpenConns,
		MaxIdleConns:     min(s.MaxOpenConns, maxIdleConns),
		ClientInfo: clickhouse.ClientInfo{Products: []struct{ Name, Version string }{
			{Name: "clickpy-grafana", Version: "0.1"},
		}},
	}
	if proto == clickhouse.HTTP {
		opts.TransportFunc = func(t *http.Transport) (http.RoundTripper, error) { return closeAfterError{t}, nil }
	}
	if s.Secure {
		tc, err := tlsConfig(s)
		if err != nil {
			return nil, err
		}
		opts.TLS = tc
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("opening ClickHouse connection to %s: %w", strings.Join(opts.Addr, ", "), err)
	}
	return conn, nil
}

// closeAfterError keeps no HTTP connection alive after an error reply,
// and hands the server's X-ClickHouse-Summary to the query's read stats.
//
// clickhouse-go (v2.50) drops a connection whose opening query fails, on a
// wrong password for instance, without closing its transport: the socket
// and two goroutines stayed for ConnMaxLifetime (an hour) after every
// failed health check or query. Each clickhouse-go connection has its own
// transport, and it closes one that saw an error anyway, so this costs
// nothing on the normal path.
type closeAfterError struct{ *http.Transport }

func (c closeAfterError) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.Transport.RoundTrip(r)
	if err == nil {
		readstats.From(r.Context()).Summary(resp.Header.Get(readstats.SummaryHeader))
	}
	if err == nil && resp.StatusCode != http.StatusOK {
		// Connections becoming idle from now on are closed, this one too.
		c.CloseIdleConnections()
	}
	return resp, err
}

func tlsConfig(s Settings) (*tls.Config, error) {
	tc := &tls.Config{
		InsecureSkipVerify: s.TLSSkipVerify, //nolint:gosec // the user's explicit choice, shown in the config editor
		ServerName:         s.TLSServerName,
		MinVersion:         tls.VersionTLS12,
	}
	if s.TLSCACert != "" {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM([]byte(s.TLSCACert)) {
			return nil, settingErr("tlsCACert", "holds no PEM certificate")
		}
		tc.RootCAs = pool
	}
	if s.TLSClientCert != "" {
		cert, err := tls.X509KeyPair([]byte(s.TLSClientCert), []byte(s.TLSClientKey))
		if err != nil {
			return nil, settingErr("tlsClientCert", "certificate and key do not load: %v", err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}
