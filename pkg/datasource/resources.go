package datasource

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// resourceWindow is the range resources rank by when a caller gives none.
const resourceWindow = 90 * 24 * time.Hour

// Option is one entry of a resource list: what the editors show and store.
type Option struct {
	Value string `json:"value"`
	Text  string `json:"text,omitempty"`
}

// CallResource serves the editors' lookups: /packages, /versions,
// /countries, /dimensions/{name} and /catalog.
func (i *Instance) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	u, err := url.Parse(req.URL)
	if err != nil {
		return reply(sender, http.StatusBadRequest, map[string]string{"error": "bad URL: " + err.Error()})
	}
	// url.Values would drop a badly encoded pair without a word, and the
	// lookup then answer for an empty prefix.
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return reply(sender, http.StatusBadRequest, map[string]string{
			"error": "the query string is not valid URL encoding (" + err.Error() + "): percent-encode each value, as encodeURIComponent does"})
	}
	path := strings.Trim(req.Path, "/")
	if path == "catalog" {
		cat, err := i.catalogue(ctx, false)
		if err != nil {
			_, msg := explain(err, i.settings)
			return reply(sender, http.StatusBadGateway, map[string]string{"error": msg})
		}
		return reply(sender, http.StatusOK, cat)
	}
	qm := querymodel.Query{Type: querymodel.VariableQuery, Limit: querymodel.DefaultLimit}
	switch {
	case path == "packages":
		qm.Variable, qm.Prefix = querymodel.VarPackages, q.Get("prefix")
	case path == "versions":
		qm.Variable, qm.Packages = querymodel.VarVersions, nonEmpty(q.Get("package"))
		qm.Limit = querymodel.MaxLimit
	case path == "countries":
		qm.Variable, qm.Limit = querymodel.VarCountries, querymodel.MaxLimit
	case strings.HasPrefix(path, "dimensions/"):
		qm.Variable, qm.Dimension = querymodel.VarDimension, querymodel.Dimension(strings.TrimPrefix(path, "dimensions/"))
		qm.Packages, qm.Limit = nonEmpty(q.Get("package")), querymodel.MaxLimit
	default:
		return reply(sender, http.StatusNotFound, map[string]string{
			"error": fmt.Sprintf("no resource %s; use packages, versions, countries, dimensions/{name} or catalog", querymodel.Quote(path))})
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil {
			return reply(sender, http.StatusBadRequest, map[string]string{"error": "limit: not a number"})
		}
		qm.Limit = n
	}
	if err := qm.Check(); err != nil {
		return reply(sender, http.StatusBadRequest, map[string]string{"error": err.Error()})
	}
	now := time.Now()
	frame, err := i.run(ctx, qm, backend.TimeRange{From: now.Add(-resourceWindow), To: now}, 0, 0)
	if err != nil {
		status := http.StatusBadGateway
		if _, ok := err.(*badInput); ok {
			status = http.StatusBadRequest
		}
		_, msg := explain(err, i.settings)
		if status == http.StatusBadRequest {
			msg = err.Error()
		}
		return reply(sender, status, map[string]string{"error": msg})
	}
	return reply(sender, http.StatusOK, options(frame))
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// options reads a variable frame's __value and __text fields.
func options(f *data.Frame) []Option {
	out := []Option{}
	if f == nil {
		return out
	}
	val, _ := f.FieldByName(sqlbuild.ColVarValue)
	txt, _ := f.FieldByName(sqlbuild.ColVarText)
	if val == nil {
		return out
	}
	for r := 0; r < val.Len(); r++ {
		o := Option{Value: text(val, r)}
		if txt != nil {
			o.Text = text(txt, r)
		}
		out = append(out, o)
	}
	return out
}

// text is a field's value as text, "" for NULL, whatever its type.
func text(f *data.Field, r int) string {
	if v, ok := f.ConcreteAt(r); ok {
		return fmt.Sprint(v)
	}
	return ""
}

func reply(sender backend.CallResourceResponseSender, status int, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encoding resource reply: %w", err)
	}
	return sender.Send(&backend.CallResourceResponse{
		Status:  status,
		Headers: map[string][]string{"Content-Type": {"application/json"}},
		Body:    b,
	})
}
