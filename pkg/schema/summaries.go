package schema

// Kind tells how a summary table aggregates.
type Kind int

const (
	// Sum tables hold a count column summed by SummingMergeTree.
	Sum Kind = iota
	// MaxMin holds each project's first and last download date.
	MaxMin
)

// Summary is one of ClickPy's summary tables and the materialized view that
// fills it from the raw table.
type Summary struct {
	Table string
	View  string
	Kind  Kind
	// Columns are the table's columns in DDL order, count last for Sum.
	Columns []Column
	// Dimensions are the raw-table columns the view groups by; for
	// pypi_downloads_per_month the month is derived from date.
	Dimensions []string
	OrderBy    []string
	// PublishedOrderBy is ClickPy's own sorting key where it differs from
	// OrderBy (Options.PublishedKeys writes it).
	PublishedOrderBy []string
	// Where restricts which raw rows reach the view (ClickPy keeps only
	// recent months in pypi_downloads_per_month); empty means all rows.
	Where string
}

// Summary table names, as ClickPy publishes them.
const (
	Downloads                           = "pypi_downloads"
	DownloadsByVersion                  = "pypi_downloads_by_version"
	PerDay                              = "pypi_downloads_per_day"
	PerDayByVersion                     = "pypi_downloads_per_day_by_version"
	PerDayByVersionByCountry            = "pypi_downloads_per_day_by_version_by_country"
	PerDayByVersionByFileType           = "pypi_downloads_per_day_by_version_by_file_type"
	PerDayByVersionByPython             = "pypi_downloads_per_day_by_version_by_python"
	PerDayByVersionByPythonByCountry    = "pypi_downloads_per_day_by_version_by_python_by_country"
	PerDayByVersionBySystem             = "pypi_downloads_per_day_by_version_by_system"
	PerDayByVersionBySystemByCountry    = "pypi_downloads_per_day_by_version_by_system_by_country"
	PerDayByVersionByInstallerByType    = "pypi_downloads_per_day_by_version_by_installer_by_type"
	PerDayByVersionByInstallerByTypeCty = "pypi_downloads_per_day_by_version_by_installer_by_type_by_country"
	MaxMinDates                         = "pypi_downloads_max_min"
	PerMonth                            = "pypi_downloads_per_month"
)

// PerMonthWhere is ClickPy's filter on pypi_downloads_per_month: only rows
// after the start of the month six months before the insert reach it.
const PerMonthWhere = "date > (toStartOfMonth(now()) - toIntervalMonth(6))"

// Summaries returns ClickPy's fourteen summary tables.
func Summaries() []Summary {
	str := "String"
	lc := "LowCardinality(String)"
	sum := func(table string, cols []Column, orderBy ...string) Summary {
		dims := make([]string, len(cols))
		for i, c := range cols {
			dims[i] = c.Name
		}
		return Summary{
			Table:      table,
			View:       table + "_mv",
			Kind:       Sum,
			Columns:    append(cols, Column{CountColumn, "Int64"}),
			Dimensions: dims,
			OrderBy:    orderBy,
		}
	}
	date := Column{"date", "Date"}
	project := Column{"project", str}
	version := Column{"version", str}
	out := []Summary{
		sum(Downloads, []Column{project}, "project"),
		sum(DownloadsByVersion, []Column{project, version}, "project", "version"),
		sum(PerDay, []Column{date, project}, "project", "date"),
		sum(PerDayByVersion, []Column{date, project, version}, "project", "version", "date"),
		sum(PerDayByVersionByCountry, []Column{date, project, version, {"country_code", str}},
			"project", "version", "date", "country_code"),
		sum(PerDayByVersionByFileType, []Column{date, project, version, {"type", lc}},
			"project", "version", "date", "type"),
		sum(PerDayByVersionByPython, []Column{date, project, version, {"python_minor", str}},
			"project", "version", "date", "python_minor"),
		sum(PerDayByVersionByPythonByCountry, []Column{date, project, version, {"python_minor", str}, {"country_code", lc}},
			"project", "version", "date", "country_code", "python_minor"),
		sum(PerDayByVersionBySystem, []Column{date, project, version, {"system", str}},
			"project", "version", "date", "system"),
		sum(PerDayByVersionBySystemByCountry, []Column{date, project, version, {"system", str}, {"country_code", str}},
			"project", "version", "date", "country_code", "system"),
		installerByType(sum(PerDayByVersionByInstallerByType, []Column{project, version, date, {"installer", str}, {"type", lc}},
			"project", "version", "date", "installer", "type")),
		sum(PerDayByVersionByInstallerByTypeCty, []Column{project, version, date, {"installer", str}, {"type", lc}, {"country_code", lc}},
			"project", "version", "date", "country_code", "installer", "type"),
		{
			Table: MaxMinDates,
			View:  MaxMinDates + "_mv",
			Kind:  MaxMin,
			Columns: []Column{
				project,
				{"max_date", "SimpleAggregateFunction(max, Date)"},
				{"min_date", "SimpleAggregateFunction(min, Date)"},
			},
			Dimensions: []string{"project"},
			OrderBy:    []string{"project"},
		},
	}
	month := sum(PerMonth, []Column{{"month", "Date"}, project}, "month", "project")
	month.Dimensions = []string{"date", "project"}
	month.Where = PerMonthWhere
	return append(out, month)
}

// installerByType records ClickPy's published key for its installer-by-type
// table: (project, version, date, installer), without type, so
// SummingMergeTree merges rows of different file types and keeps one type
// arbitrarily. Type is part of the key here so its counts stay exact.
func installerByType(s Summary) Summary {
	s.PublishedOrderBy = []string{"project", "version", "date", "installer"}
	return s
}
