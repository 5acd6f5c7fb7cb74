package exporter

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/common/expfmt"
)

// exposition writes a scrape in two parts: the exporter's status and
// reg's collectors (Go, process, build info), gathered every time, and the
// snapshot's metrics, gathered and encoded once per snapshot and format.
// With every breakdown at 1,000 packages the snapshot is 72,000 series,
// which take client_golang some 200 ms to gather and encode, while it
// changes only at a refresh.
type exposition struct {
	cache    *Cache
	live     prometheus.Gatherer
	status   *Collector
	errorLog promhttp.Logger

	mu      sync.Mutex
	encoded map[expfmt.Format]*encodedSnapshot
	// served are the formats scrapes asked for, true when with gzip: a new
	// snapshot is encoded in those ahead of the next scrape.
	served map[expfmt.Format]bool
}

// encodedSnapshot is one snapshot's metrics in one exposition format.
type encodedSnapshot struct {
	snap *Snapshot

	encodeOnce sync.Once
	plain      []byte

	deflateOnce sync.Once
	// deflate is plain as raw DEFLATE ending in a sync flush (byte-aligned,
	// not final), so a gzip response appends the live part's blocks and
	// stays a single member any gzip reader takes.
	deflate []byte
	crc     uint32
}

func newExposition(cache *Cache, cfg Config, reg *prometheus.Registry, errorLog promhttp.Logger) *exposition {
	status := newCollector(cache, cfg, true)
	statusReg := prometheus.NewRegistry()
	statusReg.MustRegister(status)
	e := &exposition{cache: cache, live: prometheus.Gatherers{reg, statusReg}, status: status, errorLog: errorLog,
		encoded: map[expfmt.Format]*encodedSnapshot{}, served: map[expfmt.Format]bool{}}
	cache.OnSnapshot(e.warm)
	return e
}

// warm encodes a new snapshot in the formats scrapes have used, so that
// the first scrape after a refresh costs what the others do.
func (e *exposition) warm(snap *Snapshot) {
	e.mu.Lock()
	served := maps.Clone(e.served)
	e.mu.Unlock()
	for format, gz := range served {
		p := e.part(snap, format)
		if gz {
			p.compress()
		}
	}
}

func (e *exposition) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	format := expfmt.Negotiate(r.Header)
	gz := acceptsGzip(r.Header.Get("Accept-Encoding"))
	snap := e.snapshotPart(e.cache.Status().Snapshot, format, gz)
	live := e.encodeLive(format)
	hdr := w.Header()
	hdr.Set("Content-Type", string(format))
	hdr.Add("Vary", "Accept-Encoding")
	if !gz {
		hdr.Set("Content-Length", strconv.Itoa(len(snap.plain)+len(live)))
		_, _ = w.Write(snap.plain)
		_, _ = w.Write(live)
		return
	}
	hdr.Set("Content-Encoding", "gzip")
	if err := snap.writeGzip(w, live); err != nil {
		e.logf("writing the gzip response: %v", err)
	}
}

// snapshotPart returns the snapshot's metrics in format for a scrape, and
// notes the format for the next refresh to warm.
func (e *exposition) snapshotPart(snap *Snapshot, format expfmt.Format, gz bool) *encodedSnapshot {
	e.mu.Lock()
	e.served[format] = e.served[format] || gz
	e.mu.Unlock()
	return e.part(snap, format)
}

// part returns snap's metrics in format, encoded once however many scrapes
// and the refresh's warm ask for them at the same time.
func (e *exposition) part(snap *Snapshot, format expfmt.Format) *encodedSnapshot {
	e.mu.Lock()
	p := e.encoded[format]
	if p == nil || p.snap != snap {
		p = &encodedSnapshot{snap: snap}
		e.keep(format, p)
	}
	e.mu.Unlock()
	p.encodeOnce.Do(func() { p.plain = e.encode(snap, format) })
	return p
}

// keep stores p as format's encoding and drops those of other snapshots;
// e.mu is held.
func (e *exposition) keep(format expfmt.Format, p *encodedSnapshot) {
	for f, old := range e.encoded {
		if old.snap != p.snap {
			delete(e.encoded, f)
		}
	}
	e.encoded[format] = p
}

// encode gathers and encodes snap's metrics.
func (e *exposition) encode(snap *Snapshot, format expfmt.Format) []byte {
	if snap == nil {
		return nil
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(snapshotMetrics{e.status, snap})
	// Not closed: OpenMetrics' "# EOF" must come after the live part.
	return e.encodeFamilies(reg, "the snapshot's metrics", format, false)
}

func (e *exposition) encodeLive(format expfmt.Format) []byte {
	return e.encodeFamilies(e.live, "the exporter's own metrics", format, true)
}

// encodeFamilies gathers g and encodes its families in format, closing
// the exposition when asked. As promhttp does with ContinueOnError, a
// gathering error is logged and what was gathered is served, and a family
// that does not encode is logged and left out.
func (e *exposition) encodeFamilies(g prometheus.Gatherer, what string, format expfmt.Format, closing bool) []byte {
	mfs, err := g.Gather()
	if err != nil {
		e.logf("gathering %s: %v", what, err)
	}
	var out, one bytes.Buffer
	for _, mf := range mfs {
		one.Reset()
		if err := expfmt.NewEncoder(&one, format).Encode(mf); err != nil {
			e.logf("encoding %s: %v", mf.GetName(), err)
			continue
		}
		out.Write(one.Bytes())
	}
	if c, ok := expfmt.NewEncoder(&out, format).(expfmt.Closer); ok && closing {
		if err := c.Close(); err != nil {
			e.logf("closing the exposition: %v", err)
		}
	}
	return out.Bytes()
}

// compress makes the DEFLATE form of plain, once.
func (p *encodedSnapshot) compress() {
	p.deflateOnce.Do(func() {
		var buf bytes.Buffer
		fw, _ := flate.NewWriter(&buf, flate.DefaultCompression) // the level is valid
		_, _ = fw.Write(p.plain)
		_ = fw.Flush()
		p.deflate, p.crc = buf.Bytes(), crc32.ChecksumIEEE(p.plain)
	})
}

// writeGzip writes one gzip member holding the snapshot part, compressed
// once, then live, compressed now.
func (p *encodedSnapshot) writeGzip(w http.ResponseWriter, live []byte) error {
	p.compress()
	// A gzip member's header: deflate, no name, no time, unknown OS.
	header := [10]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}
	if _, err := w.Write(header[:]); err != nil {
		return err
	}
	if _, err := w.Write(p.deflate); err != nil {
		return err
	}
	// A fresh compressor refers back only to its own input, so its blocks
	// follow the cached ones in the same stream; Close ends the stream.
	fw, _ := flate.NewWriter(w, flate.BestSpeed)
	if _, err := fw.Write(live); err != nil {
		return err
	}
	if err := fw.Close(); err != nil {
		return err
	}
	var trailer [8]byte
	binary.LittleEndian.PutUint32(trailer[:4], crc32.Update(p.crc, crc32.IEEETable, live))
	binary.LittleEndian.PutUint32(trailer[4:], uint32(len(p.plain)+len(live))) //nolint:gosec // gzip's ISIZE is the length mod 2^32
	_, err := w.Write(trailer[:])
	return err
}

func (e *exposition) logf(format string, args ...any) {
	if e.errorLog != nil {
		e.errorLog.Println(fmt.Sprintf(format, args...))
	}
}

// acceptsGzip reads an Accept-Encoding header: gzip, or *, without q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" && coding != "*" {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(k, "q") {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		return q > 0
	}
	return false
}
