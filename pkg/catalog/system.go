package catalog

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/clickpy/clickpy-grafana/pkg/chexception"
)

// dictionaryEngine is system.tables' engine for a dictionary.
const dictionaryEngine = "Dictionary"

// readSnapshot reads the database's columns, engines and sorting keys, and
// its tables' live rows when the user may read system.parts.
func readSnapshot(ctx context.Context, q Querier, database string) (Snapshot, error) {
	snap := Snapshot{Columns: map[string][]string{}, Tables: map[string]Table{}}
	db := clickhouse.Named("db", database)
	err := scanRows(ctx, q, "system.columns of "+database, func(scan func(...any) error) error {
		var table string
		var cols []string
		if err := scan(&table, &cols); err != nil {
			return err
		}
		snap.Columns[table] = cols
		return nil
	}, "SELECT table, groupArray(name) FROM system.columns WHERE database = {db:String} GROUP BY table", db)
	if err != nil {
		return snap, err
	}
	err = scanRows(ctx, q, "system.tables of "+database, func(scan func(...any) error) error {
		var name string
		var t Table
		if err := scan(&name, &t.Engine, &t.SortingKey); err != nil {
			return err
		}
		snap.Tables[name] = t
		return nil
	}, "SELECT name, engine, sorting_key FROM system.tables WHERE database = {db:String}", db)
	if err != nil {
		return snap, err
	}
	rows := map[string]uint64{}
	err = scanRows(ctx, q, "system.parts of "+database, func(scan func(...any) error) error {
		var table string
		var n uint64
		if err := scan(&table, &n); err != nil {
			return err
		}
		rows[table] = n
		return nil
	}, "SELECT table, toUInt64(sum(rows)) FROM system.parts WHERE database = {db:String} AND active GROUP BY table", db)
	switch {
	case err == nil:
		snap.Rows = rows
	case !refused(err, chexception.AccessDenied, chexception.UnknownTable):
		return snap, err
	}
	// Without system.parts the choice falls back to column counts.
	return snap, nil
}

// scanRows runs one system query and hands each row to each.
func scanRows(ctx context.Context, q Querier, what string, each func(scan func(...any) error) error, sql string, args ...any) error {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return fmt.Errorf("reading %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows.Scan); err != nil {
			return fmt.Errorf("reading %s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading %s: %w", what, err)
	}
	return nil
}

// refused tells whether the server answered err with one of the codes: a
// refusal the catalogue can live without, unlike a lost connection.
func refused(err error, codes ...int32) bool {
	var ex *clickhouse.Exception
	return errors.As(err, &ex) && slices.Contains(codes, ex.Code)
}
