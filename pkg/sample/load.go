package sample

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Stats reports what Load inserted.
type Stats struct {
	// Rows is the number of raw pypi rows, Cells the number of distinct
	// rows they were staged as.
	Rows      uint64
	Cells     uint64
	Projects  int
	Countries int
	// GitHubEvents are the rows loaded into github_events, when the
	// database has that table.
	GitHubEvents int
	Elapsed      time.Duration
	// RowsPerSecond is Rows over Elapsed, the whole load included.
	RowsPerSecond float64
}

// StageTable is the temporary table Load creates in the target database
// and drops when done. Two concurrent Loads into one database would share
// it, so they are not supported.
const StageTable = "_sample_stage"

// Load sizes: cells go to the stage in native batches of stageBatchCells
// and are expanded into pypi every stageFlushCells, which bounds the
// stage (and the server memory one INSERT SELECT needs) whatever the
// profile, and sets how often progress is reported: the expansion is most
// of a load. A multiple of stageBatchCells, as the check runs after each
// batch. 400,000 (about 1M rows, a few seconds) loaded the demo set in the
// same 30 s as 2,000,000 did, on two cores.
const (
	stageBatchCells = 200_000
	stageFlushCells = 400_000
	metaBatchRows   = 10_000
	cleanupTimeout  = 30 * time.Second
)

// PypiColumns lists the raw pypi table's columns in table order, matching
// Cell's fields from Date to Version.
func PypiColumns() []string {
	return []string{"date", "country_code", "project", "type", "installer", "python_minor", "system", "version"}
}

// ValidateDatabase accepts names safe to splice into SQL: ASCII letters,
// digits and underscores, not starting with a digit.
func ValidateDatabase(name string) error {
	if name == "" || len(name) > 64 {
		return fmt.Errorf("database name %q must be 1 to 64 characters", name)
	}
	for i, c := range name {
		ok := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9'
		if !ok {
			return fmt.Errorf("database name %q may hold only ASCII letters, digits and underscores and must not start with a digit", name)
		}
	}
	return nil
}

func stageDDL(db string) string {
	return "CREATE TABLE " + db + "." + StageTable + "\n(\n" +
		"    `date` Date,\n" +
		"    `country_code` LowCardinality(String),\n" +
		"    `project` String,\n" +
		"    `type` LowCardinality(String),\n" +
		"    `installer` LowCardinality(String),\n" +
		"    `python_minor` LowCardinality(String),\n" +
		"    `system` LowCardinality(String),\n" +
		"    `version` String,\n" +
		"    `n` UInt32\n" +
		")\nENGINE = MergeTree\nORDER BY tuple()"
}

func stageInsert(db string) string {
	return "INSERT INTO " + db + "." + StageTable + " (" + strings.Join(PypiColumns(), ", ") + ", n)"
}

// expandSQL turns staged cells back into one row per download inside the
// server, so pypi's materialized views see ordinary inserts. Deduplication
// is off because replicated tables would otherwise drop a block identical
// to one loaded before. The fourteen views dominate the load: skipping the
// on-insert summing (merges sum later, readers sum anyway) and running one
// pipeline thread took the demo's expansion from 50 s to 30 s on two cores.
func expandSQL(db string) string {
	cols := strings.Join(PypiColumns(), ", ")
	return "INSERT INTO " + db + ".pypi (" + cols + ")\nSELECT " + cols + "\nFROM " + db + "." + StageTable +
		"\nARRAY JOIN range(n) AS _i\nSETTINGS insert_deduplicate = 0, optimize_on_insert = 0, max_threads = 1"
}

func dropStageSQL(db string) string { return "DROP TABLE IF EXISTS " + db + "." + StageTable }

func truncateStageSQL(db string) string { return "TRUNCATE TABLE " + db + "." + StageTable }

// StageStatements are the SQL statements of Load's staging path, for
// loaders on other transports that want tables identical to Load's: run
// Drop and Create, insert cells into the stage (Insert names the columns:
// PypiColumns then n, the cell's Count), run Expand and Truncate after
// each round, and Drop at the end.
type StageStatements struct {
	Drop, Create, Insert, Expand, Truncate string
}

// StageSQL returns the staging statements for database.
func StageSQL(database string) (StageStatements, error) {
	if err := ValidateDatabase(database); err != nil {
		return StageStatements{}, err
	}
	return StageStatements{
		Drop:     dropStageSQL(database),
		Create:   stageDDL(database),
		Insert:   stageInsert(database),
		Expand:   expandSQL(database),
		Truncate: truncateStageSQL(database),
	}, nil
}

// Load generates cfg's data set and inserts it into database's pypi,
// projects and countries tables, which must exist (see pkg/schema) and
// should be empty: Load appends. When the database has github_events too,
// the GitHub events go there (LoadGitHub loads them elsewhere). Raw rows go through a staging table of
// (row, count) cells expanded server-side, so identical downloads of a day
// travel once while pypi's materialized views still see ordinary inserts.
func Load(ctx context.Context, conn driver.Conn, database string, cfg Config) (Stats, error) {
	return LoadReporting(ctx, conn, database, cfg, nil)
}

// LoadReporting is Load calling report, when not nil, with the number of
// raw rows in the pypi table so far, after each expansion round (every
// 400,000 staged cells, about 1M rows) and at the end; cfg.Size.TargetRows
// is about where it ends. report runs on the loading goroutine, between
// rounds.
func LoadReporting(ctx context.Context, conn driver.Conn, database string, cfg Config, report func(rows uint64)) (Stats, error) {
	started := time.Now()
	var st Stats
	if err := ValidateDatabase(database); err != nil {
		return st, err
	}
	if err := cfg.Validate(); err != nil {
		return st, err
	}
	if err := conn.Exec(ctx, dropStageSQL(database)); err != nil {
		return st, fmt.Errorf("dropping stale %s.%s: %w", database, StageTable, err)
	}
	if err := conn.Exec(ctx, stageDDL(database)); err != nil {
		return st, fmt.Errorf("creating %s.%s: %w", database, StageTable, err)
	}
	defer func() {
		// Drop even when ctx is cancelled, so a failed load leaves nothing.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		_ = conn.Exec(cctx, dropStageSQL(database))
	}()

	if report == nil {
		report = func(uint64) {}
	}
	if err := loadCells(ctx, conn, database, cfg, &st, report); err != nil {
		return st, err
	}
	n, err := loadProjects(ctx, conn, database, cfg)
	if err != nil {
		return st, err
	}
	st.Projects = n
	if st.Countries, err = loadCountries(ctx, conn, database); err != nil {
		return st, err
	}
	if ok, err := hasTable(ctx, conn, database, githubEventsTable); err != nil {
		return st, err
	} else if ok {
		if st.GitHubEvents, err = LoadGitHub(ctx, conn, database, cfg); err != nil {
			return st, err
		}
	}
	st.Elapsed = time.Since(started)
	if s := st.Elapsed.Seconds(); s > 0 {
		st.RowsPerSecond = float64(st.Rows) / s
	}
	return st, nil
}

// stager accumulates cells column by column for the staging batch.
type stager struct {
	ctx    context.Context
	conn   driver.Conn
	db     string
	batch  driver.Batch
	dates  []time.Time
	strs   [7][]string
	counts []uint32
	staged int // cells in the stage table not yet expanded
}

func loadCells(ctx context.Context, conn driver.Conn, db string, cfg Config, st *Stats, report func(uint64)) error {
	s := &stager{ctx: ctx, conn: conn, db: db}
	defer s.abort()
	err := Cells(ctx, cfg, func(batch []Cell) error {
		for i := range batch {
			c := &batch[i]
			s.dates = append(s.dates, c.Date)
			s.strs[0] = append(s.strs[0], c.CountryCode)
			s.strs[1] = append(s.strs[1], c.Project)
			s.strs[2] = append(s.strs[2], c.Type)
			s.strs[3] = append(s.strs[3], c.Installer)
			s.strs[4] = append(s.strs[4], c.PythonMinor)
			s.strs[5] = append(s.strs[5], c.System)
			s.strs[6] = append(s.strs[6], c.Version)
			s.counts = append(s.counts, c.Count)
			st.Rows += uint64(c.Count)
			st.Cells++
			if len(s.counts) >= stageBatchCells {
				if err := s.send(); err != nil {
					return err
				}
				if s.staged >= stageFlushCells {
					if err := s.expand(); err != nil {
						return err
					}
					// Everything counted was sent (send empties the
					// columns), and is now expanded.
					report(st.Rows)
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := s.send(); err != nil {
		return err
	}
	if err := s.expand(); err != nil {
		return err
	}
	report(st.Rows)
	return nil
}

// send ships the accumulated columns to the stage table.
func (s *stager) send() error {
	n := len(s.counts)
	if n == 0 {
		return nil
	}
	b, err := s.conn.PrepareBatch(s.ctx, stageInsert(s.db))
	if err != nil {
		return fmt.Errorf("preparing insert into %s.%s: %w", s.db, StageTable, err)
	}
	s.batch = b
	cols := []any{s.dates}
	for i := range s.strs {
		cols = append(cols, s.strs[i])
	}
	cols = append(cols, s.counts)
	for i, col := range cols {
		if err := b.Column(i).Append(col); err != nil {
			return fmt.Errorf("staging column %d: %w", i, err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("inserting %d cells into %s.%s: %w", n, s.db, StageTable, err)
	}
	s.batch = nil
	s.staged += n
	s.dates = s.dates[:0]
	for i := range s.strs {
		s.strs[i] = s.strs[i][:0]
	}
	s.counts = s.counts[:0]
	return nil
}

// expand moves the staged cells into pypi and empties the stage.
func (s *stager) expand() error {
	if s.staged == 0 {
		return nil
	}
	if err := s.conn.Exec(s.ctx, expandSQL(s.db)); err != nil {
		return fmt.Errorf("expanding staged cells into %s.pypi: %w", s.db, err)
	}
	if err := s.conn.Exec(s.ctx, truncateStageSQL(s.db)); err != nil {
		return fmt.Errorf("emptying %s.%s: %w", s.db, StageTable, err)
	}
	s.staged = 0
	return nil
}

func (s *stager) abort() {
	if s.batch != nil && !s.batch.IsSent() {
		_ = s.batch.Abort()
	}
}

// insertRows sends rows to table in batches of metaBatchRows.
func insertRows(ctx context.Context, conn driver.Conn, db, table string, cols []string, n int, row func(i int) []any) error {
	query := "INSERT INTO " + db + "." + table + " (" + strings.Join(cols, ", ") + ")"
	for lo := 0; lo < n; lo += metaBatchRows {
		b, err := conn.PrepareBatch(ctx, query)
		if err != nil {
			return fmt.Errorf("preparing insert into %s.%s: %w", db, table, err)
		}
		for i := lo; i < min(n, lo+metaBatchRows); i++ {
			if err := b.Append(row(i)...); err != nil {
				_ = b.Abort()
				return fmt.Errorf("appending row %d to %s.%s: %w", i, db, table, err)
			}
		}
		if err := b.Send(); err != nil {
			return fmt.Errorf("inserting into %s.%s: %w", db, table, err)
		}
	}
	return nil
}

func loadProjects(ctx context.Context, conn driver.Conn, db string, cfg Config) (int, error) {
	rows := Projects(cfg)
	if rows == nil {
		return 0, errors.New("sample config produced no projects")
	}
	err := insertRows(ctx, conn, db, "projects", ProjectColumns(), len(rows), func(i int) []any { return rows[i].Values() })
	return len(rows), err
}

func loadCountries(ctx context.Context, conn driver.Conn, db string) (int, error) {
	cs := Countries()
	err := insertRows(ctx, conn, db, "countries", []string{"name", "code"}, len(cs), func(i int) []any {
		return []any{cs[i].Name, cs[i].Code}
	})
	return len(cs), err
}
