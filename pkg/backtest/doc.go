// Package backtest replays the drop alerts day by day over a sample's
// whole history and scores them against the sample's planted events
// (pkg/sample): recall on planted drops by depth, length and popularity
// tier, false alarms per package-year, the delay to fire, and what the
// rules did on holidays and around the data stall.
//
// The Grafana rules are replayed through the data source's own answers.
// Each of a rule's queries is asked once for the whole history (day
// granularity, many packages per query), and on each simulated morning the
// rule's relative time ranges are cut from those answers, ending at the
// newest day the data held that morning. That is what the query would
// have answered that day: a day's count, and a baseline (computed from
// the days before it only), do not depend on the range asked, and the
// data source ends every series at the data's newest day, which the
// all-packages series tells (a day without a single download is one the
// data never got). The rule's reduce, threshold and math expressions are
// then evaluated as Grafana does (strict reduce, its NaN and short-circuit
// rules, NaN conditions Alerting, a query without any day NoData).
//
// The Prometheus rules are replayed on the exporter's metrics, rebuilt
// from the same daily answers: the exporter's windows are sums of daily
// counts ending on the data's newest day, and its baseline family is the
// same sqlbuild baseline query over its last two days. The test checks
// those metrics against the exporter loading as of chosen days, and the
// Go mirror of each Prometheus rule against promtool on inputs and
// expected alerts taken from the replay.
package backtest
