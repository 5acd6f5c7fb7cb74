package sample

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestProjects(t *testing.T) {
	cfg := Config{Seed: 5, End: testEnd(), Size: SizeTest}
	rows := Projects(cfg)
	if len(rows) < PackageCount {
		t.Fatalf("%d project rows", len(rows))
	}
	names := map[string]bool{}
	for _, n := range rankedEntries() {
		names[n.name] = true
	}
	if len(names) != PackageCount {
		t.Fatalf("%d distinct package names, want %d", len(names), PackageCount)
	}
	deps := map[string][]string{}
	versions := map[string]bool{}
	end := cfg.EndDate().AddDate(0, 0, 1)
	for _, r := range rows {
		if !names[r.Name] {
			t.Fatalf("project %q is not a sample package", r.Name)
		}
		if versions[r.Name+"=="+r.Version] {
			t.Errorf("duplicate version %s %s", r.Name, r.Version)
		}
		versions[r.Name+"=="+r.Version] = true
		if !r.UploadTime.Before(end) {
			t.Errorf("%s %s uploaded %v, after End", r.Name, r.Version, r.UploadTime)
		}
		if r.Summary == "" || r.HomePage == "" || r.Author == "" || len(r.SHA256Digest) != 64 || len(r.MD5Digest) != 32 {
			t.Errorf("incomplete metadata for %s %s", r.Name, r.Version)
		}
		if !strings.HasPrefix(r.RequiresPython, ">=3.") && r.RequiresPython != "" {
			t.Errorf("%s requires_python %q", r.Name, r.RequiresPython)
		}
		if len(r.Values()) != len(ProjectColumns()) {
			t.Fatalf("Values has %d fields, columns %d", len(r.Values()), len(ProjectColumns()))
		}
		deps[r.Name] = nil
		for _, req := range r.RequiresDist {
			dep := RequirementName(req)
			if !names[dep] {
				t.Errorf("%s requires %q (%s), not a sample package", r.Name, req, dep)
			}
			if !slices.Contains(deps[r.Name], dep) {
				deps[r.Name] = append(deps[r.Name], dep)
			}
		}
	}
	for pkg, want := range map[string][]string{
		"requests":        {"urllib3", "certifi", "idna", "charset-normalizer"},
		"boto3":           {"botocore", "s3transfer", "jmespath"},
		"botocore":        {"urllib3", "python-dateutil", "jmespath"},
		"pandas":          {"numpy", "python-dateutil", "pytz", "tzdata"},
		HotPackage:        {"httpx", "pydantic"},
		"s3fs":            {"aiobotocore", "fsspec"},
		"google-auth":     {"rsa", "pyasn1-modules", "cachetools"},
		"python-dateutil": {"six"},
	} {
		for _, d := range want {
			if !slices.Contains(deps[pkg], d) {
				t.Errorf("%s should require %s, has %v", pkg, d, deps[pkg])
			}
		}
	}
	var withDeps, synthetic int
	for _, e := range rankedEntries() {
		if !e.isReal && e.kind == kindNormal {
			synthetic++
			if len(deps[e.name]) > 0 {
				withDeps++
			}
		}
	}
	if withDeps < synthetic/2 {
		t.Errorf("only %d of %d synthetic packages have dependencies", withDeps, synthetic)
	}
	if !reflect.DeepEqual(rows, Projects(Config{Seed: 5, End: testEnd(), Size: SizeDemo})) {
		t.Error("projects depend on the size profile")
	}
	if Projects(Config{Size: SizeTest}) != nil {
		t.Error("invalid config gave projects")
	}
}

func TestRequirementName(t *testing.T) {
	for in, want := range map[string]string{
		"urllib3 (<3,>=1.21.1)":                    "urllib3",
		"urllib3<3,>=1.21.1":                       "urllib3",
		`PySocks!=1.5.7,>=1.5.6; extra == "socks"`: "pysocks",
		"botocore[crt]<2.0a0,>=1.21.0":             "botocore",
		"typing_extensions":                        "typing-extensions",
		"zope.interface>=5":                        "zope-interface",
	} {
		if got := RequirementName(in); got != want {
			t.Errorf("RequirementName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := legacyRequirement(`pysocks!=1.5.7,>=1.5.6; extra == "socks"`); got != `pysocks (!=1.5.7,>=1.5.6) ; extra == "socks"` {
		t.Errorf("legacyRequirement = %q", got)
	}
}

func TestCountries(t *testing.T) {
	cs := Countries()
	if len(cs) != CountryCount {
		t.Fatalf("%d countries, want %d", len(cs), CountryCount)
	}
	seen := map[string]bool{}
	for i, c := range cs {
		if len(c.Code) != 2 || c.Code != strings.ToUpper(c.Code) || c.Name == "" || seen[c.Code] {
			t.Errorf("bad country %+v", c)
		}
		if i > 0 && cs[i-1].Code >= c.Code {
			t.Errorf("countries not sorted at %s", c.Code)
		}
		seen[c.Code] = true
	}
	for code, name := range map[string]string{"US": "United States", "DE": "Germany", "IE": "Ireland", "CN": "China", "GB": "United Kingdom"} {
		if i := slices.IndexFunc(cs, func(c Country) bool { return c.Code == code }); i < 0 || cs[i].Name != name {
			t.Errorf("%s should be %s", code, name)
		}
	}
}

func TestExpect(t *testing.T) {
	cfg := Config{Seed: 3, End: time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC), Size: SizeDemo}
	truth, err := Expect(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !truth.Start.Equal(time.Date(2023, 2, 2, 0, 0, 0, 0, time.UTC)) || truth.Rows != DemoRows {
		t.Errorf("start %v rows %d", truth.Start, truth.Rows)
	}
	if truth.Packages[0] != "boto3" || truth.Packages[HotRank-1] != HotPackage || truth.Packages[DropRank-1] != DropPackage {
		t.Errorf("ranking head %v", truth.Packages[:DropRank])
	}
	for _, e := range truth.Emerging {
		if age := truth.End.Sub(e.FirstDay); age >= EmergingWindowDays*24*time.Hour || age < 0 {
			t.Errorf("emerging %s first day %v", e.Name, e.FirstDay)
		}
		if !truth.FirstSeen[e.Name].Equal(e.FirstDay) {
			t.Errorf("emerging %s first seen mismatch", e.Name)
		}
	}
	for _, r := range truth.Refresh {
		if truth.End.Sub(r.LastRelease) < RefreshMinAgeDays*24*time.Hour-24*time.Hour {
			t.Errorf("refresh %s released %v", r.Name, r.LastRelease)
		}
	}
	if _, err := Expect(Config{End: testEnd()}); err == nil {
		t.Error("Expect accepted an empty size")
	}
}
