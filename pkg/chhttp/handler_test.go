package chhttp

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	chproto "github.com/ClickHouse/ch-go/proto"
	"github.com/ClickHouse/clickhouse-go/v2/lib/proto"

	"github.com/clickpy/clickpy-grafana/pkg/embedded"
)

// fakeEngine records what the handler asks of the engine.
type fakeEngine struct {
	got   embedded.Request
	input string
	res   *embedded.Result
	err   error
}

func (f *fakeEngine) Query(_ context.Context, req embedded.Request) (*embedded.Result, error) {
	f.got = req
	if req.Input != nil {
		b, _ := io.ReadAll(req.Input)
		f.input = string(b)
	}
	if f.err != nil {
		return nil, f.err
	}
	if f.res != nil {
		return f.res, nil
	}
	return &embedded.Result{Format: req.Format}, nil
}

func (f *fakeEngine) Info() embedded.ServerInfo {
	return embedded.ServerInfo{DisplayName: "fake", Version: "26.7.2.1", Revision: 54513, Timezone: "UTC"}
}

func serveFake(f *fakeEngine, users []User, method, target, body string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	NewHandler(f, users).ServeHTTP(rec, req)
	return rec
}

func TestHandlerMapsParameters(t *testing.T) {
	f := &fakeEngine{}
	rec := serveFake(f, nil, http.MethodPost,
		"/?query=SELECT&database=db1&default_format=JSON&max_threads=2&param_x=a%09b&user=default&query_id=q1"+
			"&client_protocol_version=54460&compress=0&session_id=s&enable_http_compression=1&readonly=1",
		"{x:String}", nil)
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	want := embedded.Request{
		Query:    "SELECT\n{x:String}",
		Format:   "JSON",
		Database: "db1",
		Settings: []embedded.Setting{{Name: "max_threads", Value: "2"}, {Name: "readonly", Value: "1"}},
		Params:   map[string]string{"x": "a\tb"},
	}
	if !reflect.DeepEqual(f.got, want) {
		t.Fatalf("got %+v\nwant %+v", f.got, want)
	}
	if rec.Header().Get("X-ClickHouse-Query-Id") != "q1" {
		t.Fatalf("query id: %v", rec.Header())
	}
}

func TestHandlerStreamsInsertData(t *testing.T) {
	f := &fakeEngine{}
	rec := serveFake(f, nil, http.MethodPost, "/?query=INSERT+INTO+t+FORMAT+TSV", "1\t2\n", nil)
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if f.got.Query != "INSERT INTO t FORMAT TSV\n" || f.input != "1\t2\n" {
		t.Fatalf("query %q input %q", f.got.Query, f.input)
	}
}

func TestHandlerPassesProfileAndMethod(t *testing.T) {
	users := []User{{Name: "ro", Profile: embedded.Profile{Readonly: 2}}, {Name: "rw"}, {Name: "admin", HostAccess: true}}
	for _, c := range []struct {
		method, user string
		readonly     int
		idempotent   bool
		hostAccess   bool
	}{
		{http.MethodPost, "rw", 0, false, false},
		{http.MethodGet, "rw", 0, true, false},
		{http.MethodHead, "rw", 0, true, false},
		{http.MethodPost, "ro", 2, false, false},
		{http.MethodPost, "admin", 0, false, true},
	} {
		f := &fakeEngine{}
		serveFake(f, users, c.method, "/?query=SELECT+1&user="+c.user, "", nil)
		if f.got.Profile.Readonly != c.readonly || f.got.Idempotent != c.idempotent || f.got.HostAccess != c.hostAccess {
			t.Errorf("%s %s: got profile %+v idempotent %v host access %v", c.method, c.user, f.got.Profile, f.got.Idempotent, f.got.HostAccess)
		}
	}
}

func TestHandlerPlainErrorIsException(t *testing.T) {
	f := &fakeEngine{err: errors.New("disk on fire")}
	rec := serveFake(f, nil, http.MethodPost, "/", "SELECT 1", nil)
	if rec.Code != 500 || rec.Header().Get("X-ClickHouse-Exception-Code") != "1001" ||
		rec.Body.String() != "Code: 1001. DB::Exception: disk on fire. (STD_EXCEPTION) (version 26.7.2.1)\n" {
		t.Fatalf("%d %v %q", rec.Code, rec.Header(), rec.Body)
	}
}

func TestHandlerReframesNative(t *testing.T) {
	// chDB's revision-0 Native for SELECT 1 AS x, 'ab' AS s.
	rev0 := []byte("\x02\x01\x01x\x05UInt8\x01\x01s\x06String\x02ab")
	f := &fakeEngine{res: &embedded.Result{Format: "Native", Data: append(append([]byte{}, rev0...), rev0...)}}
	rec := serveFake(f, nil, http.MethodPost, "/?default_format=Native&client_protocol_version=54460", "SELECT 1", nil)
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	r := chproto.NewReader(bytes.NewReader(rec.Body.Bytes()))
	for i := 0; i < 2; i++ {
		b := proto.NewBlock()
		if err := b.Decode(r, 54460); err != nil {
			t.Fatalf("block %d: %v", i, err)
		}
		if b.Rows() != 1 || !reflect.DeepEqual(b.ColumnsNames(), []string{"x", "s"}) {
			t.Fatalf("block %d: %d rows %v", i, b.Rows(), b.ColumnsNames())
		}
	}
	// Without client_protocol_version the bytes pass through.
	rec = serveFake(f, nil, http.MethodPost, "/?default_format=Native", "SELECT 1", nil)
	if !bytes.Equal(rec.Body.Bytes(), f.res.Data) {
		t.Fatalf("passthrough changed the data")
	}
}

func TestHandlerCompressedBodyErrors(t *testing.T) {
	f := &fakeEngine{}
	rec := serveFake(f, nil, http.MethodPost, "/", "not gzip", map[string]string{"Content-Encoding": "gzip"})
	if rec.Header().Get("X-ClickHouse-Exception-Code") != "271" {
		t.Fatalf("%d %v %s", rec.Code, rec.Header(), rec.Body)
	}
	rec = serveFake(f, nil, http.MethodPost, "/", "x", map[string]string{"Content-Encoding": "rot13"})
	if rec.Header().Get("X-ClickHouse-Exception-Code") != "89" {
		t.Fatalf("%d %v %s", rec.Code, rec.Header(), rec.Body)
	}
}
