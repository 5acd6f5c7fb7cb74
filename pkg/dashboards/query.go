package dashboards

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/common"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// Query is a target as the dashboard JSON stores it: the backend's query
// model with the keys Grafana adds. Reusing querymodel.Query keeps the
// JSON names those the backend parses.
type Query struct {
	RefID      string                `json:"refId"`
	Datasource *common.DataSourceRef `json:"datasource,omitempty"`
	querymodel.Query
}

// ImplementsDataqueryVariant marks Query as a panel target for the SDK.
func (Query) ImplementsDataqueryVariant() {}

// DataqueryType is the data source plugin's id.
func (Query) DataqueryType() string { return DataSourceType }

// Equals compares two targets.
func (q Query) Equals(other variants.Dataquery) bool {
	o, ok := other.(Query)
	return ok && reflect.DeepEqual(q, o)
}

// Validate parses the target as the backend would. Template variables
// pass as plain strings, so this catches wrong names, limits and missing
// fields, not values.
func (q Query) Validate() error {
	// A variable standing for a checked value is checked as its default.
	if q.MinPython == ref(VarMinPython) {
		q.MinPython = defaultMinPython
	}
	raw, err := json.Marshal(q)
	if err != nil {
		return fmt.Errorf("encoding target %s: %w", q.RefID, err)
	}
	if _, err := querymodel.Parse(raw, ""); err != nil {
		return fmt.Errorf("target %s: %w", q.RefID, err)
	}
	return nil
}

// queryBuilder hands a Query to the SDK's builders, which expect
// cog.BuildErrors from every Build.
type queryBuilder struct{ q Query }

func (b queryBuilder) Build() (variants.Dataquery, error) {
	if err := b.q.Validate(); err != nil {
		return nil, cog.MakeBuildErrors("targets", err)
	}
	return b.q, nil
}

// target wraps a query model for a panel, an annotation or an alert rule.
func target(refID string, m querymodel.Query) cog.Builder[variants.Dataquery] {
	ds := dataSource()
	return queryBuilder{q: Query{RefID: refID, Datasource: &ds, Query: m}}
}
