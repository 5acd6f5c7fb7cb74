package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// --clickpy-keys prints ClickPy's own key for the installer-by-type table.
func TestPrintClickPyKeys(t *testing.T) {
	for _, tc := range []struct {
		args []string
		key  string
	}{
		{[]string{"--print"}, "ORDER BY (project, version, date, installer, type)"},
		{[]string{"--print", "--clickpy-keys"}, "ORDER BY (project, version, date, installer)"},
	} {
		var out bytes.Buffer
		if err := run(t.Context(), tc.args, &out); err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		table := "CREATE TABLE IF NOT EXISTS pypi." + schema.PerDayByVersionByInstallerByType + "\n"
		i := strings.Index(out.String(), table)
		if i < 0 {
			t.Fatalf("%v: no %s table in the output", tc.args, schema.PerDayByVersionByInstallerByType)
		}
		stmt, _, _ := strings.Cut(out.String()[i:], ";")
		if !strings.HasSuffix(stmt, tc.key) {
			t.Errorf("%v: the table is created as\n%s\nwant it to end with %s", tc.args, stmt, tc.key)
		}
	}
}
