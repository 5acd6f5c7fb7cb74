package sample

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
)

// designatedRequirements wire the designated packages into the graph the
// way their real-world kind would be: an LLM toolkit, an old HTTP client
// and new projects building on the hot one.
func designatedRequirements() map[string][]string {
	return map[string][]string{
		HotPackage: {"httpx<1,>=0.27", "pydantic<3,>=2.7", "tiktoken>=0.7", "numpy>=1.26", "tenacity>=8.2",
			`openai>=1.40; extra == "openai"`},
		DropPackage:     {"urllib3<2,>=1.25", "certifi", "six>=1.12", `chardet<5,>=3; python_version < "3.8"`},
		"agentflow":     {"llmkit>=0.10", "pydantic>=2.7", "httpx>=0.27", `rich>=13; extra == "cli"`},
		"mcp-toolbox":   {"pydantic>=2.8", "anyio>=4.5", "httpx>=0.27", "starlette>=0.40", "uvicorn>=0.31"},
		"ragstack":      {"numpy>=1.26", "llmkit>=0.11", "tiktoken>=0.7", `pyarrow>=15; extra == "arrow"`},
		"vecstore-lite": {"numpy>=1.26", "pyarrow>=16"},
		"polars-geo":    {"polars>=1.0", "shapely>=2.0", `pyproj>=3.6; extra == "crs"`},
		"tokenwise":     {"regex>=2024.4", "tiktoken>=0.7"},
	}
}

// RequirementName returns the normalized project name a PEP 508
// requirement string refers to ("PySocks (!=1.5.7) ; extra == 'socks'"
// gives "pysocks"), for tests walking the requires_dist graph.
func RequirementName(req string) string {
	end := strings.IndexAny(req, " ([<>=!~;@")
	if end < 0 {
		end = len(req)
	}
	return NormalizeName(req[:end])
}

// NormalizeName applies PEP 503 normalization, as ClickPy's tables spell
// project names.
func NormalizeName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer("_", "-", ".", "-").Replace(s)
}

// legacyRequirement rewrites "name[extra]<3,>=1; marker" in the older
// metadata form "name[extra] (<3,>=1) ; marker" that setuptools used to
// write, so the sample holds both spellings as real PyPI data does.
func legacyRequirement(req string) string {
	marker := ""
	if i := strings.Index(req, ";"); i >= 0 {
		req, marker = strings.TrimSpace(req[:i]), strings.TrimSpace(req[i+1:])
	}
	end := strings.IndexAny(req, "<>=!~")
	name, spec := req, ""
	if end >= 0 {
		name, spec = req[:end], req[end:]
	}
	out := name
	if spec != "" {
		out += " (" + spec + ")"
	}
	if marker != "" {
		out += " ; " + marker
	}
	return out
}

// syntheticExtras name optional dependency groups of synthetic packages.
func syntheticExtras() []string { return []string{"dev", "test", "docs", "all", "async", "cli"} }

// depPicker draws dependencies for synthetic packages among more popular
// ones, with probability growing with popularity like real dependency
// graphs (everybody needs requests, few need a niche plugin).
type depPicker struct {
	cum  []float64 // cumulative weight by rank index
	cat  []pkg
	skip map[int]bool // indexes never depended on by the long tail
}

func newDepPicker(cat []pkg) *depPicker {
	dp := &depPicker{cum: make([]float64, len(cat)), cat: cat, skip: map[int]bool{}}
	var total float64
	for i := range cat {
		if cat[i].kind == kindHot || cat[i].kind == kindDrop || cat[i].kind == kindEmerging {
			// Packages that appear late or collapse would make older
			// dependents look broken.
			dp.skip[i] = true
		} else {
			total += zipfWeight(cat[i].rank)
		}
		dp.cum[i] = total
	}
	return dp
}

// pick returns requires_dist entries for the package at index i.
func (dp *depPicker) pick(r *rand.Rand, i int) []string {
	if i == 0 {
		return nil
	}
	counts := []float64{0.15, 0.25, 0.25, 0.20, 0.10, 0.05}
	n, x := 0, r.Float64()
	for n < len(counts)-1 && x >= counts[n] {
		x -= counts[n]
		n++
	}
	chosen := map[int]bool{}
	var out []string
	for tries := 0; len(out) < n && tries < 4*n; tries++ {
		limit := dp.cum[i-1]
		j := sort.SearchFloat64s(dp.cum[:i], r.Float64()*limit)
		if j >= i || dp.skip[j] || chosen[j] {
			continue
		}
		chosen[j] = true
		out = append(out, dp.requirement(r, &dp.cat[j]))
	}
	return out
}

func (dp *depPicker) requirement(r *rand.Rand, dep *pkg) string {
	parts := strings.Split(dep.releases[0].version, ".")
	lower := parts[0]
	if len(parts) > 1 {
		lower += "." + parts[1]
	}
	spec := ">=" + lower
	if major := parts[0]; len(major) < 4 && major != "0" && r.IntN(4) == 0 {
		var m int
		fmt.Sscanf(major, "%d", &m)
		spec = fmt.Sprintf("<%d,%s", m+1, spec)
	}
	req := dep.name + spec
	switch x := r.Float64(); {
	case x < 0.10:
		req += `; python_version < "3.11"`
	case x < 0.18:
		extras := syntheticExtras()
		req += fmt.Sprintf(`; extra == "%s"`, extras[r.IntN(len(extras))])
	}
	return req
}
