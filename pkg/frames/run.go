package frames

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// Querier is the part of a clickhouse-go connection Run uses.
type Querier interface {
	Query(ctx context.Context, query string, args ...any) (driver.Rows, error)
}

// Run executes a statement, its values sent as server-side query
// parameters, and converts the result. Options already on ctx (settings,
// a query ID) are kept.
func Run(ctx context.Context, q Querier, st sqlbuild.Statement) (*data.Frame, error) {
	ctx = clickhouse.Context(ctx, clickhouse.WithParameters(st.Params))
	rows, err := q.Query(ctx, st.SQL)
	if err != nil {
		return nil, fmt.Errorf("running the query: %w", err)
	}
	defer rows.Close()
	res, err := Read(rows)
	if err != nil {
		return nil, err
	}
	return Convert(st, res)
}
