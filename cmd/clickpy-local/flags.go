package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/clickpy/clickpy-grafana/pkg/chhttp"
	"github.com/clickpy/clickpy-grafana/pkg/embedded"
	"github.com/clickpy/clickpy-grafana/pkg/sample"
	"github.com/clickpy/clickpy-grafana/pkg/schema"
)

type options struct {
	listen   string
	dataDir  string
	database string
	// sample is the sample set as ParseSize spells it, or "none".
	sample    string
	seed      uint64
	end       time.Time
	reload    bool
	users     []chhttp.User
	readyFile string
}

// passwordEnv lets scripts set the default user's password without putting
// it on a command line other users can read; run unsets it once read, so
// nothing the process starts inherits it.
const passwordEnv = "CLICKPY_LOCAL_PASSWORD"

// parseFlags reads the command line; getenv looks up passwordEnv.
func parseFlags(args []string, getenv func(string) string) (options, error) {
	var o options
	var endDate, password, passwordFile, readonly, readonlyPasswordFile, profile string
	var hostAccess bool
	fs := flag.NewFlagSet("clickpy-local", flag.ContinueOnError)
	fs.StringVar(&o.listen, "listen", chhttp.DefaultAddr,
		"address to serve the ClickHouse HTTP interface on; :PORT is loopback, 0.0.0.0:PORT or [::]:PORT every interface (port 0 picks one)")
	fs.StringVar(&o.dataDir, "data-dir", ".data/clickpy-local", "directory for the engine's tables; an existing one is reused")
	fs.StringVar(&o.database, "database", schema.DefaultDatabase, "database for ClickPy's schema and the sample")
	fs.StringVar(&o.sample, "sample", "none", "sample set to load into a new data directory: test, demo, bench or none")
	fs.Uint64Var(&o.seed, "seed", 1, "sample seed")
	fs.StringVar(&endDate, "end-date", "", "last day of sample data, YYYY-MM-DD (default yesterday, UTC)")
	fs.BoolVar(&o.reload, "reload", false, "drop the database and load the sample again")
	fs.StringVar(&password, "password", "",
		"password of the default user (default empty); other local users see it in ps: prefer --password-file or $"+passwordEnv)
	fs.StringVar(&passwordFile, "password-file", "", "file holding the default user's password (one trailing newline is dropped)")
	fs.StringVar(&readonly, "readonly-user", "",
		"an extra read-only user, as name:password (seen in ps) or name with --readonly-password-file")
	fs.StringVar(&readonlyPasswordFile, "readonly-password-file", "", "file holding the --readonly-user's password")
	fs.StringVar(&profile, "readonly-profile", "", "settings of the read-only user, as name=value,...; a trailing ! makes one constant, readonly=1 forbids changing any")
	fs.BoolVar(&hostAccess, "allow-host-access", false,
		"let the default user's queries read host files and reach the network (file(), url(), remote(), s3(), File engines, ...); read-only users never can")
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
	// One spelling, so the data directory's marker compares equal however
	// the flag was typed.
	if o.sample = strings.ToLower(strings.TrimSpace(o.sample)); o.sample != "none" {
		size, err := sample.ParseSize(o.sample)
		if err != nil {
			return o, fmt.Errorf("--sample: %w", err)
		}
		o.sample = string(size)
	}
	o.end = sample.DefaultEnd()
	if endDate != "" {
		t, err := time.Parse(time.DateOnly, endDate)
		if err != nil {
			return o, fmt.Errorf("--end-date %q is not YYYY-MM-DD", endDate)
		}
		o.end = t
	}
	password, err := choosePassword("--password", password, "--password-file", passwordFile)
	if err != nil {
		return o, err
	}
	if password == "" {
		password = getenv(passwordEnv)
	}
	o.users = []chhttp.User{{Name: "default", Password: password, HostAccess: hostAccess}}
	if readonly != "" {
		name, pw, hasPassword := strings.Cut(readonly, ":")
		if name == "" || name == "default" || !hasPassword && readonlyPasswordFile == "" {
			return o, fmt.Errorf("--readonly-user wants name:password, or name with --readonly-password-file, with a name other than default")
		}
		if pw, err = choosePassword("--readonly-user", pw, "--readonly-password-file", readonlyPasswordFile); err != nil {
			return o, err
		}
		u := chhttp.User{Name: name, Password: pw, Profile: embedded.Profile{Readonly: 2}}
		if err := parseProfile(&u.Profile, profile); err != nil {
			return o, fmt.Errorf("--readonly-profile: %w", err)
		}
		o.users = append(o.users, u)
	} else if profile != "" {
		return o, fmt.Errorf("--readonly-profile needs --readonly-user")
	} else if readonlyPasswordFile != "" {
		return o, fmt.Errorf("--readonly-password-file needs --readonly-user")
	}
	return o, nil
}

// choosePassword takes the password from the flag or from the file the
// other flag names, never both.
func choosePassword(flagName, value, fileFlag, file string) (string, error) {
	if file == "" {
		return value, nil
	}
	if value != "" {
		return "", fmt.Errorf("%s and %s both give a password; keep one", flagName, fileFlag)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("%s: %w", fileFlag, err)
	}
	pw := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if pw == "" {
		return "", fmt.Errorf("%s: %s is empty", fileFlag, file)
	}
	return pw, nil
}

// parseProfile reads "name=value,..." into p; "name=value!" also forbids
// changing that one (a CONST constraint); readonly=1 locks every setting,
// readonly=2 (the read-only user's default) leaves all but readonly free.
func parseProfile(p *embedded.Profile, profile string) error {
	if profile == "" {
		return nil
	}
	for _, part := range strings.Split(profile, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" {
			return fmt.Errorf("%q is not name=value", part)
		}
		if err := schema.ValidateIdentifier("setting", name); err != nil {
			return err
		}
		if name == "readonly" {
			switch value {
			case "1":
				p.Readonly = 1
			case "2":
				p.Readonly = 2
			default:
				return fmt.Errorf("readonly=%s: a read-only user has readonly 1 or 2", value)
			}
			continue
		}
		if fixed := strings.HasSuffix(value, "!"); fixed {
			value = strings.TrimSpace(strings.TrimSuffix(value, "!"))
			p.Constant = append(p.Constant, name)
		}
		p.Settings = append(p.Settings, embedded.Setting{Name: name, Value: strings.Trim(value, "'")})
	}
	return nil
}
