package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/stat"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// allFields is a stat panel's field matcher for every field, text ones
// included (its default takes numbers only).
const allFields = "/.*/"

// Medal colours, as ClickPy's badges.
const (
	goldColor   = "#D4AF37"
	silverColor = "#C0C0C0"
	bronzeColor = "#CD7F32"
)

// rankingPanel is ClickPy's rank badge: the rank, "top N%" and the medal
// (gold for the top 1%, silver for 10%, bronze for 25%), which the data
// source computes so its inclusive bounds are exact. It is all-time and
// unfiltered, as ClickPy ranks: the undated summary answers with a row
// per package, where a ranking over a filtered range scans the largest
// summary whole.
func rankingPanel(id uint32, pos dashboard.GridPos, pkg []string) *stat.PanelBuilder {
	text := []dashboard.DynamicConfigValue{{Id: "color", Value: map[string]any{"mode": "fixed", "fixedColor": "text"}}}
	medal := func(value, label, color string, index int) map[string]any {
		return map[string]any{value: map[string]any{"text": label, "color": color, "index": index}}
	}
	mappings := []map[string]any{
		{"type": "value", "options": mergeMaps(
			medal("gold", "Gold", goldColor, 0),
			medal("silver", "Silver", silverColor, 1),
			medal("bronze", "Bronze", bronzeColor, 2))},
		{"type": "special", "options": map[string]any{"match": "empty", "result": map[string]any{"text": "none", "color": "text", "index": 3}}},
	}
	return statPanel(id, "Ranking",
		"Rank among all packages by all-time downloads, as ClickPy ranks them: tied packages share the best place; "+
			"top N% is 100 × rank / packages, with a medal for the top 1%, 10% and 25%. The page's time range and filters do not apply.",
		pos, column{"rank", "Rank"}, column{"top_percent", "Top"}, column{"medal", "Medal"}).
		ColorMode(common.BigValueColorModeValue).
		// The medal is text, which a stat panel shows only when told to
		// take every field.
		ReduceOptions(common.NewReduceDataOptionsBuilder().
			Calcs([]string{"lastNotNull"}).
			Fields(allFields).
			Values(false)).
		OverrideByName("rank", text).
		OverrideByName("top_percent", append([]dashboard.DynamicConfigValue{unit("percent"), {Id: "decimals", Value: 2}}, text...)).
		OverrideByName("medal", []dashboard.DynamicConfigValue{{Id: "mappings", Value: mappings}}).
		Decimals(0).
		WithTarget(target("A", querymodel.Query{Type: querymodel.Ranking, Filters: querymodel.Filters{Packages: pkg}, AllTime: true}))
}

func mergeMaps(ms ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}
