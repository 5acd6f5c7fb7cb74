package exporter

import (
	"slices"
	"strings"

	"github.com/clickpy/clickpy-grafana/pkg/querymodel"
)

// Dimension is a raw-table column a breakdown groups by, the data
// source's own; its name is also the label name of the breakdown's series.
type Dimension = querymodel.Dimension

// The dimensions a breakdown may publish.
const (
	Version     = querymodel.Version
	CountryCode = querymodel.Country
	PythonMinor = querymodel.PythonMinor
	Installer   = querymodel.Installer
	System      = querymodel.System
	FileType    = querymodel.FileType
)

// Dimensions lists them in the order breakdowns are queried and published.
func Dimensions() []Dimension {
	return []Dimension{Version, CountryCode, PythonMinor, Installer, System, FileType}
}

func validDimension(d Dimension) bool { return slices.Contains(Dimensions(), d) }

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
