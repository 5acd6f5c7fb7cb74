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
