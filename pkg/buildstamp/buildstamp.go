// Package buildstamp is what the project's commands are stamped with when
// built: the version from package.json (the one release number the plugin,
// the exporter and the front end share) and the git revision and branch,
// set as Prometheus' version package expects them (--version,
// clickpy_exporter_build_info). The mage targets use it directly; the
// compose file through cmd/clickpy-buildstamp.
package buildstamp

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"time"
)

// versionPackage is where the stamped variables live.
const versionPackage = "github.com/prometheus/common/version"

// Unknown stands for a revision or branch git could not tell (a source
// tarball, no git installed).
const Unknown = "unknown"

// Stamp is one build's identity.
type Stamp struct {
	Version, Revision, Branch, BuildUser, BuildDate string
}

// Read makes the stamp for a build of the module at root now.
func Read(ctx context.Context, root string) (Stamp, error) {
	b, err := os.ReadFile(filepath.Join(root, "package.json"))
	if err != nil {
		return Stamp{}, fmt.Errorf("reading the version: %w", err)
	}
	var pkg struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		return Stamp{}, fmt.Errorf("reading the version from package.json: %w", err)
	}
	if pkg.Version == "" {
		return Stamp{}, fmt.Errorf("package.json has no version")
	}
	s := Stamp{
		Version:   pkg.Version,
		Revision:  git(ctx, root, "rev-parse", "HEAD"),
		Branch:    git(ctx, root, "rev-parse", "--abbrev-ref", "HEAD"),
		BuildUser: buildUser(),
		// promu's format, so the exporter reads like Prometheus' own.
		BuildDate: time.Now().UTC().Format("20060102-15:04:05"),
	}
	return s, nil
}

// git answers a read-only question about root's repository, or Unknown.
// safe.directory lets it read a checkout another user owns (a container
// mounting the host's).
func git(ctx context.Context, root string, args ...string) string {
	out, err := exec.CommandContext(ctx, "git", append([]string{"-c", "safe.directory=" + root, "-C", root}, args...)...).Output()
	if v := strings.TrimSpace(string(out)); err == nil && v != "" {
		return v
	}
	return Unknown
}

func buildUser() string {
	name := Unknown
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = Unknown
	}
	return name + "@" + host
}

// LDFlags are the go build -ldflags that set the stamp.
func (s Stamp) LDFlags() string {
	var b strings.Builder
	for _, kv := range [][2]string{
		{"Version", s.Version}, {"Revision", s.Revision}, {"Branch", s.Branch},
		{"BuildUser", s.BuildUser}, {"BuildDate", s.BuildDate},
	} {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		// -X takes the value up to the next space: none may hold one.
		fmt.Fprintf(&b, "-X %s.%s=%s", versionPackage, kv[0], strings.ReplaceAll(kv[1], " ", "_"))
	}
	return b.String()
}
