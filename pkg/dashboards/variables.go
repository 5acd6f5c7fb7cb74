package dashboards

import (
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// Template variable names; panels refer to them as $name.
const (
	VarPackage   = "package"
	VarVersion   = "version"
	VarCountry   = "country"
	VarType      = "type"
	VarInstaller = "installer"
	VarPackages  = "packages"
)

// allValue is Grafana's value for a variable set to All.
const allValue = "$__all"

// packageListLimit bounds the package variables' options: the most
// downloaded packages. Any other package can still be typed in, and links
// from other dashboards pass it in the URL.
const packageListLimit = 1000

// defaultPackage is the package a dashboard opens on: popular on PyPI and
// in the sample sets alike.
const defaultPackage = "requests"

// defaultComparison is what Compare opens with.
func defaultComparison() []string { return []string{"requests", "urllib3", "numpy", "pandas"} }

func ref(name string) string { return "$" + name }

// variableQuery is a variable's stored query: the query model with type
// variable, as the plugin's variable editor writes it.
func variableQuery(m querymodel.Query) (dashboard.StringOrMap, error) {
	m.Type = querymodel.VariableQuery
	q := Query{RefID: "variable", Query: m}
	// Checked as panel targets are: the backend must take it.
	if err := q.Validate(); err != nil {
		return dashboard.StringOrMap{}, fmt.Errorf("variable query: %w", err)
	}
	out, err := modelMap(q)
	if err != nil {
		return dashboard.StringOrMap{}, fmt.Errorf("variable query: %w", err)
	}
	return dashboard.StringOrMap{Map: out}, nil
}

func single(v string) dashboard.VariableOption {
	return dashboard.VariableOption{
		Text:  dashboard.StringOrArrayOfString{String: cog.ToPtr(v)},
		Value: dashboard.StringOrArrayOfString{String: cog.ToPtr(v)},
	}
}

func several(vs []string) dashboard.VariableOption {
	return dashboard.VariableOption{
		Text:  dashboard.StringOrArrayOfString{ArrayOfString: vs},
		Value: dashboard.StringOrArrayOfString{ArrayOfString: vs},
	}
}

func all() dashboard.VariableOption {
	return dashboard.VariableOption{
		Text:  dashboard.StringOrArrayOfString{ArrayOfString: []string{"All"}},
		Value: dashboard.StringOrArrayOfString{ArrayOfString: []string{allValue}},
	}
}

// queryVariable is a variable whose options come from the data source.
func queryVariable(name, label, definition string, m querymodel.Query) (*dashboard.QueryVariableBuilder, error) {
	q, err := variableQuery(m)
	if err != nil {
		return nil, fmt.Errorf("variable %s: %w", name, err)
	}
	return dashboard.NewQueryVariableBuilder(name).
		Label(label).
		Query(q).
		Definition(definition).
		Datasource(dataSource()).
		Refresh(dashboard.VariableRefreshOnDashboardLoad).
		Sort(dashboard.VariableSortDisabled), nil
}

// packageListVariable lists packages, most downloaded first, and takes any
// name typed in.
func packageListVariable(name, label string) (*dashboard.QueryVariableBuilder, error) {
	v, err := queryVariable(name, label, "packages, most downloaded first",
		querymodel.Query{Variable: querymodel.VarPackages, Limit: packageListLimit})
	if err != nil {
		return nil, err
	}
	return v.AllowCustomValue(true), nil
}

// packageVariable is the one package a dashboard shows.
func packageVariable() (*dashboard.QueryVariableBuilder, error) {
	v, err := packageListVariable(VarPackage, "Package")
	if err != nil {
		return nil, err
	}
	return v.Description("The package to show; type any PyPI name.").
		Current(single(defaultPackage)), nil
}

// packagesVariable holds the packages Compare compares. No All: every
// package at once is no comparison, and the backend takes at most
// querymodel.MaxPackages.
func packagesVariable() (*dashboard.QueryVariableBuilder, error) {
	v, err := packageListVariable(VarPackages, "Packages")
	if err != nil {
		return nil, err
	}
	return v.Description(fmt.Sprintf("Up to %d packages to compare.", querymodel.MaxPackages)).
		Multi(true).
		Current(several(defaultComparison())), nil
}

// filterVariable is a multi-value filter of the package dashboard; All
// means no filter, which lets the backend read a smaller summary table.
func filterVariable(name, label, definition string, m querymodel.Query, refresh dashboard.VariableRefresh) (*dashboard.QueryVariableBuilder, error) {
	v, err := queryVariable(name, label, definition, m)
	if err != nil {
		return nil, err
	}
	return v.Multi(true).
		IncludeAll(true).
		Current(all()).
		Refresh(refresh), nil
}

// packageFilterVariables are $version, $country, $type and $installer.
// Versions and dimension values are the package's own; dimension values
// are those of the time range, so they refresh with it.
func packageFilterVariables() ([]cog.Builder[dashboard.VariableModel], error) {
	pkg := []string{ref(VarPackage)}
	specs := []struct {
		name, label, definition string
		m                       querymodel.Query
		refresh                 dashboard.VariableRefresh
	}{
		{VarVersion, "Version", "versions of $package, newest first",
			querymodel.Query{Variable: querymodel.VarVersions, Filters: querymodel.Filters{Packages: pkg}, Limit: querymodel.MaxLimit},
			dashboard.VariableRefreshOnDashboardLoad},
		{VarCountry, "Country", "countries",
			querymodel.Query{Variable: querymodel.VarCountries, Limit: querymodel.MaxLimit},
			dashboard.VariableRefreshOnDashboardLoad},
		{VarType, "File type", "file types of $package in the range",
			querymodel.Query{Variable: querymodel.VarDimension, Dimension: querymodel.FileType, Filters: querymodel.Filters{Packages: pkg}, Limit: 100},
			dashboard.VariableRefreshOnTimeRangeChanged},
		{VarInstaller, "Installer", "installers of $package in the range",
			querymodel.Query{Variable: querymodel.VarDimension, Dimension: querymodel.Installer, Filters: querymodel.Filters{Packages: pkg}, Limit: 100},
			dashboard.VariableRefreshOnTimeRangeChanged},
	}
	out := make([]cog.Builder[dashboard.VariableModel], 0, len(specs))
	for _, s := range specs {
		v, err := filterVariable(s.name, s.label, s.definition, s.m, s.refresh)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// packageFilters are the package dashboard's filters as a query's lists.
func packageFilters(withVersions bool) querymodel.Filters {
	f := querymodel.Filters{
		Packages:   []string{ref(VarPackage)},
		Countries:  []string{ref(VarCountry)},
		Types:      []string{ref(VarType)},
		Installers: []string{ref(VarInstaller)},
	}
	if withVersions {
		f.Versions = []string{ref(VarVersion)}
	}
	return f
}
