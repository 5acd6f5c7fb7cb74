// Package pluginhost drives the built plugin binary the way Grafana does:
// it starts the executable as a go-plugin child, speaks the plugin SDK's
// gRPC protocol to it, and offers QueryData, CheckHealth and CallResource
// with SDK types. Tests and benchmarks use it in place of Grafana, which
// cannot run here and whose Go module is not to be imported.
package pluginhost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"

	"github.com/clickpy/clickpy-grafana/pkg/chtest"
	"github.com/clickpy/clickpy-grafana/pkg/datasource"
)

// Host is one running plugin process.
type Host struct {
	client *goplugin.Client
	data   grpcplugin.DataClient
	diag   grpcplugin.DiagnosticsClient
	res    grpcplugin.ResourceClient
}

// Build compiles the plugin backend (./pkg) into dir.
func Build(ctx context.Context, dir string) (string, error) {
	root, err := chtest.ModuleRoot(ctx)
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "gpx_clickpy_pypi")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./pkg")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the plugin: %w\n%s", err, out)
	}
	return bin, nil
}

// Start launches the plugin binary and connects over gRPC. The child is
// go-plugin's own: Close stops that one process, by its PID.
func Start(bin string, stderr io.Writer) (*Host, error) {
	if stderr == nil {
		stderr = io.Discard
	}
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig: goplugin.HandshakeConfig{
			ProtocolVersion:  grpcplugin.ProtocolVersion,
			MagicCookieKey:   grpcplugin.MagicCookieKey,
			MagicCookieValue: grpcplugin.MagicCookieValue,
		},
		Plugins: map[string]goplugin.Plugin{
			"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
			"data":        &grpcplugin.DataGRPCPlugin{},
			"resource":    &grpcplugin.ResourceGRPCPlugin{},
		},
		Cmd:              exec.Command(bin),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.New(&hclog.LoggerOptions{Output: stderr, Level: hclog.Warn}),
		StartTimeout:     time.Minute,
		Stderr:           stderr,
	})
	rpc, err := client.Client()
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("starting the plugin: %w", err)
	}
	h := &Host{client: client}
	for name, dst := range map[string]any{"data": &h.data, "diagnostics": &h.diag, "resource": &h.res} {
		raw, err := rpc.Dispense(name)
		if err != nil {
			client.Kill()
			return nil, fmt.Errorf("dispensing %s: %w", name, err)
		}
		var ok bool
		switch d := dst.(type) {
		case *grpcplugin.DataClient:
			*d, ok = raw.(grpcplugin.DataClient)
		case *grpcplugin.DiagnosticsClient:
			*d, ok = raw.(grpcplugin.DiagnosticsClient)
		case *grpcplugin.ResourceClient:
			*d, ok = raw.(grpcplugin.ResourceClient)
		}
		if !ok {
			client.Kill()
			return nil, fmt.Errorf("plugin's %s service has type %T", name, raw)
		}
	}
	return h, nil
}

// Close stops the plugin process.
func (h *Host) Close() { h.client.Kill() }

// Exited tells whether the plugin process has gone.
func (h *Host) Exited() bool { return h.client.Exited() }

// DataSource describes a configured data source as Grafana passes it.
type DataSource struct {
	UID      string
	JSONData map[string]any
	Secure   map[string]string
	// Updated distinguishes versions of the same data source: Grafana
	// makes a new instance when it changes.
	Updated time.Time
}

// PluginContext is what Grafana attaches to every call.
func (d DataSource) PluginContext() (backend.PluginContext, error) {
	raw, err := json.Marshal(d.JSONData)
	if err != nil {
		return backend.PluginContext{}, fmt.Errorf("encoding jsonData: %w", err)
	}
	updated := d.Updated
	if updated.IsZero() {
		updated = time.Unix(1, 0)
	}
	return backend.PluginContext{
		OrgID:    1,
		PluginID: datasource.PluginID,
		DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{
			ID: 1, UID: d.UID, Name: "ClickPy " + d.UID, Type: datasource.PluginID,
			JSONData: raw, DecryptedSecureJSONData: d.Secure, Updated: updated,
		},
	}, nil
}

// QueryData sends the queries as one request.
func (h *Host) QueryData(ctx context.Context, ds DataSource, queries []backend.DataQuery) (*backend.QueryDataResponse, error) {
	pc, err := ds.PluginContext()
	if err != nil {
		return nil, err
	}
	req := backend.ToProto().QueryDataRequest(&backend.QueryDataRequest{PluginContext: pc, Queries: queries})
	resp, err := h.data.QueryData(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("QueryData: %w", err)
	}
	return backend.FromProto().QueryDataResponse(resp)
}

// CheckHealth runs the data source's health check.
func (h *Host) CheckHealth(ctx context.Context, ds DataSource) (*backend.CheckHealthResult, error) {
	pc, err := ds.PluginContext()
	if err != nil {
		return nil, err
	}
	resp, err := h.diag.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: backend.ToProto().PluginContext(pc)})
	if err != nil {
		return nil, fmt.Errorf("CheckHealth: %w", err)
	}
	return backend.FromProto().CheckHealthResponse(resp), nil
}

// CallResource sends a GET for path?query and gathers the streamed reply.
func (h *Host) CallResource(ctx context.Context, ds DataSource, path, query string) (*backend.CallResourceResponse, error) {
	pc, err := ds.PluginContext()
	if err != nil {
		return nil, err
	}
	u := path
	if query != "" {
		u += "?" + query
	}
	req := backend.ToProto().CallResourceRequest(&backend.CallResourceRequest{
		PluginContext: pc, Path: path, Method: "GET", URL: u,
	})
	stream, err := h.res.CallResource(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("CallResource: %w", err)
	}
	var out *backend.CallResourceResponse
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("CallResource %s: %w", path, err)
		}
		part := backend.FromProto().CallResourceResponse(msg)
		if out == nil {
			out = part
			continue
		}
		out.Body = append(out.Body, part.Body...)
	}
	if out == nil {
		return nil, fmt.Errorf("CallResource %s: no reply", path)
	}
	return out, nil
}

// Pid is the plugin process's id, for reading its resource use.
func (h *Host) Pid() int {
	if rc := h.client.ReattachConfig(); rc != nil {
		return rc.Pid
	}
	return 0
}
