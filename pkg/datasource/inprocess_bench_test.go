package datasource_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/clickpy/clickpy-grafana/pkg/datasource"
)

// BenchmarkInProcess runs the timeseries query through the instance in
// this process (no gRPC, cache off), to tell the plugin's own cost from
// the gRPC round trip in BenchmarkQueryTypes.
func BenchmarkInProcess(b *testing.B) {
	ctx := context.Background()
	ds := uncached()
	raw, err := json.Marshal(ds.JSONData)
	if err != nil {
		b.Fatal(err)
	}
	inst, err := datasource.NewInstance(ctx, backend.DataSourceInstanceSettings{UID: "inproc", JSONData: raw,
		DecryptedSecureJSONData: ds.Secure}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer inst.Dispose()
	from, to := dataRange()
	for name, model := range benchModels() {
		q := query("A", model, from, to)
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				resp, err := inst.QueryData(ctx, &backend.QueryDataRequest{Queries: []backend.DataQuery{q}})
				if err != nil || resp.Responses["A"].Error != nil {
					b.Fatal(err, resp.Responses["A"].Error)
				}
			}
		})
	}
}
