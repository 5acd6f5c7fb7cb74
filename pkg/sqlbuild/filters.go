package sqlbuild

import "github.com/clickpy/clickpy-grafana/pkg/querymodel"

// filterSet says which of the query's filters a count applies besides the
// dimension filters, which apply to every download count. Packages and
// versions apply only where they narrow the subject rather than redefine it:
// a ranking among all packages must not be limited to the ranked one.
type filterSet struct {
	packages bool
	versions bool
}

// dimFilter is one dimension filter: the column, its parameter's name and
// the values.
type dimFilter struct {
	col  string
	name string
	vals []string
}

func (b *builder) dimFilters() []dimFilter {
	return []dimFilter{
		{"country_code", "countries", b.q.Countries},
		{"installer", "installers", b.q.Installers},
		{"python_minor", "python_minors", b.q.PythonMinors},
		{"system", "systems", b.q.Systems},
		{"type", "types", b.q.Types},
	}
}

// need lists the raw columns a download count over the range with these
// filters reads (date first, unless the range covers all the count could
// read), plus extra, in a stable order.
func (b *builder) need(f filterSet, extra ...string) []string {
	covered, _ := b.covers(f)
	return b.needCols(f, !covered, extra...)
}

// needDated is need for a count that groups or bounds by date whatever the
// range.
func (b *builder) needDated(f filterSet, extra ...string) []string {
	return b.needCols(f, true, extra...)
}

func (b *builder) needCols(f filterSet, dated bool, extra ...string) []string {
	var cols []string
	add := func(c string) {
		for _, have := range cols {
			if have == c {
				return
			}
		}
		cols = append(cols, c)
	}
	if dated {
		add("date")
	}
	if f.packages && len(b.q.Packages) > 0 {
		add("project")
	}
	if f.versions && len(b.q.Versions) > 0 {
		add("version")
	}
	for _, d := range b.dimFilters() {
		if len(d.vals) > 0 {
			add(d.col)
		}
	}
	if b.q.ExcludeMirrors {
		add("installer")
	}
	for _, c := range extra {
		add(c)
	}
	return cols
}

// conds returns the WHERE conditions for the date range (when dated) and
// the filters. A count over an undated table has no date to bound: it is
// only chosen when the range covers all the count could read.
func (b *builder) conds(f filterSet, dated bool) []string {
	var out []string
	if dated {
		out = append(out, "date >= "+b.p.date("from", b.from), "date <= "+b.p.date("to", b.to))
	}
	if f.packages && len(b.q.Packages) > 0 {
		out = append(out, "project IN "+b.p.strs("packages", b.q.Packages))
	}
	if f.versions && len(b.q.Versions) > 0 {
		out = append(out, "version IN "+b.p.strs("versions", b.q.Versions))
	}
	for _, d := range b.dimFilters() {
		if len(d.vals) > 0 {
			out = append(out, d.col+" IN "+b.p.strs(d.name, d.vals))
		}
	}
	if b.q.ExcludeMirrors {
		out = append(out, "installer NOT IN "+b.p.strs("mirrors", querymodel.MirrorInstallers()))
	}
	return out
}

// narrowed reports whether the query filters on anything but packages.
func (b *builder) narrowed() bool { return narrowed(b.q) }

func narrowed(q querymodel.Query) bool {
	if len(q.Versions) > 0 || q.ExcludeMirrors {
		return true
	}
	for _, vals := range [][]string{q.Countries, q.Installers, q.PythonMinors, q.Systems, q.Types} {
		if len(vals) > 0 {
			return true
		}
	}
	return false
}
