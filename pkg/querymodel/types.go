package querymodel

// Type is a query's queryType.
type Type string

// The query types; README documents each one's frame shape.
const (
	TimeSeries     Type = "timeseries"
	Breakdown      Type = "breakdown"
	Summary        Type = "summary"
	Ranking        Type = "ranking"
	TopPackages    Type = "top_packages"
	Totals         Type = "totals"
	Emerging       Type = "emerging"
	NeedingRefresh Type = "needing_refresh"
	Hot            Type = "hot"
	RecentReleases Type = "recent_releases"
	Releases       Type = "releases"
	Dependencies   Type = "dependencies"
	Dependents     Type = "dependents"
	Details        Type = "details"
	// GitHub activity of a package's repository.
	GitHubStats     Type = "github_stats"
	GitHubStars     Type = "github_stars"
	TopContributors Type = "top_contributors"
	SQL             Type = "sql"
	VariableQuery   Type = "variable"
	Baseline        Type = "baseline"
	Adoption        Type = "adoption"
	PythonSupport   Type = "python_support"
	defaultType          = TimeSeries
)

// Types lists every query type in documentation order.
func Types() []Type {
	return []Type{TimeSeries, Breakdown, Summary, Ranking, TopPackages, Totals, Emerging,
		NeedingRefresh, Hot, RecentReleases, Releases, Dependencies, Dependents, Details,
		GitHubStats, GitHubStars, TopContributors, SQL, VariableQuery, Baseline, Adoption, PythonSupport}
}

// Dimension is a raw-table column a query can break down or filter by.
type Dimension string

// Dimensions of the raw pypi table.
const (
	Version     Dimension = "version"
	PythonMinor Dimension = "python_minor"
	System      Dimension = "system"
	Country     Dimension = "country_code"
	Installer   Dimension = "installer"
	FileType    Dimension = "type"
	// InstallerType is installer and file type together, the pair ClickPy's
	// installer-by-type view holds; allowed for breakdown queries only.
	InstallerType Dimension = "installer_type"
)

// Dimensions lists the single-column dimensions.
func Dimensions() []Dimension {
	return []Dimension{Version, PythonMinor, System, Country, Installer, FileType}
}

// Granularity is the width of a time series bucket.
type Granularity string

// Granularities; Auto picks one from the request's interval and MaxDataPoints.
const (
	Auto  Granularity = "auto"
	Day   Granularity = "day"
	Week  Granularity = "week"
	Month Granularity = "month"
)

// MirrorInstallers are the installers excludeMirrors drops: they copy
// PyPI wholesale and say nothing about adoption.
func MirrorInstallers() []string {
	return []string{"bandersnatch", "z3c.pypimirror", "Artifactory", "devpi"}
}

// VariableKind is what a variable query lists.
type VariableKind string

// Variable query kinds, the same lists the resources serve.
const (
	VarPackages   VariableKind = "packages"
	VarVersions   VariableKind = "versions"
	VarCountries  VariableKind = "countries"
	VarDimension  VariableKind = "dimension"
	VarTopPackage VariableKind = "top_packages"
	// VarHot lists the hot query's packages: the top risers.
	VarHot VariableKind = "hot"
	// VarDependents lists the dependents query's packages: those whose
	// latest release requires the one package, most downloaded first.
	VarDependents VariableKind = "dependents"
)

// DefaultDependentsLimit is a dependents variable's limit when the query
// sets none: a handful of lines is what one chart against the package
// stays readable with, where the other kinds' default of DefaultLimit
// would crowd it.
const DefaultDependentsLimit = 5

// VariableKinds are the kinds a variable query may list, in the order
// refusals name them.
func VariableKinds() []VariableKind {
	return []VariableKind{VarPackages, VarTopPackage, VarHot, VarVersions, VarDependents, VarCountries, VarDimension}
}
