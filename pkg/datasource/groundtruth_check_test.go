package datasource_test

// The comparisons of the ground-truth test: every number of a plugin frame
// against the counts of groundtruth_truth_test.go, grouped here in Go.

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// gtMode is one data source the cases run against.
type gtMode struct {
	name string
	db   string
	raw  bool // the database has no summary view at all
	// globalEnd is the newest download date in the database: the last date
	// with data of every time series when the max/min view exists.
	globalEnd time.Time
	countries map[string][]string
	// projects are the packages with any download at all.
	projects map[string]bool
}

// gtDiffs collects one case's differences, keeping the first few.
type gtDiffs struct {
	list []string
	more int
}

const gtMaxDiffsPerCase = 6

func (d *gtDiffs) add(format string, args ...any) {
	if len(d.list) >= gtMaxDiffsPerCase {
		d.more++
		return
	}
	d.list = append(d.list, fmt.Sprintf(format, args...))
}

func (d *gtDiffs) String() string {
	s := "      - " + strings.Join(d.list, "\n      - ")
	if d.more > 0 {
		s += fmt.Sprintf("\n      (and %d more)", d.more)
	}
	return s
}

// gtStats counts what the checks saw, for the log.
type gtStats struct {
	cases, emptyCases, numbers, series, tieChoices, partial, rawNotices int
	byType                                                              map[string]int
	granularity                                                         map[string]int
}

// ---- granularity and buckets, from the documented rules ----

// gtBucketStart is the first day of d's bucket: the day, its Monday, or the
// first of its month (UTC).
func gtBucketStart(g string, d time.Time) time.Time {
	switch g {
	case "week":
		return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	case "month":
		return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return d
}

func gtNextBucket(g string, b time.Time) time.Time {
	switch g {
	case "week":
		return b.AddDate(0, 0, 7)
	case "month":
		return b.AddDate(0, 1, 0)
	}
	return b.AddDate(0, 0, 1)
}

// gtGranularity resolves auto: the finest of day and week whose width is at
// least the interval and whose bucket count over the range fits
// MaxDataPoints (zero hints do not constrain), else month.
func gtGranularity(c gtCase) string {
	if c.Gran != "auto" && c.Gran != "" {
		return c.Gran
	}
	from, to := gtDay(c.From), gtDay(c.To)
	for _, g := range []string{"day", "week"} {
		width := 24 * time.Hour
		if g == "week" {
			width *= 7
		}
		if c.Interval > width {
			continue
		}
		n := int64(0)
		for b := gtBucketStart(g, from); !b.After(to); b = gtNextBucket(g, b) {
			n++
		}
		if c.MaxDP > 0 && n > c.MaxDP {
			continue
		}
		return g
	}
	return "month"
}

// ---- frame reading ----

func gtInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case uint64:
		return int64(x), true
	case int32:
		return int64(x), true
	case uint32:
		return int64(x), true
	case *int64:
		if x != nil {
			return *x, true
		}
	case *uint64:
		if x != nil {
			return int64(*x), true
		}
	}
	return 0, false
}

func gtFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case *float64:
		if x != nil {
			return *x, true
		}
	}
	return 0, false
}

func gtStr(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case *string:
		if x != nil {
			return *x, true
		}
	}
	return "", false
}

func gtTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x.UTC(), true
	case *time.Time:
		if x != nil {
			return x.UTC(), true
		}
	}
	return time.Time{}, false
}

// gtTable is a table frame read by column name.
type gtTable struct {
	f    *data.Frame
	rows int
}

func (t gtTable) col(name string) *data.Field {
	fl, _ := t.f.FieldByName(name)
	return fl
}

func (t gtTable) names() []string {
	var out []string
	for _, fl := range t.f.Fields {
		out = append(out, fl.Name)
	}
	return out
}

// ints reads an integer column; ok is false (and a diff noted) when the
// column is missing or holds something else.
func (t gtTable) ints(d *gtDiffs, name string) ([]int64, bool) {
	fl := t.col(name)
	if fl == nil {
		d.add("no column %q in %v", name, t.names())
		return nil, false
	}
	out := make([]int64, fl.Len())
	for i := range out {
		n, ok := gtInt(fl.At(i))
		if !ok {
			d.add("column %q row %d holds %T %v, not an integer", name, i, fl.At(i), fl.At(i))
			return nil, false
		}
		out[i] = n
	}
	return out, true
}

func (t gtTable) strs(d *gtDiffs, name string) ([]string, bool) {
	fl := t.col(name)
	if fl == nil {
		d.add("no column %q in %v", name, t.names())
		return nil, false
	}
	out := make([]string, fl.Len())
	for i := range out {
		s, ok := gtStr(fl.At(i))
		if !ok {
			d.add("column %q row %d holds %T, not text", name, i, fl.At(i))
			return nil, false
		}
		out[i] = s
	}
	return out, true
}

// ---- tables read and notices ----

var gtFromRE = regexp.MustCompile(`(?:FROM|JOIN)\s+([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)`)

// gtTablesRead lists the download tables an SQL text reads in db (the
// max/min dates and the countries lookups left out).
func gtTablesRead(sql, db string) []string {
	var out []string
	for _, m := range gtFromRE.FindAllStringSubmatch(sql, -1) {
		if m[1] != db {
			continue
		}
		switch m[2] {
		case "pypi_downloads_max_min", "countries":
			continue
		}
		if !slices.Contains(out, m[2]) {
			out = append(out, m[2])
		}
	}
	sort.Strings(out)
	return out
}

const gtRawNotice = "scanned the raw pypi table"

// checkMeta checks the SQL is there, reads only db's tables, and carries
// the raw-scan notice exactly when it reads the raw table (always, in the
// database without views).
func gtCheckMeta(d *gtDiffs, m gtMode, f *data.Frame, st *gtStats) {
	if f.Meta == nil || f.Meta.ExecutedQueryString == "" {
		d.add("frame has no ExecutedQueryString")
		return
	}
	sql := f.Meta.ExecutedQueryString
	read := gtTablesRead(sql, m.db)
	if len(read) == 0 {
		d.add("SQL reads no download table of %s:\n%s", m.db, sql)
	}
	for _, mm := range gtFromRE.FindAllStringSubmatch(sql, -1) {
		if mm[1] != m.db {
			d.add("SQL reads %s.%s, outside database %s", mm[1], mm[2], m.db)
		}
	}
	raw := slices.Contains(read, "pypi")
	if m.raw && !(raw && len(read) == 1) {
		d.add("database without views, but the SQL reads %v", read)
	}
	notice := false
	for _, n := range f.Meta.Notices {
		if strings.HasPrefix(n.Text, gtRawNotice) {
			notice = true
			if n.Severity != data.NoticeSeverityWarning {
				d.add("raw-scan notice has severity %v, want warning", n.Severity)
			}
		}
	}
	if notice != raw {
		d.add("raw-scan notice present=%v but the SQL reads %v", notice, read)
	}
	if notice {
		st.rawNotices++
	}
}

// ---- top-N choice ----

// gtTopChoice checks a top-limit choice among values with the given
// totals: the plugin may order values of equal count either way, so any
// chosen set is right whose size is min(limit, values) and whose every
// member has at least the count of every value left out. It returns the
// deterministic choice (count descending, then value) when the plugin's
// is not valid, and whether the two differ.
func gtTopChoice(d *gtDiffs, what string, totals map[string]int64, chosen []string, limit int) (set map[string]bool, tie bool) {
	keys := make([]string, 0, len(totals))
	for k := range totals {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if totals[keys[i]] != totals[keys[j]] {
			return totals[keys[i]] > totals[keys[j]]
		}
		return keys[i] < keys[j]
	})
	det := map[string]bool{}
	for _, k := range keys[:min(limit, len(keys))] {
		det[k] = true
	}
	got := map[string]bool{}
	valid := true
	for _, k := range chosen {
		if _, ok := totals[k]; !ok {
			d.add("%s: %q among the top values, but it has no downloads", what, k)
			valid = false
		}
		if got[k] {
			d.add("%s: %q chosen twice", what, k)
			valid = false
		}
		got[k] = true
	}
	if len(got) != len(det) {
		d.add("%s: %d top values %v, want %d (limit %d of %d values)", what, len(got), gtSetList(got), len(det), limit, len(keys))
		valid = false
	}
	if valid {
		minIn, maxOut := int64(math.MaxInt64), int64(-1)
		for k, n := range totals {
			if got[k] {
				minIn = min(minIn, n)
			} else {
				maxOut = max(maxOut, n)
			}
		}
		if maxOut > minIn {
			d.add("%s: top values %v leave out a value with %d downloads while one chosen has %d", what, gtSetList(got), maxOut, minIn)
			valid = false
		}
	}
	if !valid {
		return det, false
	}
	for k := range got {
		if !det[k] {
			tie = true
		}
	}
	return got, tie
}

func gtSetList(s map[string]bool) []string {
	var out []string
	for k := range s {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ---- time series ----

const gtOther = "other"

type gtSeries struct {
	labels data.Labels
	values []int64
	total  int64
	other  bool
	pkg    string
}

func gtCheckTimeSeries(d *gtDiffs, c gtCase, m gtMode, rows []gtRow, f *data.Frame, st *gtStats) {
	g := gtGranularity(c)
	st.granularity[g]++
	start, end := gtDay(c.From), gtDay(c.To)
	var last time.Time
	// A series of packages without a breakdown answers zeros for each
	// package that has downloads at any time (README), so its buckets
	// run to the last date with data as soon as one of them exists; the
	// total, whenever the database has data. With a breakdown, buckets
	// come with rows.
	dim := c.Breakdown
	byPkg := len(c.Packages) > 0
	known := len(rows) > 0
	var missing []string
	for _, p := range c.Packages {
		if !m.projects[p] {
			missing = append(missing, p)
		}
	}
	if dim == "" {
		known = !byPkg || len(missing) < len(c.Packages)
	}
	// With or without the max/min view, the last date with data is the
	// newest date of any package, capped at the range's end.
	last = m.globalEnd
	if last.After(end) {
		last = end
	}
	var buckets []time.Time
	if known {
		for b := gtBucketStart(g, start); !b.After(last); b = gtNextBucket(g, b) {
			buckets = append(buckets, b)
		}
	}
	pos := map[time.Time]int{}
	for i, b := range buckets {
		pos[b] = i
	}

	// The time field.
	if len(f.Fields) == 0 || f.Fields[0].Type() != data.FieldTypeTime || f.Fields[0].Name != "time" {
		d.add("first field is not the time field: %v", gtTable{f: f}.names())
		return
	}
	tf := f.Fields[0]
	if tf.Len() != len(buckets) {
		d.add("%d buckets, want %d (%s granularity, %s .. %s)", tf.Len(), len(buckets), g,
			gtFirst(buckets), gtLastB(buckets))
	}
	for i := 0; i < min(tf.Len(), len(buckets)); i++ {
		tm, _ := gtTime(tf.At(i))
		if !tm.Equal(buckets[i]) {
			d.add("bucket %d is %s, want %s (%s granularity)", i, tm.Format(time.DateOnly), buckets[i].Format(time.DateOnly), g)
			break
		}
	}

	// The series the frame has.
	gotBy := map[string]*data.Field{}
	var gotOrder []string
	for _, fl := range f.Fields[1:] {
		key := fl.Labels.String()
		if _, dup := gotBy[key]; dup {
			d.add("series {%s} twice", key)
		}
		gotBy[key] = fl
		gotOrder = append(gotOrder, key)
		if fl.Type() != data.FieldTypeInt64 && fl.Type() != data.FieldTypeNullableInt64 {
			d.add("series {%s} has type %s, want int64", key, fl.Type())
		}
	}

	// The expected series.
	exp := map[string]*gtSeries{}
	var expOrderPkgs []string
	mk := func(pkg, val string, other bool) *gtSeries {
		l := data.Labels{}
		if byPkg {
			l["package"] = pkg
		}
		if dim != "" {
			l[dim] = val
		}
		k := l.String()
		s := exp[k]
		if s == nil {
			s = &gtSeries{labels: l, values: make([]int64, len(buckets)), other: other, pkg: pkg}
			exp[k] = s
		}
		return s
	}
	chosen := map[string]map[string]bool{} // package ("" when none) -> top values
	if dim == "" {
		if byPkg {
			for _, p := range c.Packages {
				if m.projects[p] {
					mk(p, "", false)
					expOrderPkgs = append(expOrderPkgs, p)
				}
			}
		} else {
			mk("", "", false)
		}
	} else {
		totals := map[string]map[string]int64{}
		for _, r := range rows {
			if totals[r.project] == nil {
				totals[r.project] = map[string]int64{}
			}
			totals[r.project][r.keys[0]] += r.n
		}
		gotChosen := map[string][]string{}
		for _, fl := range f.Fields[1:] {
			if v, ok := fl.Labels[dim]; ok && v != gtOther {
				gotChosen[fl.Labels["package"]] = append(gotChosen[fl.Labels["package"]], v)
			}
		}
		for p, tot := range totals {
			what := "top " + dim
			if p != "" {
				what += " of " + p
			}
			set, tie := gtTopChoice(d, what, tot, gotChosen[p], c.Limit)
			if tie {
				st.tieChoices++
			}
			chosen[p] = set
			for v := range set {
				mk(p, v, false)
			}
		}
	}
	for _, r := range rows {
		var s *gtSeries
		if dim == "" {
			s = mk(r.project, "", false)
		} else if chosen[r.project][r.keys[0]] {
			s = mk(r.project, r.keys[0], false)
		} else {
			s = mk(r.project, gtOther, true)
		}
		s.total += r.n
		if !r.date.After(last) {
			if i, ok := pos[gtBucketStart(g, r.date)]; ok {
				s.values[i] += r.n
			} else {
				d.add("row dated %s falls in no bucket", r.date.Format(time.DateOnly))
			}
		} else {
			d.add("ground truth has a row dated %s, after the last date with data %s", r.date.Format(time.DateOnly), last.Format(time.DateOnly))
		}
	}

	// Series set and every bucket of every series.
	for k, s := range exp {
		fl, ok := gotBy[k]
		if !ok {
			d.add("missing series {%s} (total %d)", k, s.total)
			continue
		}
		st.series++
		if fl.Len() != len(s.values) {
			d.add("series {%s} has %d values, want %d", k, fl.Len(), len(s.values))
			continue
		}
		for i, want := range s.values {
			st.numbers++
			got, ok := gtInt(fl.At(i))
			if !ok || got != want {
				d.add("series {%s} bucket %s = %v, want %d", k, buckets[i].Format(time.DateOnly), fl.At(i), want)
				break
			}
		}
		wantName := gtDisplayName(c, s.labels)
		if fl.Config == nil || fl.Config.DisplayNameFromDS != wantName {
			got := ""
			if fl.Config != nil {
				got = fl.Config.DisplayNameFromDS
			}
			d.add("series {%s} display name %q, want %q", k, got, wantName)
		}
	}
	for _, k := range gotOrder {
		if _, ok := exp[k]; !ok {
			d.add("extra series {%s}", k)
		}
	}

	// Order: packages as listed; within one, "other" last, the rest by
	// downloads (ties either way).
	if len(gotOrder) == len(exp) {
		var prev *gtSeries
		for _, k := range gotOrder {
			s := exp[k]
			if s == nil {
				break
			}
			if prev != nil {
				pi, si := slices.Index(c.Packages, prev.pkg), slices.Index(c.Packages, s.pkg)
				switch {
				case pi > si:
					d.add("series order: {%s} after {%s}", k, prev.labels.String())
				case pi == si && prev.other:
					d.add("series order: {%s} after the other series {%s}", k, prev.labels.String())
				case pi == si && !s.other && dim != "" && s.total > prev.total:
					d.add("series order: {%s} (%d) after {%s} (%d)", k, s.total, prev.labels.String(), prev.total)
				}
			}
			prev = s
		}
	}

	// A package without any download is named in a notice.
	named := ""
	if f.Meta != nil {
		for _, n := range f.Meta.Notices {
			if strings.HasPrefix(n.Text, "no downloads of") {
				named = n.Text
			}
		}
	}
	for _, p := range c.Packages {
		if want := !m.projects[p]; want != strings.Contains(named, fmt.Sprintf("%q", p)) {
			d.add("missing-package notice %q: naming %s is %v, want %v", named, p, !want, want)
		}
	}

	// Notices: a partial last bucket is announced, nothing else is.
	partial := false
	if n := len(buckets); n > 0 && g != "day" {
		partial = gtNextBucket(g, buckets[n-1]).AddDate(0, 0, -1).After(last)
	}
	var notes []string
	if f.Meta != nil {
		for _, n := range f.Meta.Notices {
			if strings.HasPrefix(n.Text, "partial bucket") {
				notes = append(notes, n.Text)
				if n.Severity != data.NoticeSeverityInfo {
					d.add("partial-bucket notice has severity %v", n.Severity)
				}
			}
		}
	}
	switch {
	case partial && len(notes) != 1:
		d.add("%d partial-bucket notices %q, want one for the %s starting %s (data up to %s)",
			len(notes), notes, g, buckets[len(buckets)-1].Format(time.DateOnly), last.Format(time.DateOnly))
	case partial:
		st.partial++
		if !strings.Contains(notes[0], buckets[len(buckets)-1].Format(time.DateOnly)) || !strings.Contains(notes[0], last.Format(time.DateOnly)) {
			d.add("partial-bucket notice %q does not name bucket %s and last date %s", notes[0],
				buckets[len(buckets)-1].Format(time.DateOnly), last.Format(time.DateOnly))
		}
	case len(notes) > 0:
		d.add("partial-bucket notice %q, but the last bucket is whole", notes)
	}
}

func gtFirst(b []time.Time) string {
	if len(b) == 0 {
		return "-"
	}
	return b[0].Format(time.DateOnly)
}

func gtLastB(b []time.Time) string {
	if len(b) == 0 {
		return "-"
	}
	return b[len(b)-1].Format(time.DateOnly)
}

// gtDisplayName is "package value" with empty values as "(none)", or
// "downloads" for an unlabelled series.
func gtDisplayName(c gtCase, l data.Labels) string {
	var parts []string
	if len(c.Packages) > 0 {
		parts = append(parts, l["package"])
	}
	if c.Breakdown != "" {
		parts = append(parts, l[c.Breakdown])
	}
	for i, p := range parts {
		if p == "" {
			parts[i] = "(none)"
		}
	}
	if len(parts) == 0 {
		return "downloads"
	}
	return strings.Join(parts, " ")
}

// ---- tables ----

func gtExpectColumns(d *gtDiffs, t gtTable, want []string) bool {
	if t.rows == 0 {
		return false
	}
	got := t.names()
	if !slices.Equal(got, want) {
		d.add("columns %v, want %v", got, want)
		return false
	}
	return true
}

// checkBreakdown: the top values by downloads, then "other", each with its
// share of all downloads; country names for countries.
func gtCheckBreakdown(d *gtDiffs, c gtCase, m gtMode, rows []gtRow, f *data.Frame, st *gtStats) {
	t := gtTable{f: f}
	t.rows, _ = f.RowLen()
	dims := c.truthKeys()
	totals := map[string]int64{}
	var all int64
	for _, r := range rows {
		totals[strings.Join(r.keys, "\x00")] += r.n
		all += r.n
	}
	if all == 0 {
		if t.rows != 0 {
			d.add("%d rows, want none", t.rows)
		}
		return
	}
	cols := append([]string{}, dims...)
	if c.Dimension == "country_code" {
		cols = append(cols, "country")
	}
	cols = append(cols, "downloads", "share")
	if !gtExpectColumns(d, t, cols) {
		if t.rows == 0 {
			d.add("no rows, want %d values totalling %d", len(totals), all)
		}
		return
	}
	keyCols := make([][]string, len(dims))
	for i, dm := range dims {
		var ok bool
		if keyCols[i], ok = t.strs(d, dm); !ok {
			return
		}
	}
	n, ok1 := t.ints(d, "downloads")
	share := t.col("share")
	if !ok1 {
		return
	}
	var names []string
	if c.Dimension == "country_code" {
		var ok bool
		if names, ok = t.strs(d, "country"); !ok {
			return
		}
	}
	key := func(i int) string {
		var parts []string
		for _, kc := range keyCols {
			parts = append(parts, kc[i])
		}
		return strings.Join(parts, "\x00")
	}
	otherKey := strings.Repeat(gtOther+"\x00", len(dims))
	otherKey = otherKey[:len(otherKey)-1]
	var gotChosen []string
	for i := range t.rows {
		if k := key(i); k != otherKey {
			gotChosen = append(gotChosen, k)
		}
	}
	set, tie := gtTopChoice(d, "top "+c.Dimension, totals, gotChosen, c.Limit)
	if tie {
		st.tieChoices++
	}
	var rest int64
	for k, v := range totals {
		if !set[k] {
			rest += v
		}
	}
	wantRows := len(set)
	if rest > 0 {
		wantRows++
	}
	if t.rows != wantRows {
		d.add("%d rows, want %d (%d top values + other=%d)", t.rows, wantRows, len(set), rest)
	}
	prev := int64(math.MaxInt64)
	for i := range t.rows {
		k := key(i)
		var want int64
		isOther := k == otherKey
		if isOther {
			want = rest
			if i != t.rows-1 {
				d.add("row %d is other, but not the last row", i)
			}
		} else {
			want = totals[k]
			if want > prev {
				d.add("row %d (%q, %d) ranks after a row with %d", i, k, want, prev)
			}
			prev = want
		}
		st.numbers += 2
		if n[i] != want {
			d.add("row %q downloads %d, want %d", strings.ReplaceAll(k, "\x00", "/"), n[i], want)
		}
		sh, ok := gtFloat(share.At(i))
		wantShare := float64(want) / float64(all)
		if !ok || math.Abs(sh-wantShare) > 1e-12*math.Max(1, wantShare) {
			d.add("row %q share %v, want %v", strings.ReplaceAll(k, "\x00", "/"), share.At(i), wantShare)
		}
		if names != nil {
			code := keyCols[0][i]
			okName := false
			if cands, known := m.countries[code]; known && !isOther {
				okName = slices.Contains(cands, names[i])
			} else {
				okName = names[i] == code
			}
			if !okName {
				d.add("country %q named %q, want one of %q", code, names[i], m.countries[code])
			}
		}
	}
	if share != nil && share.Config != nil && share.Config.Unit != "percentunit" {
		d.add("share unit %q, want percentunit", share.Config.Unit)
	}
}

// checkSummary: per package with downloads in the range, in the query's
// order: its last date, that day, the 7 and 30 days ending it, the range.
func gtCheckSummary(d *gtDiffs, c gtCase, rows []gtRow, f *data.Frame, st *gtStats) {
	type sum struct {
		last                time.Time
		day, d7, d30, total int64
		byDay               map[time.Time]int64
	}
	per := map[string]*sum{}
	for _, r := range rows {
		s := per[r.project]
		if s == nil {
			s = &sum{byDay: map[time.Time]int64{}}
			per[r.project] = s
		}
		s.byDay[r.date] += r.n
		if r.date.After(s.last) {
			s.last = r.date
		}
	}
	var want []string
	for _, p := range c.Packages {
		s := per[p]
		if s == nil {
			continue
		}
		want = append(want, p)
		for day, n := range s.byDay {
			age := int(s.last.Sub(day).Hours() / 24)
			s.total += n
			if age == 0 {
				s.day += n
			}
			if age < 7 {
				s.d7 += n
			}
			if age < 30 {
				s.d30 += n
			}
		}
	}
	t := gtTable{f: f}
	t.rows, _ = f.RowLen()
	if len(want) == 0 {
		if t.rows != 0 {
			d.add("%d rows, want none", t.rows)
		}
		return
	}
	if !gtExpectColumns(d, t, []string{"package", "last_date", "last_day", "last_7_days", "last_30_days", "total"}) {
		if t.rows == 0 {
			d.add("no rows, want %v", want)
		}
		return
	}
	pk, ok := t.strs(d, "package")
	if !ok {
		return
	}
	if !slices.Equal(pk, want) {
		d.add("packages %v, want %v", pk, want)
		return
	}
	lastCol := t.col("last_date")
	for i, p := range pk {
		s := per[p]
		lt, ok := gtTime(lastCol.At(i))
		st.numbers++
		if !ok || !lt.Equal(s.last) {
			d.add("%s last_date %v, want %s", p, lastCol.At(i), s.last.Format(time.DateOnly))
		}
	}
	for _, col := range []struct {
		name string
		get  func(*sum) int64
	}{
		{"last_day", func(s *sum) int64 { return s.day }},
		{"last_7_days", func(s *sum) int64 { return s.d7 }},
		{"last_30_days", func(s *sum) int64 { return s.d30 }},
		{"total", func(s *sum) int64 { return s.total }},
	} {
		vals, ok := t.ints(d, col.name)
		if !ok {
			continue
		}
		for i, p := range pk {
			st.numbers++
			if w := col.get(per[p]); vals[i] != w {
				d.add("%s %s = %d, want %d", p, col.name, vals[i], w)
			}
		}
	}
}

// checkTopPackages: the most downloaded packages, most first; a versions
// filter, which top_packages does not apply, is named in a notice.
func gtCheckTopPackages(d *gtDiffs, c gtCase, rows []gtRow, f *data.Frame, st *gtStats) {
	ignored := false
	if f.Meta != nil {
		for _, n := range f.Meta.Notices {
			ignored = ignored || strings.Contains(n.Text, "ignores the versions filter")
		}
	}
	if ignored != (len(c.F.Versions) > 0) {
		d.add("ignored-versions notice present=%v with versions %q", ignored, c.F.Versions)
	}
	totals := map[string]int64{}
	for _, r := range rows {
		totals[r.project] += r.n
	}
	t := gtTable{f: f}
	t.rows, _ = f.RowLen()
	if len(totals) == 0 {
		if t.rows != 0 {
			d.add("%d rows, want none", t.rows)
		}
		return
	}
	if !gtExpectColumns(d, t, []string{"package", "downloads"}) {
		if t.rows == 0 {
			d.add("no rows, want %d packages", min(c.Limit, len(totals)))
		}
		return
	}
	pk, ok1 := t.strs(d, "package")
	n, ok2 := t.ints(d, "downloads")
	if !ok1 || !ok2 {
		return
	}
	if _, tie := gtTopChoice(d, "top packages", totals, pk, c.Limit); tie {
		st.tieChoices++
	}
	prev := int64(math.MaxInt64)
	for i, p := range pk {
		st.numbers++
		if n[i] != totals[p] {
			d.add("%s downloads %d, want %d", p, n[i], totals[p])
		}
		if n[i] > prev {
			d.add("%s (%d) ranks after a package with %d", p, n[i], prev)
		}
		prev = n[i]
	}
}

// checkTotals: all downloads and the packages having some.
func gtCheckTotals(d *gtDiffs, rows []gtRow, f *data.Frame, st *gtStats) {
	var all int64
	pk := map[string]bool{}
	for _, r := range rows {
		all += r.n
		pk[r.project] = true
	}
	t := gtTable{f: f}
	t.rows, _ = f.RowLen()
	if t.rows != 1 {
		d.add("%d rows, want 1", t.rows)
		return
	}
	if !gtExpectColumns(d, t, []string{"downloads", "packages"}) {
		return
	}
	n, ok1 := t.ints(d, "downloads")
	p, ok2 := t.ints(d, "packages")
	st.numbers += 2
	if ok1 && n[0] != all {
		d.add("downloads %d, want %d", n[0], all)
	}
	if ok2 && p[0] != int64(len(pk)) {
		d.add("packages %d, want %d", p[0], len(pk))
	}
}
