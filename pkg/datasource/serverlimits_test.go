package datasource

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"
)

func TestRefusedSetting(t *testing.T) {
	cases := []struct {
		code    int32
		message string
		want    string
	}{
		{164, "Cannot modify 'max_execution_time' setting in readonly mode", "max_execution_time"},
		{452, "Setting read_overflow_mode should not be changed", "read_overflow_mode"},
		{452, "Setting max_result_rows shouldn't be greater than 1000", "max_result_rows"},
		{164, "Cannot execute query in readonly mode", ""},
		{452, "Setting x') bad should not be changed", ""},
		{60, "Setting max_result_rows should not be changed", ""},
	}
	for _, c := range cases {
		err := fmt.Errorf("running the query: %w", &clickhouse.Exception{Code: c.code, Message: c.message})
		got, ok := refusedSetting(err)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("%d %q: %q %v, want %q", c.code, c.message, got, ok, c.want)
		}
	}
	if _, ok := refusedSetting(errors.New("Setting max_result_rows should not be changed")); ok {
		t.Error("a plain error counted as a refusal")
	}
}

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

func TestServerLimitsRefuseOnlyThePluginsOwn(t *testing.T) {
	var l serverLimits
	if l.refuse("max_threads") {
		t.Error("a user's setting was dropped")
	}
	if !l.refuse(settingReadOverflowMode) || l.refuse(settingReadOverflowMode) {
		t.Error("the first refusal of read_overflow_mode is news, the second is not")
	}
	if !l.claimOverflowCheck() || l.claimOverflowCheck() {
		t.Error("the server's limits are read once")
	}
}
