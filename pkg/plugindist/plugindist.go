// Package plugindist checks a built plugin directory (dist/) as Grafana
// loads it and its plugin catalogue packages it: plugin.json stamped with
// the release, every file it names present (logos, screenshots, bundled
// dashboards), the README, CHANGELOG and LICENSE, the front end and the
// backend executables. The mage targets that write dist/ end with Check.
package plugindist

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
)

// Want is what a particular build must have put into the directory.
type Want struct {
	// Version is the release plugin.json must carry (package.json's).
	Version string
	// Platforms are the backends built, as GOOS/GOARCH pairs.
	Platforms [][2]string
}

// Manifest is the part of plugin.json checked here.
type Manifest struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Name       string `json:"name"`
	Backend    bool   `json:"backend"`
	Executable string `json:"executable"`
	Includes   []struct {
		Type string `json:"type"`
		Name string `json:"name"`
		Path string `json:"path"`
	} `json:"includes"`
	Info struct {
		Author struct {
			Name string `json:"name"`
			URL  string `json:"url"`
		} `json:"author"`
		Logos struct {
			Small string `json:"small"`
			Large string `json:"large"`
		} `json:"logos"`
		Links []struct {
			Name string `json:"name"`
			URL  string `json:"url"`
		} `json:"links"`
		Screenshots []struct {
			Name string `json:"name"`
			Path string `json:"path"`
		} `json:"screenshots"`
		Version string `json:"version"`
		Updated string `json:"updated"`
	} `json:"info"`
}

// ReadManifest reads a plugin.json.
func ReadManifest(path string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(path)
	if err != nil {
		return m, fmt.Errorf("reading %s: %w", path, err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// ExecutableFile is the backend's file name for a platform, as the SDK
// build names it and Grafana looks for it.
func ExecutableFile(executable, goos, goarch string) string {
	name := executable + "_" + goos + "_" + goarch
	if goos == "windows" {
		name += ".exe"
	}
	return name
}

// placeholders are what the front-end build replaces in plugin.json and
// the README; one left means the file did not come from that build.
func placeholders() []string { return []string{"%VERSION%", "%TODAY%", "%PLUGIN_ID%"} }

// Check reports everything wrong with dir as a plugin build, or nil.
func Check(dir string, want Want) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	file := func(rel string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			bad("%s/%s is missing", dir, rel)
			return nil
		}
		if len(b) == 0 {
			bad("%s/%s is empty", dir, rel)
		}
		return b
	}

	raw := file("plugin.json")
	for _, rel := range []string{"module.js", "README.md", "CHANGELOG.md", "LICENSE"} {
		b := file(rel)
		for _, p := range placeholders() {
			if rel == "README.md" && bytes.Contains(b, []byte(p)) {
				bad("%s/README.md still holds %s: it was not written by the front-end build", dir, p)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "bin")); err == nil {
		bad("%s/bin exists: the project's commands belong in bin/ at the top, not in the plugin", dir)
	}
	if raw == nil {
		return errors.Join(errs...)
	}
	for _, p := range placeholders() {
		if bytes.Contains(raw, []byte(p)) {
			bad("%s/plugin.json still holds %s: it was copied, not written by the front-end build (npm run build)", dir, p)
		}
	}
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return errors.Join(append(errs, fmt.Errorf("%s/plugin.json: %w", dir, err))...)
	}
	if want.Version != "" && m.Info.Version != want.Version {
		bad("%s/plugin.json has version %q, package.json %q", dir, m.Info.Version, want.Version)
	}
	if !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString(m.Info.Updated) {
		bad("%s/plugin.json: updated %q is not a date", dir, m.Info.Updated)
	}
	errs = append(errs, m.CheckInfo()...)
	for _, logo := range []string{m.Info.Logos.Small, m.Info.Logos.Large} {
		if logo != "" {
			file(logo)
		}
	}
	for _, s := range m.Info.Screenshots {
		if b := file(s.Path); b != nil && !isImage(b) {
			bad("%s/%s is not a PNG, JPEG or SVG image", dir, s.Path)
		}
	}
	for _, inc := range m.Includes {
		b := file(inc.Path)
		if b == nil || inc.Type != "dashboard" {
			continue
		}
		if err := checkDashboard(b, inc.Name, m.ID); err != nil {
			bad("%s/%s: %w", dir, inc.Path, err)
		}
	}
	if m.Backend {
		for _, p := range want.Platforms {
			exe := ExecutableFile(m.Executable, p[0], p[1])
			if file(exe) == nil {
				continue
			}
			if st, err := os.Stat(filepath.Join(dir, exe)); err == nil && runtime.GOOS != "windows" && st.Mode()&0o111 == 0 {
				bad("%s/%s is not executable", dir, exe)
			}
		}
		if len(want.Platforms) > 0 {
			file("go_plugin_build_manifest")
		}
	}
	return errors.Join(errs...)
}

// CheckInfo checks what the plugin catalogue shows of plugin.json: an
// author, links, at least one screenshot, both logos, bundled dashboards
// named.
func (m Manifest) CheckInfo() []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if m.Info.Author.Name == "" {
		bad("plugin.json: info.author.name is empty")
	}
	if m.Info.Author.URL != "" && !isHTTPS(m.Info.Author.URL) {
		bad("plugin.json: info.author.url %q is not an https URL", m.Info.Author.URL)
	}
	if len(m.Info.Links) == 0 {
		bad("plugin.json: info.links is empty (the catalogue lists them: documentation, license, source, issues)")
	}
	for _, l := range m.Info.Links {
		if l.Name == "" || !isHTTPS(l.URL) {
			bad("plugin.json: link %q -> %q needs a name and an https URL", l.Name, l.URL)
		}
	}
	if len(m.Info.Screenshots) == 0 {
		bad("plugin.json: info.screenshots is empty")
	}
	for _, s := range m.Info.Screenshots {
		if s.Name == "" || s.Path == "" {
			bad("plugin.json: screenshot %+v needs a name and a path", s)
		}
	}
	if m.Info.Logos.Small == "" || m.Info.Logos.Large == "" {
		bad("plugin.json: info.logos needs small and large")
	}
	for _, inc := range m.Includes {
		if inc.Type == "" || inc.Name == "" || inc.Path == "" || strings.HasPrefix(inc.Path, "/") || strings.Contains(inc.Path, "..") {
			bad("plugin.json: include %+v needs a type, a name and a path inside the plugin", inc)
		}
	}
	return errs
}

func isHTTPS(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != ""
}

func isImage(b []byte) bool {
	return bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) || bytes.HasPrefix(b, []byte("\xff\xd8\xff")) ||
		bytes.Contains(b[:min(len(b), 512)], []byte("<svg"))
}

// checkDashboard checks a bundled dashboard: its title is the include's
// name, it has a uid, and every reference to the plugin's data source goes
// through an import input (__inputs), so the dashboard works with whichever
// data source imports it.
func checkDashboard(b []byte, name, pluginID string) error {
	var d struct {
		UID    string `json:"uid"`
		Title  string `json:"title"`
		Inputs []struct {
			Name     string `json:"name"`
			Type     string `json:"type"`
			PluginID string `json:"pluginId"`
		} `json:"__inputs"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return err
	}
	var errs []error
	if d.Title != name {
		errs = append(errs, fmt.Errorf("title %q, but plugin.json includes it as %q", d.Title, name))
	}
	if d.UID == "" {
		errs = append(errs, errors.New("no uid"))
	}
	inputs := map[string]bool{}
	for _, in := range d.Inputs {
		if in.Type == "datasource" && in.PluginID == pluginID {
			inputs["${"+in.Name+"}"] = true
		}
	}
	var all any
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	refs := 0
	badUIDs := map[string]int{}
	walk(all, func(ref map[string]any) {
		if ref["type"] != pluginID {
			return
		}
		refs++
		if uid, _ := ref["uid"].(string); !inputs[uid] {
			badUIDs[uid]++
		}
	})
	for uid, n := range badUIDs {
		errs = append(errs, fmt.Errorf("%d data source references use uid %q, not one of its __inputs: imported, they would not find the data source", n, uid))
	}
	if refs == 0 {
		errs = append(errs, fmt.Errorf("no reference to the %s data source", pluginID))
	}
	return errors.Join(errs...)
}

// walk calls fn with every "datasource" object under v.
func walk(v any, fn func(map[string]any)) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if ref, ok := e.(map[string]any); ok && k == "datasource" {
				fn(ref)
				continue
			}
			walk(e, fn)
		}
	case []any:
		for _, e := range t {
			walk(e, fn)
		}
	}
}
