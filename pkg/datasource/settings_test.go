package datasource

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func TestSettingsDefaults(t *testing.T) {
	s, err := LoadSettings(backend.DataSourceInstanceSettings{JSONData: []byte(`{"host":"sql-clickhouse.clickhouse.com","protocol":"http","secure":true,"username":"demo"}`)})
	if err != nil {
		t.Fatal(err)
	}
	if s.Port != 8443 || s.Database != "pypi" || s.QueryTimeout != defaultQueryTimeout || s.CacheTTL != 5*time.Minute || s.MaxOpenConns != defaultMaxOpenConns {
		t.Fatalf("defaults: %+v", s)
	}
	s, err = LoadSettings(backend.DataSourceInstanceSettings{JSONData: []byte(`{"host":"h","queryTimeout":"90","cacheTTL":"0s"}`),
		DecryptedSecureJSONData: map[string]string{"password": "pw"}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Port != 9000 || s.QueryTimeout != 90*time.Second || s.CacheTTL != 0 || s.Password != "pw" {
		t.Fatalf("parsed: %+v", s)
	}
}

func TestSettingsErrorsNameTheField(t *testing.T) {
	cases := map[string]string{
		`{`:                                  "jsonData",
		`{}`:                                 "host",
		`{"host":"http://h:8123"}`:           "host",
		`{"host":"h","port":70000}`:          "port",
		`{"host":"h","protocol":"grpc"}`:     "protocol",
		`{"host":"h","database":"x;y"}`:      "database",
		`{"host":"h","queryTimeout":"soon"}`: "queryTimeout",
		`{"host":"h","dialTimeout":"-5s"}`:   "dialTimeout",
		`{"host":"h","cacheTTL":"48h"}`:      "cacheTTL",
		`{"host":"h","maxOpenConns":5000}`:   "maxOpenConns",
		`{"host":"h","clickhouseSettings":[{"name":"a b","value":"1"}]}`:      "clickhouseSettings[0].name",
		`{"host":"h","clickhouseSettings":[{"name":"readonly","value":"0"}]}`: "clickhouseSettings[0].name",
		`{"host":"a,,b"}`:                         "host",
		`{"host":"a:99999"}`:                      "host",
		`{"host":"::1"}`:                          "host",
		`{"host":"h","maxResultBytes":"lots"}`:    "maxResultBytes",
		`{"host":"h","maxResultBytes":10}`:        "maxResultBytes",
		`{"host":"h","maxResultBytes":"9999GiB"}`: "maxResultBytes",
	}
	for in, field := range cases {
		_, err := LoadSettings(backend.DataSourceInstanceSettings{JSONData: []byte(in)})
		var se *SettingsError
		if !errors.As(err, &se) || se.Field != field {
			t.Errorf("%s: got %v, want an error naming %s", in, err, field)
		}
	}
	_, err := LoadSettings(backend.DataSourceInstanceSettings{JSONData: []byte(`{"host":"h"}`),
		DecryptedSecureJSONData: map[string]string{"tlsClientCert": "x"}})
	var se *SettingsError
	if !errors.As(err, &se) || se.Field != "tlsClientCert" {
		t.Errorf("client cert without key: %v", err)
	}
}

func TestSettingsReplicasAndResultBytes(t *testing.T) {
	cases := []struct {
		json  string
		addrs []string
		bytes int64
	}{
		{`{"host":"h"}`, []string{"h:9000"}, 64 << 20},
		{`{"host":"a, b:9001,[::1],[::1]:9002,10.0.0.1","port":9440}`, []string{"a:9440", "b:9001", "[::1]:9440", "[::1]:9002", "10.0.0.1:9440"}, 64 << 20},
		{`{"host":"h","protocol":"http","maxResultBytes":"16MiB"}`, []string{"h:8123"}, 16 << 20},
		{`{"host":"h","maxResultBytes":1048576}`, []string{"h:9000"}, 1 << 20},
		{`{"host":"h","maxResultBytes":"100 MB"}`, []string{"h:9000"}, 100_000_000},
	}
	for _, c := range cases {
		s, err := LoadSettings(backend.DataSourceInstanceSettings{JSONData: []byte(c.json)})
		if err != nil {
			t.Errorf("%s: %v", c.json, err)
			continue
		}
		if !slices.Equal(s.Addrs, c.addrs) || s.MaxResultBytes != c.bytes {
			t.Errorf("%s: addrs %v, bytes %d; want %v, %d", c.json, s.Addrs, s.MaxResultBytes, c.addrs, c.bytes)
		}
	}
}
