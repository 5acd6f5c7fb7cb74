package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/hosttools"
)

// promServer is a Prometheus this test started, stopped by its PID.
type promServer struct {
	base string
	cmd  *exec.Cmd
	done chan error
	log  string
}

// startPrometheus runs Debian's prometheus on a free loopback port with a
// temporary config scraping target every second and loading the rules in
// prometheus/.
func startPrometheus(t *testing.T, target string) *promServer {
	t.Helper()
	bin := hosttools.Require(t, "prometheus")
	dir := t.TempDir()
	rules, err := filepath.Abs(rulesDir())
	if err != nil {
		t.Fatal(err)
	}
	config := fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - %s/*.rules.yml
scrape_configs:
  - job_name: clickpy-exporter
    static_configs:
      - targets: [%q]
`, rules, target)
	cfgPath := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfgPath, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freePort(t)
	p := &promServer{base: "http://" + addr, done: make(chan error, 1), log: filepath.Join(dir, "prometheus.log")}
	logFile, err := os.Create(p.log)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	p.cmd = exec.Command(bin, "--config.file="+cfgPath, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--log.level=warn")
	p.cmd.Stdout, p.cmd.Stderr = logFile, logFile
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting prometheus: %v", err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(p.stop)
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(p.base + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case err := <-p.done:
			p.done <- err
			t.Fatalf("prometheus exited: %v\n%s", err, p.logs())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("prometheus not ready after 60s\n%s", p.logs())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop ends the process this test started, by PID.
func (p *promServer) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

func (p *promServer) logs() string {
	b, _ := os.ReadFile(p.log)
	return string(b)
}

func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// series is one series of an instant query's result.
type series struct {
	labels map[string]string
	value  float64
}

// query runs an instant query through Prometheus' HTTP API.
func (p *promServer) query(t *testing.T, q string) []series {
	t.Helper()
	resp, err := http.Get(p.base + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		t.Fatalf("query %s: %v", q, err)
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("query %s: %v", q, err)
	}
	if body.Status != "success" {
		t.Fatalf("query %s: %s", q, body.Error)
	}
	out := make([]series, 0, len(body.Data.Result))
	for _, r := range body.Data.Result {
		s, _ := r.Value[1].(string)
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("query %s: value %v", q, r.Value)
		}
		out = append(out, series{r.Metric, v})
	}
	return out
}

// byLabel maps one label's values to the samples' values.
func (p *promServer) byLabel(t *testing.T, q, label string) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, s := range p.query(t, q) {
		out[s.labels[label]] = s.value
	}
	return out
}

// scalar is the value of a query expected to give one series.
func (p *promServer) scalar(t *testing.T, q string) (float64, bool) {
	t.Helper()
	r := p.query(t, q)
	if len(r) != 1 {
		return 0, false
	}
	return r[0].value, true
}

// waitUntil polls cond until it holds or the timeout passes.
func waitUntil(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, timeout)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// rulesHealthy reports whether Prometheus loaded both rule groups and
// evaluated every rule without error.
func (p *promServer) rulesHealthy(t *testing.T) error {
	t.Helper()
	resp, err := http.Get(p.base + "/api/v1/rules")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var body struct {
		Data struct {
			Groups []struct {
				Name  string `json:"name"`
				Rules []struct {
					Name      string `json:"name"`
					Health    string `json:"health"`
					LastError string `json:"lastError"`
				} `json:"rules"`
			} `json:"groups"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return err
	}
	var names []string
	for _, g := range body.Data.Groups {
		names = append(names, g.Name)
		for _, r := range g.Rules {
			if r.Health != "ok" {
				return fmt.Errorf("rule %s in %s: health %q %s", r.Name, g.Name, r.Health, r.LastError)
			}
		}
	}
	if strings.Join(names, ",") != "clickpy-alerts,clickpy-recording" && strings.Join(names, ",") != "clickpy-recording,clickpy-alerts" {
		return fmt.Errorf("rule groups %v", names)
	}
	return nil
}
