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
)

// Folder is where the provisioned dashboards and alert rules go.
const (
	FolderTitle = "ClickPy"
	FolderUID   = "clickpy"
)

func dataSource() common.DataSourceRef {
	return common.DataSourceRef{Type: cog.ToPtr(DataSourceType), Uid: cog.ToPtr(DataSourceUID)}
}
