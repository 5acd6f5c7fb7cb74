package sqlbuild_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/clickpy/clickpy-grafana/pkg/schema"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// pep440Order lists versions in ascending PEP 440 order (PEP 440's own
// example order and packaging's test cases); "=" between two marks equal
// versions.
func pep440Order() []string {
	return []string{
		"not-a-version", "=", "2004d", // invalid: equal, before every valid one
		"0.9", "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2",
		"1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "=", "1.0c1", "=", "1.0-rc-1",
		"1.0", "=", "1.0.0", "=", "v1.0", "=", "1.0+local.7",
		"1.0.post456.dev34", "1.0.post456", "=", "1.0-456", "=", "1.0.rev456",
		"1.0.15", "1.1.dev1", "1.1a1", "=", "1.1alpha1", "=", "1.1.ALPHA.1",
		"1.9", "1.10", "1.10.1", "2.0rc1", "2.0", "2.0.post1", "2.1.dev", "=", "2.1.dev0", "10.0",
		"2013.10", "2024.1.1", "1!0.1", "1!1.0", "2!0.0.1",
	}
}

// testVersionOrder checks versionKey on the engine: each version sorts
// after the one before it, or equal where marked.
func (e *engine) testVersionOrder(t *testing.T) {
	order := pep440Order()
	prev, rel := "", "<"
	for _, v := range order {
		if v == "=" {
			rel = "="
			continue
		}
		if prev != "" {
			sql := fmt.Sprintf("SELECT %s %s %s", sqlbuild.VersionKey(schema.QuoteString(prev), "ga"), rel,
				sqlbuild.VersionKey(schema.QuoteString(v), "gb"))
			var ok bool
			if err := e.conn.QueryRow(context.Background(), sql).Scan(&ok); err != nil {
				t.Fatalf("%s %s %s: %v\n%s", prev, rel, v, err, sql)
			}
			if !ok {
				t.Errorf("want %s %s %s in PEP 440 order", prev, rel, v)
			}
		}
		prev, rel = v, "<"
	}
}
