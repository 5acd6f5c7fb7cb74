package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/chhttp"
	"github.com/clickpy/clickpy-grafana/pkg/sample"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

type options struct {
	listen    string
	dataDir   string
	database  string
	sample    string
	seed      uint64
	end       time.Time
	reload    bool
	users     []chhttp.User
	readyFile string
}

// passwordEnv lets scripts set the default user's password without putting
// it on a command line other users can read.
const passwordEnv = "CLICKPY_LOCAL_PASSWORD"

func parseFlags(args []string) (options, error) {
	var o options
	var endDate, password, readonly string
	fs := flag.NewFlagSet("clickpy-local", flag.ContinueOnError)
	fs.StringVar(&o.listen, "listen", chhttp.DefaultAddr, "address to serve the ClickHouse HTTP interface on (port 0 picks one)")
	fs.StringVar(&o.dataDir, "data-dir", ".data/clickpy-local", "directory for the engine's tables; an existing one is reused")
	fs.StringVar(&o.database, "database", schema.DefaultDatabase, "database for ClickPy's schema and the sample")
	fs.StringVar(&o.sample, "sample", "none", "sample set to load into a new data directory: test, demo, bench or none")
	fs.Uint64Var(&o.seed, "seed", 1, "sample seed")
	fs.StringVar(&endDate, "end-date", "", "last day of sample data, YYYY-MM-DD (default yesterday, UTC)")
	fs.BoolVar(&o.reload, "reload", false, "drop the database and load the sample again")
	fs.StringVar(&password, "password", "", "password of the default user (default empty, or $"+passwordEnv+")")
	fs.StringVar(&readonly, "readonly-user", "", "an extra read-only user, as name:password")
	fs.StringVar(&o.readyFile, "ready-file", "", "write the bound address to this file once the data is loaded")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if err := schema.ValidateIdentifier("database", o.database); err != nil {
		return o, fmt.Errorf("--database: %w", err)
	}
	if o.sample != "none" {
		if _, err := sample.ParseSize(o.sample); err != nil {
			return o, fmt.Errorf("--sample: %w", err)
		}
	}
	o.end = sample.DefaultEnd()
	if endDate != "" {
		t, err := time.Parse(time.DateOnly, endDate)
		if err != nil {
			return o, fmt.Errorf("--end-date %q is not YYYY-MM-DD", endDate)
		}
		o.end = t
	}
	if password == "" {
		password = os.Getenv(passwordEnv)
	}
	o.users = []chhttp.User{{Name: "default", Password: password}}
	if readonly != "" {
		name, pw, ok := strings.Cut(readonly, ":")
		if !ok || name == "" || name == "default" {
			return o, fmt.Errorf("--readonly-user wants name:password with a name other than default")
		}
		o.users = append(o.users, chhttp.User{Name: name, Password: pw, ReadOnly: true})
	}
	return o, nil
}
