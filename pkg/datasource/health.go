package datasource

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/clickpy/clickpy-grafana/pkg/catalog"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// staleAfter is how old the newest day of data may be before the health
// check warns: ClickPy's own loader has stalled for days more than once.
const staleAfter = 3 * 24 * time.Hour

// healthDetails is the JSON Grafana shows under the health message.
type healthDetails struct {
	Version  string   `json:"version"`
	Database string   `json:"database"`
	Present  []string `json:"present"`
	Missing  []string `json:"missing"`
	LastDate string   `json:"lastDate,omitempty"`
	// ReadLimit says what the server's own limits risk, when the user may
	// not override them.
	ReadLimit string `json:"readLimit,omitempty"`
	Stale     bool   `json:"stale"`
	// Merged names summaries whose sorting keys lack some of their
	// columns, and those columns.
	Merged []catalog.MergedTable `json:"merged,omitempty"`
	// Replicas, with several servers configured, says how each answered.
	Replicas []replicaHealth `json:"replicas,omitempty"`
	// GitHub is what the database holds of ClickPy's GitHub data.
	GitHub catalog.GitHub `json:"github"`
}

// replicaHealth is one configured server's answer to a ping.
type replicaHealth struct {
	Addr  string `json:"addr"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// CheckHealth connects, reports the server version and which ClickPy
// tables exist, and how fresh the data is.
func (i *Instance) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	fail := func(err error) (*backend.CheckHealthResult, error) {
		_, msg := explain(err, i.settings)
		return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: msg}, nil
	}
	var version string
	if err := i.do(ctx, func(ctx context.Context) error {
		return i.conn.QueryRow(ctx, "SELECT version()").Scan(&version)
	}); err != nil {
		return fail(err)
	}
	// A health check is when users fix a missing view: read afresh.
	cat, err := i.catalogue(ctx, true)
	if err != nil {
		return fail(err)
	}
	d := healthDetails{Version: version, Database: i.settings.Database, Present: cat.Present, Missing: cat.Missing}
	status := backend.HealthStatusOk
	var msg []string
	msg = append(msg, fmt.Sprintf("ClickHouse %s, database %s", version, i.settings.Database))
	if len(i.settings.Addrs) > 1 {
		d.Replicas = i.pingReplicas(ctx)
		msg = append(msg, replicaSummary(d.Replicas))
	}
	if !cat.Has(schema.RawTable) {
		status = backend.HealthStatusError
		msg = append(msg, fmt.Sprintf("the raw %s table is missing: the data source needs ClickPy's schema (apply it with clickpy-schema)", schema.RawTable))
	} else if len(cat.Missing) > 0 {
		msg = append(msg, fmt.Sprintf("degraded: %d of ClickPy's tables are missing (%s); queries needing them read larger tables or the raw table",
			len(cat.Missing), strings.Join(cat.Missing, ", ")))
	} else {
		msg = append(msg, "all ClickPy tables present")
	}
	d.GitHub = cat.GitHub
	if cat.GitHub.Events() {
		msg = append(msg, "GitHub data in database "+cat.GitHub.Database)
	} else {
		msg = append(msg, fmt.Sprintf("no GitHub data (no %s table in database %s): the GitHub panels say so and stay empty",
			schema.GitHubEvents, cat.GitHub.Database))
	}
	if merged := cat.MergedTables(); len(merged) > 0 {
		d.Merged = merged
		msg = append(msg, mergedMessage(merged))
	}
	if w := i.limits.Warning(); w != "" {
		d.ReadLimit = w
		msg = append(msg, "warning: "+w)
	}
	if status == backend.HealthStatusOk {
		last := cat.Data.Last
		switch {
		case !cat.DataKnown:
			msg = append(msg, "warning: the days the data spans could not be read ("+cat.DataNote+"); time series end on each query's own last day")
		case last.IsZero():
			msg = append(msg, "no downloads loaded yet")
		default:
			d.LastDate = last.Format(time.DateOnly)
			age := time.Since(last)
			msg = append(msg, "newest data "+d.LastDate)
			if age > staleAfter {
				d.Stale = true
				msg = append(msg, fmt.Sprintf("warning: the newest day with data is %d days old; the loader may have stalled", int(age.Hours()/24)))
			}
		}
	}
	details, _ := json.Marshal(d)
	return &backend.CheckHealthResult{Status: status, Message: strings.Join(msg, "; "), JSONDetails: details}, nil
}

// columnNouns name what a summary merging a column loses.
func columnNouns() map[string]string {
	return map[string]string{"type": "file types", "installer": "installers", "country_code": "countries",
		"python_minor": "Python versions", "system": "systems", "version": "versions", "date": "days", "project": "packages"}
}

// mergedMessage says which summaries sum across columns they hold, and
// what they therefore cannot answer.
func mergedMessage(merged []catalog.MergedTable) string {
	var parts []string
	for _, m := range merged {
		var lost []string
		for _, c := range m.Columns {
			n := columnNouns()[c]
			if n == "" {
				n = c
			}
			lost = append(lost, n)
		}
		parts = append(parts, fmt.Sprintf("%s: %s merged (its sorting key lacks %s), so it is not used to split or filter by %s",
			m.Table, strings.Join(lost, ", "), strings.Join(m.Columns, ", "), strings.Join(m.Columns, ", ")))
	}
	return "degraded: " + strings.Join(parts, "; ")
}

// pingReplicas asks each configured server on its own connection, all at
// once, so the health check names the ones that are down.
func (i *Instance) pingReplicas(ctx context.Context) []replicaHealth {
	out := make([]replicaHealth, len(i.settings.Addrs))
	var wg sync.WaitGroup
	for n, addr := range i.settings.Addrs {
		out[n].Addr = addr
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := i.pingOne(ctx, addr)
			out[n].OK = err == nil
			if err != nil {
				_, out[n].Error = explain(err, i.settings)
			}
		}()
	}
	wg.Wait()
	return out
}

func (i *Instance) pingOne(ctx context.Context, addr string) error {
	one := i.settings
	one.Addrs, one.MaxOpenConns = []string{addr}, 1
	conn, err := open(one)
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(ctx, one.DialTimeout+one.QueryTimeout)
	defer cancel()
	return conn.Ping(ctx)
}

func replicaSummary(rs []replicaHealth) string {
	var up, down []string
	for _, r := range rs {
		if r.OK {
			up = append(up, r.Addr)
		} else {
			down = append(down, r.Addr+" ("+r.Error+")")
		}
	}
	s := fmt.Sprintf("replicas: %d of %d answer", len(up), len(rs))
	if len(up) > 0 {
		s += " (" + strings.Join(up, ", ") + ")"
	}
	if len(down) > 0 {
		s += "; warning: not answering: " + strings.Join(down, "; ")
	}
	return s
}
