package datasource

import (
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// Protocols a data source can speak to ClickHouse.
const (
	ProtocolNative = "native"
	ProtocolHTTP   = "http"
)

// Defaults for settings left empty.
const (
	defaultDialTimeout  = 10 * time.Second
	defaultQueryTimeout = 60 * time.Second
	defaultMaxOpenConns = 10
	defaultCacheTTL     = 5 * time.Minute
	defaultCacheSize    = 2000
	// defaultMaxResultBytes bounds one answer in the plugin's memory and
	// keeps it well under what Grafana takes over gRPC.
	defaultMaxResultBytes = 64 << 20
	minMaxResultBytes     = 64 << 10
	maxMaxResultBytes     = 1 << 30
	maxTimeout            = 30 * time.Minute
	// maxCacheTTL: the data changes daily, so a day is the useful ceiling.
	maxCacheTTL = 24 * time.Hour
)

// Setting is an extra ClickHouse setting sent with every query.
type Setting struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// jsonSettings is the data source's jsonData as the config editor writes it.
type jsonSettings struct {
	Host          string `json:"host"`
	Port          int    `json:"port"`
	Protocol      string `json:"protocol"`
	Secure        bool   `json:"secure"`
	TLSSkipVerify bool   `json:"tlsSkipVerify"`
	TLSServerName string `json:"tlsServerName"`
	Username      string `json:"username"`
	Database      string `json:"database"`
	// GitHubDatabase holds ClickPy's GitHub event table; empty: Database.
	GitHubDatabase string `json:"githubDatabase"`
	DialTimeout    string `json:"dialTimeout"`
	QueryTimeout   string `json:"queryTimeout"`
	MaxOpenConns   int    `json:"maxOpenConns"`
	CacheTTL       string `json:"cacheTTL"`
	CacheSize      int    `json:"cacheSize"`
	// MaxResultBytes is a number of bytes or text such as "64MiB".
	MaxResultBytes json.RawMessage `json:"maxResultBytes"`
	Settings       []Setting       `json:"clickhouseSettings"`
}

// Settings are the checked settings of one data source.
type Settings struct {
	// Host is as configured: one server, or several (replicas) separated
	// by commas, each optionally with its own port.
	Host string
	// Addrs are the servers as host:port, tried in order.
	Addrs         []string
	Port          int
	Protocol      string
	Secure        bool
	TLSSkipVerify bool
	TLSServerName string
	TLSCACert     string
	TLSClientCert string
	TLSClientKey  string
	Username      string
	Password      string
	Database      string
	// GitHubDatabase holds the GitHub event table and repository map.
	GitHubDatabase string
	DialTimeout    time.Duration
	QueryTimeout   time.Duration
	MaxOpenConns   int
	// CacheTTL of 0 turns the result cache off.
	CacheTTL  time.Duration
	CacheSize int
	// MaxResultBytes caps one answer, on the server (max_result_bytes) and
	// while the plugin reads it.
	MaxResultBytes int64
	Settings       []Setting
}

// SettingsError names the setting that is wrong.
type SettingsError struct {
	Field string
	Msg   string
}

func (e *SettingsError) Error() string { return "setting " + e.Field + ": " + e.Msg }

func settingErr(field, format string, args ...any) error {
	return &SettingsError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// LoadSettings reads and checks what Grafana stored for the data source.
func LoadSettings(s backend.DataSourceInstanceSettings) (Settings, error) {
	var j jsonSettings
	if len(s.JSONData) > 0 {
		if err := json.Unmarshal(s.JSONData, &j); err != nil {
			return Settings{}, settingErr("jsonData", "not valid JSON: %v", err)
		}
	}
	sec := s.DecryptedSecureJSONData
	out := Settings{
		Host:           strings.TrimSpace(j.Host),
		Port:           j.Port,
		Protocol:       strings.ToLower(strings.TrimSpace(j.Protocol)),
		Secure:         j.Secure,
		TLSSkipVerify:  j.TLSSkipVerify,
		TLSServerName:  j.TLSServerName,
		TLSCACert:      sec["tlsCACert"],
		TLSClientCert:  sec["tlsClientCert"],
		TLSClientKey:   sec["tlsClientKey"],
		Username:       j.Username,
		Password:       sec["password"],
		Database:       j.Database,
		GitHubDatabase: strings.TrimSpace(j.GitHubDatabase),
		MaxOpenConns:   j.MaxOpenConns,
		CacheSize:      j.CacheSize,
		Settings:       j.Settings,
	}
	if out.Host == "" {
		return out, settingErr("host", "is empty; give the ClickHouse server's host name")
	}
	switch out.Protocol {
	case "":
		out.Protocol = ProtocolNative
	case ProtocolNative, ProtocolHTTP:
	default:
		return out, settingErr("protocol", "%q is neither native nor http", j.Protocol)
	}
	if out.Port == 0 {
		out.Port = defaultPort(out.Protocol, out.Secure)
	}
	if out.Port < 1 || out.Port > 65535 {
		return out, settingErr("port", "%d is not a TCP port", out.Port)
	}
	var err error
	if out.Addrs, err = addrs(out.Host, out.Port); err != nil {
		return out, err
	}
	if out.Database == "" {
		out.Database = schema.DefaultDatabase
	}
	if err := schema.ValidateIdentifier("database", out.Database); err != nil {
		return out, settingErr("database", "%v", err)
	}
	if out.GitHubDatabase == "" {
		out.GitHubDatabase = out.Database
	}
	if err := schema.ValidateIdentifier("GitHub database", out.GitHubDatabase); err != nil {
		return out, settingErr("githubDatabase", "%v", err)
	}
	if (out.TLSClientCert == "") != (out.TLSClientKey == "") {
		return out, settingErr("tlsClientCert", "a client certificate needs its key and the key its certificate")
	}
	if out.DialTimeout, err = duration("dialTimeout", j.DialTimeout, defaultDialTimeout, maxTimeout); err != nil {
		return out, err
	}
	if out.QueryTimeout, err = duration("queryTimeout", j.QueryTimeout, defaultQueryTimeout, maxTimeout); err != nil {
		return out, err
	}
	if out.DialTimeout == 0 || out.QueryTimeout == 0 {
		return out, settingErr("queryTimeout", "dial and query timeouts must be above 0")
	}
	if out.CacheTTL, err = duration("cacheTTL", j.CacheTTL, defaultCacheTTL, maxCacheTTL); err != nil {
		return out, err
	}
	if out.MaxOpenConns == 0 {
		out.MaxOpenConns = defaultMaxOpenConns
	}
	if out.MaxOpenConns < 1 || out.MaxOpenConns > 1000 {
		return out, settingErr("maxOpenConns", "%d is out of range 1 to 1000", out.MaxOpenConns)
	}
	if out.CacheSize == 0 {
		out.CacheSize = defaultCacheSize
	}
	if out.CacheSize < 1 || out.CacheSize > 1_000_000 {
		return out, settingErr("cacheSize", "%d is out of range 1 to 1000000", out.CacheSize)
	}
	if out.MaxResultBytes, err = byteSize("maxResultBytes", j.MaxResultBytes, defaultMaxResultBytes, minMaxResultBytes, maxMaxResultBytes); err != nil {
		return out, err
	}
	for i, st := range out.Settings {
		field := fmt.Sprintf("clickhouseSettings[%d].name", i)
		if err := schema.ValidateIdentifier("setting", st.Name); err != nil {
			return out, settingErr(field, "%v", err)
		}
		if strings.EqualFold(st.Name, "readonly") {
			return out, settingErr(field, "readonly is the data source's own: every query runs with readonly=2, and a user whose profile says readonly=1 stays at 1")
		}
	}
	return out, nil
}

// addrs splits host into host:port addresses: "a", "a:9001", "[::1]",
// "[::1]:9001", "10.0.0.1", several separated by commas.
func addrs(host string, port int) ([]string, error) {
	var out []string
	for _, part := range strings.Split(host, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			return nil, settingErr("host", "%q has an empty entry; separate replicas with single commas", host)
		}
		if strings.ContainsAny(part, "/ ?#@") {
			return nil, settingErr("host", "%q should be a host name or IP with an optional :port, without scheme or path", part)
		}
		h, p, err := net.SplitHostPort(part)
		if err != nil {
			// No port: a bare name or IPv4 has no colon, an IPv6 address
			// comes in brackets.
			h, p = strings.TrimSuffix(strings.TrimPrefix(part, "["), "]"), strconv.Itoa(port)
			if strings.Contains(part, ":") && !strings.HasPrefix(part, "[") {
				return nil, settingErr("host", "%q: write an IPv6 address in brackets, as [::1] or [::1]:9000", part)
			}
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 || h == "" {
			return nil, settingErr("host", "%q is not host:port with a TCP port", part)
		}
		out = append(out, net.JoinHostPort(h, p))
	}
	return out, nil
}

// byteSize reads a number of bytes, or text with a unit: "64MiB", "1GB".
func byteSize(field string, raw json.RawMessage, def, lo, hi int64) (int64, error) {
	text := strings.TrimSpace(string(raw))
	if text == "" || text == "null" || text == `""` {
		return def, nil
	}
	if strings.HasPrefix(text, `"`) {
		if err := json.Unmarshal(raw, &text); err != nil {
			return 0, settingErr(field, "not a string or number: %v", err)
		}
		text = strings.TrimSpace(text)
	}
	num := strings.TrimRightFunc(text, func(r rune) bool { return r < '0' || r > '9' })
	unit := strings.ToUpper(strings.TrimSpace(text[len(num):]))
	mult := map[string]int64{"": 1, "B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "KIB": 1 << 10, "MIB": 1 << 20, "GIB": 1 << 30}[unit]
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || mult == 0 {
		return 0, settingErr(field, "%q is not a size such as 67108864, 64MiB or 100MB", text)
	}
	if n > hi/mult || n*mult < lo || n*mult > hi {
		return 0, settingErr(field, "%s is out of range %d KiB to %d MiB", text, lo>>10, hi>>20)
	}
	return n * mult, nil
}

func defaultPort(protocol string, secure bool) int {
	switch {
	case protocol == ProtocolHTTP && secure:
		return 8443
	case protocol == ProtocolHTTP:
		return 8123
	case secure:
		return 9440
	default:
		return 9000
	}
}

// duration reads "30s"-style text; a bare number means seconds, as the
// Grafana ClickHouse plugin stores them.
func duration(field, text string, def, maxDur time.Duration) (time.Duration, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return def, nil
	}
	d, err := time.ParseDuration(text)
	if err != nil {
		var secs int
		if _, serr := fmt.Sscanf(text, "%d", &secs); serr != nil || fmt.Sprint(secs) != text {
			return 0, settingErr(field, "%q is not a duration such as 30s or 2m", text)
		}
		d = time.Duration(secs) * time.Second
	}
	if d < 0 || d > maxDur {
		return 0, settingErr(field, "%s is out of range 0 to %s", d, maxDur)
	}
	return d, nil
}
