package pluginhost

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// CollectMetrics asks the plugin process for its metrics as Grafana's
// /api/plugins/{id}/metrics does, and returns the Prometheus text: the Go
// runtime's (go_goroutines, ...) and the plugin's own clickpy_plugin_*.
func (h *Host) CollectMetrics(ctx context.Context) (Metrics, error) {
	resp, err := h.diag.CollectMetrics(ctx, &pluginv2.CollectMetricsRequest{})
	if err != nil {
		return "", fmt.Errorf("CollectMetrics: %w", err)
	}
	if resp.GetMetrics() == nil {
		return "", nil
	}
	return Metrics(resp.GetMetrics().GetPrometheus()), nil
}

// Metrics is a scrape in the Prometheus text format.
type Metrics string

// Sample is one line of a scrape: a series and its value.
type Sample struct {
	Name   string
	Labels map[string]string
	Value  float64
}

// Samples parses the scrape's lines; comments and malformed lines are
// skipped.
func (m Metrics) Samples() []Sample {
	var out []Sample
	for _, line := range strings.Split(string(m), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if s, ok := parseSample(line); ok {
			out = append(out, s)
		}
	}
	return out
}

// Sum adds the values of the series named name whose labels include every
// pair of match (nil matches all), and reports whether any series matched.
func (m Metrics) Sum(name string, match map[string]string) (float64, bool) {
	var sum float64
	found := false
	for _, s := range m.Samples() {
		if s.Name != name {
			continue
		}
		ok := true
		for k, v := range match {
			if s.Labels[k] != v {
				ok = false
				break
			}
		}
		if ok {
			sum += s.Value
			found = true
		}
	}
	return sum, found
}

// Value is Sum without label matching, 0 when absent.
func (m Metrics) Value(name string) float64 {
	v, _ := m.Sum(name, nil)
	return v
}

// parseSample reads `name{k="v",...} value [timestamp]`.
func parseSample(line string) (Sample, bool) {
	s := Sample{Labels: map[string]string{}}
	i := strings.IndexAny(line, "{ \t")
	if i <= 0 {
		return s, false
	}
	s.Name = line[:i]
	rest := line[i:]
	if rest[0] == '{' {
		end, ok := parseLabels(rest[1:], s.Labels)
		if !ok {
			return s, false
		}
		rest = rest[1+end:]
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return s, false
	}
	v, err := parseValue(fields[0])
	if err != nil {
		return s, false
	}
	s.Value = v
	return s, true
}

// parseLabels reads `k="v",...}` into labels and returns the index just
// past the closing brace.
func parseLabels(text string, labels map[string]string) (int, bool) {
	i := 0
	for i < len(text) {
		switch text[i] {
		case '}':
			return i + 1, true
		case ',', ' ':
			i++
			continue
		}
		eq := strings.IndexByte(text[i:], '=')
		if eq < 0 || i+eq+1 >= len(text) || text[i+eq+1] != '"' {
			return 0, false
		}
		key := strings.TrimSpace(text[i : i+eq])
		j := i + eq + 2
		var val strings.Builder
		for ; j < len(text) && text[j] != '"'; j++ {
			if text[j] == '\\' && j+1 < len(text) {
				j++
				switch text[j] {
				case 'n':
					val.WriteByte('\n')
				default:
					val.WriteByte(text[j])
				}
				continue
			}
			val.WriteByte(text[j])
		}
		if j >= len(text) {
			return 0, false
		}
		labels[key] = val.String()
		i = j + 1
	}
	return 0, false
}

func parseValue(s string) (float64, error) {
	switch s {
	case "+Inf":
		return math.Inf(1), nil
	case "-Inf":
		return math.Inf(-1), nil
	case "NaN":
		return math.NaN(), nil
	}
	return strconv.ParseFloat(s, 64)
}
