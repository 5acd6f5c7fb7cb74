// Package chhttp serves the part of ClickHouse's HTTP interface that
// clickhouse-go (Protocol: HTTP), Grafana's ClickHouse plugin and curl use,
// on top of an engine such as package embedded's.
package chhttp

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/column"
	"github.com/ClickHouse/clickhouse-go/v2/lib/proto"

	"github.com/clickpy/clickpy-grafana/pkg/embedded"
)

// Engine runs queries; *embedded.Engine is one.
type Engine interface {
	Query(ctx context.Context, req embedded.Request) (*embedded.Result, error)
	Info() embedded.ServerInfo
}

// Handler is the http.Handler of the interface.
type Handler struct {
	eng   Engine
	users map[string]User
	info  embedded.ServerInfo
	// native describes the server to clickhouse-go's column codecs when
	// re-framing Native output.
	native column.ServerContext
}

// NewHandler serves eng to users (nil: the "default" user, no password).
func NewHandler(eng Engine, users []User) *Handler {
	info := eng.Info()
	loc, err := time.LoadLocation(info.Timezone)
	if err != nil {
		loc = time.UTC
	}
	v := proto.ParseVersion(info.Version)
	return &Handler{
		eng:   eng,
		users: userMap(users),
		info:  info,
		native: column.ServerContext{
			Revision:     info.Revision,
			VersionMajor: v.Major,
			VersionMinor: v.Minor,
			VersionPatch: v.Patch,
			Timezone:     loc,
		},
	}
}

// ServeHTTP answers /ping, the root health check and queries on any other
// request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-ClickHouse-Server-Display-Name", h.info.DisplayName)
	q := r.URL.Query()
	switch {
	case r.Method == http.MethodOptions:
		w.WriteHeader(http.StatusNoContent)
		return
	case r.URL.Path == "/ping", r.URL.Path == "/" && !q.Has("query") && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		if r.Method != http.MethodHead {
			_, _ = io.WriteString(w, "Ok.\n")
		}
		return
	}
	if err := h.serveQuery(w, r, q); err != nil {
		h.writeException(w, r, err)
	}
}

func (h *Handler) serveQuery(w http.ResponseWriter, r *http.Request, q map[string][]string) error {
	user, err := authenticate(r, q, h.users)
	if err != nil {
		return err
	}
	p := parseParams(r, q)
	if p.queryID == "" {
		p.queryID = newQueryID()
	}
	w.Header().Set("X-ClickHouse-Query-Id", p.queryID)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return embedded.NewException(embedded.CodeNotImplemented, "External tables (multipart/form-data) are not supported by this server")
	}
	body, err := bodyReader(r, p)
	if err != nil {
		return err
	}
	text, input, err := assembleQuery(p, body)
	if err != nil {
		return err
	}
	if input == nil {
		// Reading the body to its end lets net/http notice a client that
		// goes away, which cancels the request context and so the query.
		_, _ = io.Copy(io.Discard, r.Body)
	}
	format := p.format
	if format == "" {
		format = embedded.DefaultFormat
	}
	res, err := h.eng.Query(r.Context(), embedded.Request{
		Query:    text,
		Format:   format,
		Database: p.database,
		Profile:  user.Profile,
		Settings: p.settings,
		Params:   p.params,
		// GET implies readonly in ClickHouse's HTTP interface.
		Idempotent: r.Method == http.MethodGet || r.Method == http.MethodHead,
		HostAccess: user.HostAccess,
		Input:      input,
	})
	if err != nil {
		return err
	}
	return h.writeResult(w, r, p, res)
}

func (h *Handler) writeResult(w http.ResponseWriter, r *http.Request, p requestParams, res *embedded.Result) error {
	data := res.Data
	var err error
	if strings.EqualFold(res.Format, "Native") {
		if data, err = reframeNative(data, p.clientRevision, h.native); err != nil {
			return embedded.NewException(embedded.CodeNotImplemented, "Cannot send Native output for client_protocol_version %d: %v", p.clientRevision, err)
		}
	}
	if p.compress && len(data) > 0 {
		if data, err = compressNative(data, p.nativeMethod, p.nativeZstdLevel); err != nil {
			return embedded.NewException(embedded.CodeBadArguments, "%v", err)
		}
	}
	hdr := w.Header()
	if p.httpCompression && len(data) > 0 {
		if enc := pickEncoding(r.Header.Get("Accept-Encoding")); enc != "" {
			if data, err = encodeHTTP(data, enc, p.httpCompressLevel); err != nil {
				return fmt.Errorf("compress response: %w", err)
			}
			hdr.Set("Content-Encoding", enc)
		}
	}
	hdr.Set("Content-Type", contentType(res.Format))
	hdr.Set("X-ClickHouse-Format", res.Format)
	hdr.Set("X-ClickHouse-Timezone", h.info.Timezone)
	hdr.Set("X-ClickHouse-Summary", summary(res))
	hdr.Set("Content-Length", fmt.Sprint(len(data)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(data)
	}
	return nil
}

// contentType mirrors the Content-Type ClickHouse sends for a format.
func contentType(format string) string {
	f := strings.ToLower(format)
	switch {
	case strings.HasPrefix(f, "tabseparated") || strings.HasPrefix(f, "tsv"):
		return "text/tab-separated-values; charset=UTF-8"
	case strings.HasPrefix(f, "csv"):
		return "text/csv; charset=UTF-8; header=absent"
	case f == "jsoneachrow" || f == "jsonlines" || f == "ndjson":
		return "application/x-ndjson; charset=UTF-8"
	case strings.HasPrefix(f, "json"):
		return "application/json; charset=UTF-8"
	case f == "xml":
		return "application/xml; charset=UTF-8"
	case strings.HasPrefix(f, "pretty") || f == "vertical" || f == "markdown":
		return "text/plain; charset=UTF-8"
	}
	return "application/octet-stream"
}

// newQueryID makes a random UUID, as ClickHouse assigns query ids.
func newQueryID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
