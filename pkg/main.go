// Command gpx_clickpy_pypi is the ClickPy data source's backend, started
// by Grafana over the plugin SDK's gRPC protocol.
package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/prometheus/client_golang/prometheus"

	clickpy "github.com/clickpy/clickpy-grafana/pkg/datasource"
)

func main() {
	// The SDK serves the default registry to Grafana's metrics endpoint
	// for this plugin.
	metrics, err := clickpy.NewMetrics(prometheus.DefaultRegisterer)
	if err != nil {
		log.DefaultLogger.Error("registering metrics", "error", err.Error())
		os.Exit(1)
	}
	if err := datasource.Manage(clickpy.PluginID, clickpy.NewFactory(metrics), datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("plugin stopped", "error", err.Error())
		os.Exit(1)
	}
}
