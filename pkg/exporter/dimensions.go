package exporter

import (
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// Dimension is a raw-table column a breakdown groups by; its name is also
// the label name of the breakdown's series.
type Dimension string

// The dimensions a breakdown may publish.
const (
	Version     Dimension = "version"
	CountryCode Dimension = "country_code"
	PythonMinor Dimension = "python_minor"
	Installer   Dimension = "installer"
	System      Dimension = "system"
	FileType    Dimension = "type"
)

// Dimensions lists them in the order breakdowns are queried and published.
func Dimensions() []Dimension {
	return []Dimension{Version, CountryCode, PythonMinor, Installer, System, FileType}
}

func (d Dimension) valid() bool {
	for _, x := range Dimensions() {
		if d == x {
			return true
		}
	}
	return false
}

func dimensionList() string {
	s := make([]string, 0, len(Dimensions()))
	for _, d := range Dimensions() {
		s = append(s, string(d))
	}
	return strings.Join(s, ", ")
}

// unknownValue stands for an empty dimension value (ClickPy records no
// Python version or system for some clients): Prometheus treats an empty
// label as a missing one, which would make such series look unlabelled.
const unknownValue = "unknown"

// mirrorInstallers are the installers excludeMirrors drops; the plugin's
// list, so both tools agree on what a mirror is.
func mirrorInstallers() []string { return querymodel.MirrorInstallers() }
