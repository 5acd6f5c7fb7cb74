package exporter

import (
	"fmt"
	"os"
	"regexp"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

// Config is what the exporter tracks and how often it asks ClickHouse.
type Config struct {
	// Database holds ClickPy's tables; empty means the URL's database, else
	// schema.DefaultDatabase (see WithDatabase).
	Database string
	// Packages are tracked explicitly, in this order.
	Packages []string
	// TopPackages adds the N most downloaded packages of the last 30 days.
	TopPackages int
	// Breakdowns are published in Dimensions() order.
	Breakdowns []Breakdown
	// MinRefreshInterval is how long a snapshot is served before a scrape
	// may trigger the next refresh.
	MinRefreshInterval time.Duration
	// QueryTimeout bounds each query (client side and max_execution_time).
	QueryTimeout   time.Duration
	ExcludeMirrors bool
}

// Breakdown publishes one dimension per package: the Top values of the
// last 30 days and the rest summed under the label value Other.
type Breakdown struct {
	Dimension Dimension
	Top       int
	Other     string
}

// Defaults and caps. The caps keep a typo in the config from turning into
// a million series in someone's Prometheus.
const (
	DefaultMinRefreshInterval = 5 * time.Minute
	DefaultQueryTimeout       = 60 * time.Second
	DefaultTopPackages        = 10
	DefaultBreakdownTop       = 10
	DefaultOther              = "other"

	MaxPackages     = 10_000
	MaxBreakdownTop = 100
	// MaxSeries bounds the data series one refresh can publish, estimated
	// from the config before anything is queried.
	MaxSeries = 250_000

	minRefreshFloor   = time.Second
	maxQueryTimeout   = 30 * time.Minute
	minQueryTimeout   = time.Second
	maxPackageNameLen = 200
	maxOtherLen       = 100
)

// packageName is PyPI's rule for project names (PEP 508), checked so a
// typo fails at start-up instead of tracking a package that cannot exist.
const packageNamePattern = `^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$`

// DefaultConfig is used without --config.file: the top 10 packages, no
// breakdowns.
func DefaultConfig() Config {
	return Config{
		TopPackages:        DefaultTopPackages,
		MinRefreshInterval: DefaultMinRefreshInterval,
		QueryTimeout:       DefaultQueryTimeout,
	}
}

// LoadConfig reads and checks a YAML config file.
func LoadConfig(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("reading config file: %w", err)
	}
	c, err := ParseConfig(b)
	if err != nil {
		return Config{}, fmt.Errorf("config file %s: %w", path, err)
	}
	return c, nil
}

// WithDatabase fills Database from the connection URL's when the config
// leaves it empty, then the default, and checks it is a plain identifier
// since it is the one name spliced into SQL.
func (c Config) WithDatabase(fromURL string) (Config, error) {
	if c.Database == "" {
		c.Database = fromURL
	}
	if c.Database == "" {
		c.Database = schema.DefaultDatabase
	}
	if err := schema.ValidateIdentifier("database", c.Database); err != nil {
		return c, fieldErr("database", 0, "%v", err)
	}
	return c, nil
}

// Validate checks every field; the error names the first bad one.
func (c Config) Validate() error {
	if c.Database != "" {
		if err := schema.ValidateIdentifier("database", c.Database); err != nil {
			return fieldErr("database", 0, "%v", err)
		}
	}
	name := regexp.MustCompile(packageNamePattern)
	seen := map[string]bool{}
	for i, p := range c.Packages {
		field := fmt.Sprintf("packages[%d]", i)
		switch {
		case len(p) > maxPackageNameLen:
			return fieldErr(field, 0, "package name longer than %d characters", maxPackageNameLen)
		case !name.MatchString(p):
			return fieldErr(field, 0, "%q is not a valid PyPI project name", p)
		case seen[p]:
			return fieldErr(field, 0, "%q is listed twice", p)
		}
		seen[p] = true
	}
	if c.TopPackages < 0 || c.TopPackages > MaxPackages {
		return fieldErr("topPackages", 0, "must be between 0 and %d, got %d", MaxPackages, c.TopPackages)
	}
	if len(c.Packages) == 0 && c.TopPackages == 0 {
		return fieldErr("packages", 0, "list at least one package or set topPackages")
	}
	if n := len(c.Packages) + c.TopPackages; n > MaxPackages {
		return fieldErr("packages", 0, "%d explicit packages plus topPackages %d exceed the cap of %d tracked packages",
			len(c.Packages), c.TopPackages, MaxPackages)
	}
	dims := map[Dimension]bool{}
	for _, b := range c.Breakdowns {
		field := "breakdowns." + string(b.Dimension)
		if !validDimension(b.Dimension) {
			return fieldErr("breakdowns", 0, "unknown dimension %q (want one of %s)", b.Dimension, dimensionList())
		}
		if dims[b.Dimension] {
			return fieldErr(field, 0, "listed twice")
		}
		dims[b.Dimension] = true
		if b.Top < 1 || b.Top > MaxBreakdownTop {
			return fieldErr(field+".top", 0, "must be between 1 and %d, got %d", MaxBreakdownTop, b.Top)
		}
		if b.Other == "" || len(b.Other) > maxOtherLen {
			return fieldErr(field+".other", 0, "must be a non-empty label value of at most %d bytes", maxOtherLen)
		}
	}
	if n := c.SeriesEstimate(); n > MaxSeries {
		return fieldErr("breakdowns", 0, "up to %d tracked packages with these breakdowns could publish %d series, over the cap of %d; "+
			"lower topPackages or the breakdowns' top", len(c.Packages)+c.TopPackages, n, MaxSeries)
	}
	if c.MinRefreshInterval < minRefreshFloor {
		return fieldErr("minRefreshInterval", 0, "must be at least %s, got %s", minRefreshFloor, c.MinRefreshInterval)
	}
	if c.QueryTimeout < minQueryTimeout || c.QueryTimeout > maxQueryTimeout {
		return fieldErr("queryTimeout", 0, "must be between %s and %s, got %s", minQueryTimeout, maxQueryTimeout, c.QueryTimeout)
	}
	return nil
}

// SeriesEstimate is the most data series a snapshot can hold under c: per
// package the plain families plus, per breakdown, Top values and other.
func (c Config) SeriesEstimate() int {
	per := len(packageFamilies())
	for _, b := range c.Breakdowns {
		per += b.Top + 1
	}
	return (len(c.Packages) + c.TopPackages) * per
}

// FieldError is a config error naming the field (and its line when it
// came from a file).
type FieldError struct {
	Field string
	Line  int
	Msg   string
}

func (e *FieldError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s (line %d): %s", e.Field, e.Line, e.Msg)
	}
	return e.Field + ": " + e.Msg
}

func fieldErr(field string, line int, format string, args ...any) error {
	return &FieldError{Field: field, Line: line, Msg: fmt.Sprintf(format, args...)}
}
