package dashboards

import (
	"time"

	"github.com/grafana/grafana-foundation-sdk/go/alerting"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/expr"

	"github.com/clickpy/clickpy-grafana/pkg/droprule"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// dropWindow is what every query of the drop rule reads: the last two
// days (today is absent until loaded, so they are the newest two loaded
// days).
const dropWindow = 2 * 24 * time.Hour

// baselineSeries is one baseline statistic per watched package, a point
// per day, over [now-from, now-to].
func baselineSeries(refID string, stat querymodel.Statistic, from, to time.Duration) cog.Builder[alerting.Query] {
	return watchedDaily(refID, querymodel.Query{Type: querymodel.Baseline, Statistic: stat}, from, to)
}

// dropRule is pkg/droprule's rule over the last two days: downloads (A),
// what they were expected to be (E) and the package's noise (N), each
// reduced, then droprule's expression (X).
func dropRule() (alertRule, error) {
	r, err := newRule("PyPI downloads dropped", DropRuleUID,
		map[string]string{"category": "downloads", "severity": "warning"},
		map[string]string{
			"summary": "{{ $labels.package }}: downloads fell well below what the weeks before and PyPI as a whole predicted",
			"description": "{{ $labels.package }} had {{ humanize $values.B.Value }} downloads on its last complete day against " +
				"{{ humanize $values.F.Value }} expected ({{ humanize $values.C.Value }} against {{ humanize $values.G.Value }} " +
				"over the last two days; its day-to-day noise ratio is {{ humanize $values.M.Value }}).",
		}).
		WithQuery(dailySeries("A", dropWindow, 0)).
		WithQuery(reduce("B", "A", expr.TypeReduceReducerLast)).
		WithQuery(reduce("C", "A", expr.TypeReduceReducerSum)).
		WithQuery(reduce("K", "A", expr.TypeReduceReducerCount)).
		WithQuery(baselineSeries("E", querymodel.StatExpected, dropWindow, 0)).
		WithQuery(reduce("F", "E", expr.TypeReduceReducerLast)).
		WithQuery(reduce("G", "E", expr.TypeReduceReducerSum)).
		WithQuery(baselineSeries("N", querymodel.StatNoise, dropWindow, 0)).
		WithQuery(reduce("M", "N", expr.TypeReduceReducerLast)).
		WithQuery(mathExpr("X", droprule.GrafanaExpression("B", "C", "K", "F", "G", "M"))).
		Condition("X").
		NoDataState(alerting.RuleNoDataStateOK).
		Build()
	if err != nil {
		return alertRule{}, err
	}
	return alertRule{
		rule: r,
		noDataWhy: "No data: no day at all in the last two, i.e. the data stopped. " +
			"The staleness rule reports that; OK keeps this rule from paging twice for one cause.",
		errorWhy: "Error: a failing query (ClickHouse down, wrong credentials) raises Grafana's " +
			"DatasourceError alert, never a false drop.",
	}, nil
}
