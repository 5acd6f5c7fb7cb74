package datasource

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"strconv"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
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
		Addr:         []string{net.JoinHostPort(s.Host, strconv.Itoa(s.Port))},
		Protocol:     proto,
		Auth:         clickhouse.Auth{Database: s.Database, Username: s.Username, Password: s.Password},
		DialTimeout:  s.DialTimeout,
		ReadTimeout:  s.QueryTimeout + s.DialTimeout,
		MaxOpenConns: s.MaxOpenConns,
		MaxIdleConns: min(s.MaxOpenConns, 5),
		ClientInfo: clickhouse.ClientInfo{Products: []struct{ Name, Version string }{
			{Name: "clickpy-grafana", Version: "0.1"},
		}},
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
		return nil, fmt.Errorf("opening ClickHouse connection to %s: %w", opts.Addr[0], err)
	}
	return conn, nil
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
