package dashboards

import (
	"fmt"
	"time"

	"github.com/grafana/grafana-foundation-sdk/go/alerting"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/expr"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// AlertPackages are the packages the provisioned rules watch, each as its
// own alert instance (label package). Replace them with yours: a rule
// lists packages because an empty list would count all of PyPI as one
// series.
func AlertPackages() []string { return []string{"requests", "urllib3", "numpy", "pandas", "boto3"} }

// Alert rule identity and tuning.
const (
	AlertGroup    = "clickpy-downloads"
	alertInterval = "30m"
	DropRuleUID   = "clickpy-downloads-drop"
	StaleRuleUID  = "clickpy-data-stale"
	// StaleDays without a new day of data fire the staleness rule.
	StaleDays = 3
	// exprUID is the data source Grafana's server-side expressions run in.
	exprUID = "__expr__"
)

// alertRule is a rule and the reasons for its no-data and error states,
// which go into the provisioning file as comments beside them.
type alertRule struct {
	rule                alerting.Rule
	noDataWhy, errorWhy string
}

// alertRules are the provisioned Grafana alert rules.
func alertRules() ([]alertRule, error) {
	drop, err := dropRule()
	if err != nil {
		return nil, err
	}
	stale, err := staleRule()
	if err != nil {
		return nil, err
	}
	return []alertRule{drop, stale}, nil
}

// dailySeries is one series per watched package, a point per day, over
// [now-from, now-to].
func dailySeries(refID string, from, to time.Duration) cog.Builder[alerting.Query] {
	return watchedDaily(refID, querymodel.Query{Type: querymodel.TimeSeries}, from, to)
}

// watchedDaily is q for every watched package, a point per day, over
// [now-from, now-to], as a rule's query.
func watchedDaily(refID string, q querymodel.Query, from, to time.Duration) cog.Builder[alerting.Query] {
	q.Filters = querymodel.Filters{Packages: AlertPackages()}
	q.Granularity = querymodel.Day
	return alerting.NewQueryBuilder(refID).
		DatasourceUid(DataSourceUID).
		RelativeTimeRange(alerting.Duration(from.Seconds()), alerting.Duration(to.Seconds())).
		Model(target(refID, q))
}

func exprDataSource() common.DataSourceRef {
	return common.DataSourceRef{Type: cog.ToPtr(exprUID), Uid: cog.ToPtr(exprUID)}
}

func expression(refID string, m cog.Builder[variants.Dataquery]) cog.Builder[alerting.Query] {
	return alerting.NewQueryBuilder(refID).DatasourceUid(exprUID).Model(m)
}

// reduce keeps series without points as they are (strict mode): Last and
// Mean of nothing are NaN, which no comparison fires on, and Sum of
// nothing is 0.
func reduce(refID, input string, r expr.TypeReduceReducer) cog.Builder[alerting.Query] {
	return expression(refID, expr.NewExprBuilder().TypeReduce(expr.NewTypeReduceBuilder().
		RefId(refID).Datasource(exprDataSource()).Expression(input).Reducer(r)))
}

func mathExpr(refID, formula string) cog.Builder[alerting.Query] {
	return expression(refID, expr.NewExprBuilder().TypeMath(expr.NewTypeMathBuilder().
		RefId(refID).Datasource(exprDataSource()).Expression(formula)))
}

func below(refID, input string, limit float64) cog.Builder[alerting.Query] {
	return expression(refID, expr.NewExprBuilder().TypeThreshold(expr.NewTypeThresholdBuilder().
		RefId(refID).Datasource(exprDataSource()).Expression(input).
		Conditions([]cog.Builder[expr.ExprTypeThresholdConditions]{
			expr.NewExprTypeThresholdConditionsBuilder().Evaluator(
				expr.NewExprTypeThresholdConditionsEvaluatorBuilder().
					Type(expr.ExprTypeThresholdConditionsEvaluatorTypeLt).
					Params([]float64{limit})),
		})))
}

// alertPackage is an alert template's package: the instance's package
// label, which an instance Grafana makes for no data lacks (Grafana prints
// a missing label as "[no value]"; index gives "").
const alertPackage = `index $labels "package"`

// packageDashboardAnnotation links an alert to the package dashboard with
// a full URL, so the link works from an e-mail or a chat message: Grafana's
// root URL (externalURL, which ends in a slash) and the dashboard, on the
// instance's package when it has one.
func packageDashboardAnnotation() string {
	return `{{ externalURL | reReplaceAll "/$" "" }}` + packageDashboardPath() +
		`{{ with ` + alertPackage + ` }}?var-` + VarPackage + `={{ urlquery . }}{{ end }}`
}

// newRule starts a rule of the ClickPy group with what both rules share:
// a failing query is an error (Grafana's DatasourceError alert says what
// failed), an hour before firing, the service label and the dashboard
// link.
func newRule(title, uid string, labels, annotations map[string]string) *alerting.RuleBuilder {
	labels["service"] = "clickpy"
	annotations["dashboard"] = packageDashboardAnnotation()
	return alerting.NewRuleBuilder(title).
		Uid(uid).
		RuleGroup(AlertGroup).
		OrgID(1).
		ExecErrState(alerting.RuleExecErrStateError).
		For("1h").
		Labels(labels).
		Annotations(annotations)
}

// staleRule: no downloads for a package in the last StaleDays days. While
// data flows a watched package never has a day without downloads, so a
// zero sum means its newest day is older than that; when the data stopped
// for every package the series come back without points (sum 0) or not at
// all (no data), and both fire.
func staleRule() (alertRule, error) {
	day := 24 * time.Hour
	r, err := newRule("PyPI download data is stale", StaleRuleUID,
		map[string]string{"category": "freshness", "severity": "critical"},
		// The no-data instance (no series at all) has no package label.
		map[string]string{
			"summary": fmt.Sprintf("{{ with %s }}{{ . }}: no new day of download data for %d days"+
				"{{ else }}No download data for any watched package for %d days{{ end }}", alertPackage, StaleDays, StaleDays),
			"description": fmt.Sprintf("{{ with %s }}No downloads of {{ . }} were loaded for the last %d days. "+
				"When every package fires, the data load (ClickPy's or yours) has stopped"+
				"{{ else }}The data source answered no series for any watched package over the last %d days: "+
				"the data load (ClickPy's or yours) has stopped{{ end }}; the data source's health check names the newest day.",
				alertPackage, StaleDays, StaleDays),
		}).
		WithQuery(dailySeries("A", StaleDays*day, 0)).
		WithQuery(reduce("B", "A", expr.TypeReduceReducerSum)).
		WithQuery(below("C", "B", 1)).
		Condition("C").
		NoDataState(alerting.RuleNoDataStateAlerting).
		Build()
	if err != nil {
		return alertRule{}, fmt.Errorf("building the staleness rule: %w", err)
	}
	return alertRule{
		rule: r,
		noDataWhy: "Alerting: no data means no day in the window for any package, " +
			"which is exactly the staleness this rule watches for.",
		errorWhy: "Error: an unreachable ClickHouse is not stale data; " +
			"Grafana's DatasourceError alert says what failed.",
	}, nil
}
