package schema

// Column is one column of a table, with its ClickHouse type.
type Column struct {
	Name string
	Type string
}

// Names of the tables outside the summary family.
const (
	RawTable       = "pypi"
	ProjectsTable  = "projects"
	CountriesTable = "countries"
	CountriesDict  = "countries_dict"
	LastUpdateDict = "last_updated_dict"
	CountColumn    = "count"
)

// rawColumns is ClickPy's raw table: one row per download.
func rawColumns() []Column {
	return []Column{
		{"date", "Date"},
		{"country_code", "LowCardinality(String)"},
		{"project", "String"},
		{"type", "LowCardinality(String)"},
		{"installer", "LowCardinality(String)"},
		{"python_minor", "LowCardinality(String)"},
		{"system", "LowCardinality(String)"},
		{"version", "String"},
	}
}

// RawColumns lists the raw table's columns, which are also the only
// dimensions a summary can group by.
func RawColumns() []Column { return rawColumns() }

// rawOrderBy is the raw table's sorting key, as in ClickPy.
func rawOrderBy() []string {
	return []string{"project", "date", "version", "country_code", "python_minor", "system"}
}

// projectsColumns is PyPI's distribution metadata, one row per uploaded file
// version, as ClickPy loads it.
func projectsColumns() []Column {
	cols := []Column{}
	str := func(names ...string) {
		for _, n := range names {
			cols = append(cols, Column{n, "String"})
		}
	}
	arr := func(names ...string) {
		for _, n := range names {
			cols = append(cols, Column{n, "Array(String)"})
		}
	}
	str("metadata_version", "name", "version", "summary", "description", "description_content_type",
		"author", "author_email", "maintainer", "maintainer_email", "license", "keywords")
	arr("classifiers", "platform")
	str("home_page", "download_url", "requires_python")
	arr("requires", "provides", "obsoletes", "requires_dist", "provides_dist", "obsoletes_dist",
		"requires_external", "project_urls")
	str("uploaded_via")
	cols = append(cols, Column{"upload_time", "DateTime64"})
	str("filename")
	cols = append(cols, Column{"size", "Int64"})
	str("path", "python_version", "packagetype", "comment_text")
	cols = append(cols, Column{"has_signature", "Bool"})
	str("md5_digest", "sha256_digest", "blake2_256_digest")
	return cols
}

// ProjectsColumns lists the projects table's columns in DDL order.
func ProjectsColumns() []Column { return projectsColumns() }

func countriesColumns() []Column {
	return []Column{{"name", "String"}, {"code", "String"}}
}
