package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
)

// The data source every dashboard and alert rule reads, as
// provisioning/datasources/clickpy.yaml provisions it. A fixed UID keeps
// the dashboards portable: whoever provisions another ClickHouse under the
// same UID gets working dashboards without editing them.
const (
	DataSourceUID  = "clickpy"
	DataSourceType = "clickpy-pypi-datasource"
)

// Dashboard UIDs; links between dashboards use them.
const (
	OverviewUID = "clickpy-overview"
	PackageUID  = "clickpy-package"
	CompareUID  = "clickpy-compare"
	// MaintainerUID is the maintainer dashboard's.
	MaintainerUID = "clickpy-maintainer"
)

// FolderTitle is the folder the provisioned dashboards and alert rules go
// to, named by its title in both provisioning files: Grafana's alert rule
// files can name a folder only by title (grafana/grafana#125079) and are
// provisioned before dashboards, creating it with a random uid, so a
// dashboard provider naming a uid as well would try to create a second
// folder of that title, which Grafana 11 and later refuses
// (grafana/grafana#87889), skipping the dashboards.
const FolderTitle = "ClickPy"

func dataSource() common.DataSourceRef {
	return common.DataSourceRef{Type: cog.ToPtr(DataSourceType), Uid: cog.ToPtr(DataSourceUID)}
}
