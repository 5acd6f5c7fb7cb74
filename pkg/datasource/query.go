package datasource

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/clickpy/clickpy-grafana/pkg/frames"
	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
	"github.com/clickpy/clickpy-grafana/pkg/sqlbuild"
)

// QueryData answers each query of the request on its own: one query's bad
// input or failure becomes that query's error, and the others still answer.
// Each query's timeout runs from the request's arrival, its wait for a
// turn included, so a request of many queries against a server that does
// not answer ends within one timeout, not one per turn.
func (i *Instance) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, parallelQueries)
	ctx, cancel := context.WithTimeout(ctx, i.settings.QueryTimeout)
	defer cancel()
	for _, q := range req.Queries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var r backend.DataResponse
			select {
			case sem <- struct{}{}:
				r = i.safeQuery(ctx, q)
				<-sem
			case <-ctx.Done():
				_, msg := explain(ctx.Err(), i.settings)
				r = backend.ErrDataResponseWithSource(backend.StatusTimeout, backend.ErrorSourceDownstream,
					fmt.Sprintf("query %s: waited for the request's other queries: %s", q.RefID, msg))
			}
			mu.Lock()
			resp.Responses[q.RefID] = r
			mu.Unlock()
		}()
	}
	wg.Wait()
	return resp, nil
}

// safeQuery turns a panic into that query's error: a bug must not take
// down the other queries or the plugin process.
func (i *Instance) safeQuery(ctx context.Context, q backend.DataQuery) (r backend.DataResponse) {
	defer func() {
		if p := recover(); p != nil {
			log.DefaultLogger.Error("query panicked", "refId", q.RefID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			r = backend.ErrDataResponse(backend.StatusInternal, fmt.Sprintf("query %s failed inside the plugin: %v", q.RefID, p))
		}
	}()
	return i.query(ctx, q)
}

func (i *Instance) query(ctx context.Context, dq backend.DataQuery) backend.DataResponse {
	qm, err := querymodel.Parse(dq.JSON, dq.QueryType)
	if err != nil {
		i.count("invalid", "bad_request")
		return badRequest(dq.RefID, err)
	}
	qtype := string(qm.Type)
	frame, err := i.run(ctx, qm, dq.TimeRange, dq.Interval, dq.MaxDataPoints)
	if err != nil {
		var bad *badInput
		if errors.As(err, &bad) {
			i.count(qtype, "bad_request")
			return badRequest(dq.RefID, bad.err)
		}
		i.count(qtype, "error")
		status, msg := explain(err, i.settings)
		return backend.ErrDataResponseWithSource(status, backend.ErrorSourceDownstream, fmt.Sprintf("query %s: %s", dq.RefID, msg))
	}
	i.count(qtype, "ok")
	// The cached frame is shared; this copy only gets its own RefID, and
	// the server's limits' warning when there is one.
	f := *frame
	f.RefID = dq.RefID
	if w := i.limits.Warning(); w != "" {
		meta := data.FrameMeta{}
		if f.Meta != nil {
			meta = *f.Meta
		}
		meta.Notices = append(slices.Clip(meta.Notices), data.Notice{Severity: data.NoticeSeverityWarning, Text: w})
		f.Meta = &meta
	}
	return backend.DataResponse{Frames: data.Frames{&f}}
}

// badInput marks errors the user fixes in the query, not in ClickHouse.
type badInput struct{ err error }

func (b *badInput) Error() string { return b.err.Error() }

func badRequest(refID string, err error) backend.DataResponse {
	return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourcePlugin,
		fmt.Sprintf("query %s: %v", refID, err))
}

// BuildRequest is what the instance hands sqlbuild for one query as
// Grafana sends it: the parsed model, the range, the catalogue and the
// packages' days. The rows-read benchmark builds the same request over
// other catalogues.
func (i *Instance) BuildRequest(ctx context.Context, dq backend.DataQuery) (sqlbuild.Request, error) {
	qm, err := querymodel.Parse(dq.JSON, dq.QueryType)
	if err != nil {
		return sqlbuild.Request{}, err
	}
	return i.request(ctx, qm, dq.TimeRange, dq.Interval, dq.MaxDataPoints)
}

// request checks the range and gathers what building the query's SQL
// reads besides the query itself.
func (i *Instance) request(ctx context.Context, qm querymodel.Query, tr backend.TimeRange, interval time.Duration, maxPoints int64) (sqlbuild.Request, error) {
	if tr.From.IsZero() || tr.To.IsZero() {
		return sqlbuild.Request{}, &badInput{errors.New("time range: from and to are required")}
	}
	if tr.From.After(tr.To) {
		return sqlbuild.Request{}, &badInput{fmt.Errorf("time range: from %s is after to %s; swap them",
			tr.From.UTC().Format(time.RFC3339), tr.To.UTC().Format(time.RFC3339))}
	}
	cat, err := i.catalogue(ctx, false)
	if err != nil {
		return sqlbuild.Request{}, err
	}
	req := sqlbuild.Request{
		Query: qm, From: tr.From, To: tr.To, Interval: interval, MaxDataPoints: maxPoints,
		Database: i.settings.Database, Catalog: cat,
	}
	if pkgs := sqlbuild.SpanPackages(req); len(pkgs) > 0 {
		req.Spans = i.packageSpans(ctx, cat, pkgs)
	}
	return req, nil
}

// run builds and runs one parsed query over the time range.
func (i *Instance) run(ctx context.Context, qm querymodel.Query, tr backend.TimeRange, interval time.Duration, maxPoints int64) (*data.Frame, error) {
	req, err := i.request(ctx, qm, tr, interval, maxPoints)
	if err != nil {
		return nil, err
	}
	st, err := sqlbuild.Build(req)
	if err != nil {
		return nil, &badInput{err}
	}
	if st.Source.Table != "" {
		i.metrics.ViewChosen.WithLabelValues(st.Source.Table).Inc()
	}
	frame, hit, err := i.cache.get(ctx, cacheKey(st.SQL, st.Params), func(ctx context.Context) (f *data.Frame, err error) {
		start := time.Now()
		err = i.do(ctx, func(ctx context.Context) error {
			f, err = frames.Run(ctx, i.conn, st, i.settings.MaxResultBytes)
			return err
		})
		i.metrics.Latency.WithLabelValues(string(qm.Type)).Observe(time.Since(start).Seconds())
		var tooLarge *frames.TooLargeError
		if errors.As(err, &tooLarge) {
			// The rows read so far are garbage now; give their memory back
			// to the system at once rather than over minutes.
			f = nil
			debug.FreeOSMemory()
			return nil, &badInput{err}
		}
		if f != nil {
			i.countRowsRead(st, f)
		}
		return f, err
	})
	if hit {
		i.metrics.CacheHits.Inc()
	} else {
		i.metrics.CacheMisses.Inc()
	}
	return frame, err
}

// countRowsRead adds what the server said the query read to the metric.
func (i *Instance) countRowsRead(st sqlbuild.Statement, f *data.Frame) {
	if f.Meta == nil {
		return
	}
	for _, s := range f.Meta.Stats {
		if s.DisplayName == frames.StatRowsRead {
			table := st.Source.Table
			if table == "" {
				table = "user_sql"
			}
			i.metrics.RowsRead.WithLabelValues(table).Add(s.Value)
		}
	}
}

func (i *Instance) count(queryType, outcome string) {
	i.metrics.Queries.WithLabelValues(queryType, outcome).Inc()
}
