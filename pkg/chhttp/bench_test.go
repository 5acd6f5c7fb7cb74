package chhttp

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// BenchmarkDriverSelect1 measures a trivial query through clickhouse-go over
// HTTP, the round trip the Grafana plugin makes.
func BenchmarkDriverSelect1(b *testing.B) {
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{testAddr}, Protocol: clickhouse.HTTP})
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	ctx := context.Background()
	var n uint8
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := conn.QueryRow(ctx, "SELECT 1").Scan(&n); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkCurlSelect1 is the same over plain HTTP with TSV output.
func BenchmarkCurlSelect1(b *testing.B) {
	u := "http://" + testAddr + "/?" + url.Values{"query": {"SELECT 1"}}.Encode()
	client := &http.Client{}
	for b.Loop() {
		res, err := client.Post(u, "text/plain", strings.NewReader(""))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
}

// BenchmarkQueryPaths is one small query over HTTP on each path through
// the engine: a user with host access (no statement checks), the admin
// (checked; the canonical text is cached after the first time), the admin
// sending readonly=2 as the plugin does, and a read-only user; each
// response's X-ClickHouse-Summary carries the storage counters, whose own
// cost pkg/embedded's BenchmarkReadCounters measures with and without.
func BenchmarkQueryPaths(b *testing.B) {
	client := &http.Client{}
	for _, c := range []struct {
		name   string
		params url.Values
	}{
		{"host-access", url.Values{"user": {"root"}, "password": {"h"}}},
		{"admin", url.Values{"user": {"alice"}, "password": {"s3cret"}}},
		{"admin-readonly2", url.Values{"user": {"alice"}, "password": {"s3cret"}, "readonly": {"2"}}},
		{"readonly-user", url.Values{"user": {"reader"}, "password": {"r"}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			p := url.Values{"query": {"SELECT count() FROM numbers(1000)"}}
			for k, v := range c.params {
				p[k] = v
			}
			u := "http://" + testAddr + "/?" + p.Encode()
			for b.Loop() {
				res, err := client.Post(u, "text/plain", strings.NewReader(""))
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("X-ClickHouse-Summary"), `"read_rows":"1000"`) {
					b.Fatalf("%d %s", res.StatusCode, res.Header.Get("X-ClickHouse-Summary"))
				}
			}
		})
	}
}
