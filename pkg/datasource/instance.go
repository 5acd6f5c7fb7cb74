// Package datasource is the Grafana data-source instance: it turns the
// settings Grafana stores into a ClickHouse connection and answers Grafana's
// health checks and queries.
package datasource

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
)

// Settings are the data source's jsonData and secureJsonData.
type Settings struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Protocol string `json:"protocol"`
	Secure   bool   `json:"secure"`
	Username string `json:"username"`
	Database string `json:"database"`
	Password string `json:"-"`
}

// Instance is one configured data source.
type Instance struct {
	settings Settings
	conn     driver.Conn
}

// NewInstance is the SDK's instance factory.
func NewInstance(ctx context.Context, s backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	var st Settings
	if len(s.JSONData) > 0 {
		if err := json.Unmarshal(s.JSONData, &st); err != nil {
			return nil, fmt.Errorf("reading data source settings: %w", err)
		}
	}
	st.Password = s.DecryptedSecureJSONData["password"]
	if st.Database == "" {
		st.Database = "pypi"
	}
	if st.Host == "" {
		return nil, fmt.Errorf("settings: host is empty")
	}
	proto := clickhouse.Native
	if st.Protocol == "http" {
		proto = clickhouse.HTTP
	}
	conn, err := clickhouse.Open(&clickhouse.Options{
		Addr:        []string{net.JoinHostPort(st.Host, strconv.Itoa(st.Port))},
		Protocol:    proto,
		Auth:        clickhouse.Auth{Database: st.Database, Username: st.Username, Password: st.Password},
		DialTimeout: 10 * time.Second,
	})
	if err != nil {
		return nil, fmt.Errorf("opening ClickHouse connection: %w", err)
	}
	return &Instance{settings: st, conn: conn}, nil
}

// Dispose closes the connection when Grafana replaces the instance.
func (i *Instance) Dispose() { _ = i.conn.Close() }

// CheckHealth reports whether ClickHouse answers and which version it runs.
func (i *Instance) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	v, err := i.conn.ServerVersion()
	if err != nil {
		return &backend.CheckHealthResult{Status: backend.HealthStatusError,
			Message: fmt.Sprintf("ClickHouse at %s:%d did not answer: %v", i.settings.Host, i.settings.Port, err)}, nil
	}
	return &backend.CheckHealthResult{Status: backend.HealthStatusOk,
		Message: fmt.Sprintf("ClickHouse %s, database %s", v.Version, i.settings.Database)}, nil
}

// QueryData answers each query with an error until the query model lands.
func (i *Instance) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	for _, q := range req.Queries {
		resp.Responses[q.RefID] = backend.ErrDataResponse(backend.StatusNotImplemented,
			fmt.Sprintf("query %s: this backend build answers health checks only", q.RefID))
	}
	return resp, nil
}
