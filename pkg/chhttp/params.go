package chhttp

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/embedded"
)

// reservedParams are URL parameters of the HTTP interface itself, never
// settings (ClickHouse's list, plus the ones it reads before that check).
const reservedParams = " query database default_format compress decompress user password quota_key query_id" +
	" stacktrace buffer_size wait_end_of_query session_id session_timeout session_check" +
	" client_protocol_version close_session role "

// httpOnlySettings are real ClickHouse settings that only shape the HTTP
// exchange. The front acts on the ones it supports and does not pass them to
// the engine, which would cost a SET and a reset for nothing.
const httpOnlySettings = " enable_http_compression http_zlib_compression_level send_progress_in_http_headers" +
	" http_headers_progress_interval_ms add_http_cors_header http_response_buffer_size" +
	" http_wait_end_of_query cancel_http_readonly_queries_on_client_close" +
	" http_write_exception_in_output_format http_native_compression_disable_checksumming_on_decompress" +
	" network_compression_method network_zstd_compression_level "

// requestParams is what the URL and headers say about a request.
type requestParams struct {
	query    string
	hasQuery bool
	database string
	format   string
	queryID  string
	settings []embedded.Setting
	params   map[string]string
	// clientRevision is client_protocol_version: Native output must be
	// framed for it (0: as is).
	clientRevision uint64
	// compress asks for ClickHouse's block compression of the output,
	// decompress says the body has it.
	compress          bool
	decompress        bool
	httpCompression   bool
	httpCompressLevel int
	nativeMethod      string
	nativeZstdLevel   int
}

func parseParams(r *http.Request, q url.Values) requestParams {
	p := requestParams{
		params:            map[string]string{},
		httpCompressLevel: 3,
		nativeMethod:      "LZ4",
	}
	// Sorted so the SET statement, and so chDB's behaviour, is stable.
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := q[k][len(q[k])-1]
		switch {
		case k == "":
		case k == "query":
			p.query, p.hasQuery = v, true
		case k == "database":
			p.database = v
		case k == "default_format":
			p.format = v
		case k == "query_id":
			p.queryID = v
		case k == "client_protocol_version":
			p.clientRevision, _ = strconv.ParseUint(v, 10, 64)
		case k == "compress":
			p.compress = truthy(v)
		case k == "decompress":
			p.decompress = truthy(v)
		case strings.HasPrefix(k, "param_"):
			p.params[strings.TrimPrefix(k, "param_")] = v
		case strings.Contains(reservedParams, " "+k+" "):
		case strings.Contains(httpOnlySettings, " "+k+" "):
			p.httpSetting(k, v)
		default:
			p.settings = append(p.settings, embedded.Setting{Name: k, Value: v})
		}
	}
	if db := r.Header.Get("X-ClickHouse-Database"); db != "" {
		p.database = db
	}
	if f := r.Header.Get("X-ClickHouse-Format"); f != "" {
		p.format = f
	}
	if p.queryID == "" {
		p.queryID = r.Header.Get("X-ClickHouse-Query-Id")
	}
	return p
}

func (p *requestParams) httpSetting(k, v string) {
	switch k {
	case "enable_http_compression":
		p.httpCompression = truthy(v)
	case "http_zlib_compression_level":
		if n, err := strconv.Atoi(v); err == nil {
			p.httpCompressLevel = n
		}
	case "network_compression_method":
		p.nativeMethod = strings.ToUpper(v)
	case "network_zstd_compression_level":
		if n, err := strconv.Atoi(v); err == nil {
			p.nativeZstdLevel = n
		}
	}
}

func truthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}
