package exporter

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/promslog"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/clickpy/clickpy-grafana/pkg/hosttools"
)

// The handler's two-part scrape (status live, snapshot encoded once) says
// exactly what one registry gathering everything says, in text and
// protobuf, plain and gzip (one gzip member, which gzip(1) reads too), and
// follows a new snapshot.
func TestExpositionMatchesOneRegistry(t *testing.T) {
	snaps := []*Snapshot{knownSnapshot(), {LastDay: day("2026-11-01"), Packages: []PackageStats{{Name: "numpy", Total: 42, LastDay: 7}}}}
	next := 0
	cache := NewCache(func(context.Context) (*Snapshot, error) { next++; return snaps[next-1], nil }, time.Minute, promslog.NewNopLogger())
	cache.now = func() time.Time { return time.Unix(1793491200, 0) }
	cache.refresh(context.Background())
	cfg := knownConfig()

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewBuildInfoCollector())
	srv := httptest.NewServer(MetricsHandler(cache, cfg, HandlerOpts{Registry: reg, ExporterMetrics: true, DefaultTimeout: 10 * time.Second}))
	defer srv.Close()
	want := prometheus.NewRegistry()
	want.MustRegister(NewCollector(cache, cfg), collectors.NewBuildInfoCollector())

	formats := map[string]string{"text": "text/plain;version=0.0.4", "protobuf": string(expfmt.FmtProtoDelim)}
	for round := range snaps {
		if round > 0 {
			cache.refresh(context.Background())
		}
		wantMFs, err := want.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for name, accept := range formats {
			for _, gz := range []bool{false, true} {
				got := scrapeFamilies(t, srv.URL, accept, gz)
				if diff := cmp.Diff(familiesByName(wantMFs), got, protocmp.Transform()); diff != "" {
					t.Fatalf("round %d, %s, gzip %v: scrape differs from one registry (-want +got):\n%s", round, name, gz, diff)
				}
			}
		}
	}
	if got := scrapeFamilies(t, srv.URL, formats["text"], false)[MetricTotal]; len(got.GetMetric()) != 1 {
		t.Fatalf("after the second refresh %s has %d series, want numpy's only", MetricTotal, len(got.GetMetric()))
	}
}

// scrapeFamilies scrapes url and decodes the answer, leaving out
// promhttp's own counters, which count the scrapes themselves.
func scrapeFamilies(t *testing.T, url, accept string, gz bool) map[string]*dto.MetricFamily {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept", accept)
	if gz {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, %v", resp.StatusCode, err)
	}
	if enc := resp.Header.Get("Content-Encoding"); (enc == "gzip") != gz {
		t.Fatalf("Content-Encoding %q with gzip asked %v", enc, gz)
	}
	if gz {
		body = gunzipOneMember(t, body)
	}
	dec := expfmt.NewDecoder(bytes.NewReader(body), expfmt.ResponseFormat(resp.Header))
	out := map[string]*dto.MetricFamily{}
	for {
		mf := &dto.MetricFamily{}
		if err := dec.Decode(mf); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("decoding the scrape: %v\n%s", err, body)
		}
		if _, dup := out[mf.GetName()]; dup {
			t.Fatalf("family %s twice", mf.GetName())
		}
		if !strings.HasPrefix(mf.GetName(), "promhttp_") {
			out[mf.GetName()] = mf
		}
	}
	return out
}

// gunzipOneMember decodes a gzip body that must be a single member, and
// checks gzip(1) reads it the same.
func gunzipOneMember(t *testing.T, body []byte) []byte {
	t.Helper()
	in := bytes.NewReader(body)
	zr, err := gzip.NewReader(in)
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	if in.Len() != 0 {
		t.Fatalf("%d bytes after the first gzip member", in.Len())
	}
	cmd := exec.Command(hosttools.Require(t, "gzip"), "-dc")
	cmd.Stdin = bytes.NewReader(body)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gzip -dc: %v", err)
	}
	if !bytes.Equal(out, plain) {
		t.Fatal("gzip -dc reads the body differently")
	}
	return plain
}

func familiesByName(mfs []*dto.MetricFamily) map[string]*dto.MetricFamily {
	out := map[string]*dto.MetricFamily{}
	for _, mf := range mfs {
		out[mf.GetName()] = mf
	}
	return out
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"": false, "gzip": true, "GZIP": true, "br, gzip;q=0.5": true, "gzip;q=0": false,
		"identity": false, "*": true, "deflate, x-gzip": true, "gzip; q=0.0": false,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("%q: %v, want %v", header, got, want)
		}
	}
}

// A refresh encodes the new snapshot in the formats scrapes have asked
// for (gzip too), so no scrape pays for it.
func TestExpositionWarmsNewSnapshot(t *testing.T) {
	snaps := []*Snapshot{knownSnapshot(), {LastDay: day("2026-11-01"), Packages: []PackageStats{{Name: "numpy", Total: 42}}}}
	next := 0
	cache := NewCache(func(context.Context) (*Snapshot, error) { next++; return snaps[next-1], nil }, time.Minute, promslog.NewNopLogger())
	cache.refresh(context.Background())
	e := newExposition(cache, knownConfig(), prometheus.NewRegistry(), nil)
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	e.ServeHTTP(httptest.NewRecorder(), req)
	format := expfmt.Negotiate(req.Header)

	cache.refresh(context.Background())
	e.mu.Lock()
	p := e.encoded[format]
	e.mu.Unlock()
	if p == nil || p.snap != snaps[1] || p.deflate == nil || !strings.Contains(string(p.plain), `package="numpy"`) {
		t.Fatalf("after the refresh the encoding is %+v", p)
	}
	if len(e.encoded) != 1 {
		t.Fatalf("%d encodings kept, want the new snapshot's only", len(e.encoded))
	}
}
