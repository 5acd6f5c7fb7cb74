package datasource

import (
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// What reaches the user after the plugin dropped its own refused settings
// says what to change.
func TestRefusalHints(t *testing.T) {
	s := Settings{Host: "h", Port: 8123, Protocol: ProtocolHTTP, Settings: []Setting{{Name: "max_threads", Value: "64"}}}
	cases := []struct {
		code    int32
		message string
		want    string
	}{
		{452, "Setting max_threads shouldn't be greater than 8", "may not change max_threads: remove it from the data source's ClickHouse settings"},
		{164, "Cannot modify 'max_execution_time' setting in readonly mode", "use the native protocol, or a user with readonly=2"},
		{164, "Cannot modify 'some_other' setting in readonly mode", "use a user with readonly=2"},
		{452, "Setting some_other should not be changed", "does not allow a setting the plugin needs"},
	}
	for _, c := range cases {
		_, msg := explain(&clickhouse.Exception{Code: c.code, Message: c.message}, s)
		if !strings.Contains(msg, c.want) || !strings.Contains(msg, c.message) {
			t.Errorf("%q: %q", c.message, msg)
		}
	}
}
