// Package exporter is the ClickPy Prometheus exporter's core: the YAML
// config, the loader that reads download counts for the tracked packages
// from ClickHouse, the cache that keeps the last good snapshot, and the
// collector that publishes it as constant metrics.
//
// Choices worth knowing:
//
//   - The last complete day is the newest date with data in the database
//     (max(max_date) of pypi_downloads_max_min, else max(date) of the
//     smallest dated table), and that day is taken as complete. ClickPy
//     loads a day once it is over, so its newest day is whole; using the
//     data's own newest day rather than the wall clock keeps the windows
//     full while a load is late, and the freshness metric shows the lag.
//     The 7 and 30 day windows count back from it, the same day for every
//     package.
//   - One query per metric family covers all tracked packages, each on the
//     smallest table holding the columns it needs (catalog.Choose), raw
//     pypi only as a fallback. The last day, 7 and 30 day and prior 7 day
//     counts share one query as they read the same rows.
//   - Scrapes never query: they read the snapshot. A scrape finding it
//     older than the minimum refresh interval starts a refresh in the
//     background; only while there is no snapshot at all does a scrape
//     wait, and never past its own timeout.
//   - The snapshot's metrics are gathered and encoded once per snapshot
//     and exposition format (and compressed once for gzip), right after
//     the refresh in the formats scrapes have used; a scrape gathers only
//     the exporter's status and the Go and process metrics, and appends
//     the encoded snapshot (one gzip member for both parts).
//   - When ClickHouse fails, the last good snapshot stays, clickpy_up goes
//     to 0 and the failure is counted by kind.
//   - The all-time total is a counter (it only grows); the other counts are
//     gauges, as a day's count can be below the day before's.
package exporter
