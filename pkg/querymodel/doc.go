// Package querymodel is the JSON a panel, alert rule or template variable
// stores for this data source, parsed and checked. Field names are part of
// saved dashboards: keep them stable.
package querymodel
