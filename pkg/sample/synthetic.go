package sample

import (
	"math/rand/v2"
	"strings"
)

// syntheticSeed fixes the long tail's names independently of Config.Seed,
// so tests and dashboards can name any sample package for every seed.
const syntheticSeed = 0x5eed_c11c_b7f0_0001

func syntheticParts() (prefixes, stems, suffixes []string) {
	prefixes = []string{"py", "fast", "django-", "flask-", "aio", "pytest-", "sphinx-", "mkdocs-", "types-",
		"open", "data", "ml", "geo", "cloud", "json", "yaml", "http", "async", "micro", "tiny", "easy",
		"smart", "deep", "auto", "simple", "super", "", "", "", ""}
	stems = []string{"cache", "queue", "graph", "parse", "stream", "vector", "tensor", "frame", "table",
		"config", "schema", "token", "crypto", "hash", "metric", "trace", "log", "plot", "image", "audio",
		"text", "lang", "chat", "agent", "task", "flow", "pipe", "sync", "mail", "sql", "query", "store",
		"blob", "grid", "mesh", "net", "socket", "auth", "vault", "secret", "lint", "fmt", "mock", "bench",
		"doc", "cli", "tui", "web", "api", "rpc", "proto", "map", "time", "date", "cron", "retry", "rate",
		"pool", "batch", "shard", "embed", "index", "search", "rank", "form", "view", "route", "serial",
		"pack", "zip", "parquet", "csv", "excel", "pdf", "ocr", "kafka", "redis", "mongo", "s3", "gcs",
		"k8s", "docker", "terra", "ansible", "notify", "slack", "stripe", "oauth", "jwt", "ldap", "saml"}
	suffixes = []string{"", "", "", "s", "-lib", "-py", "-tools", "-kit", "-utils", "-client", "-sdk",
		"-core", "lite", "-plus", "ify", "er", "x", "-io", "-cli", "ly", "-extras", "-helpers"}
	return prefixes, stems, suffixes
}

// syntheticNames returns n plausible, distinct project names not in taken.
func syntheticNames(n int, taken map[string]bool) []string {
	prefixes, stems, suffixes := syntheticParts()
	r := rand.New(rand.NewPCG(syntheticSeed, syntheticSeed^0xffff))
	out := make([]string, 0, n)
	seen := make(map[string]bool, n)
	for len(out) < n {
		name := prefixes[r.IntN(len(prefixes))] + stems[r.IntN(len(stems))]
		if r.IntN(4) == 0 {
			// Two stems read like many real names (streamcache, authflow).
			name += stems[r.IntN(len(stems))]
		}
		name += suffixes[r.IntN(len(suffixes))]
		name = strings.Trim(strings.ReplaceAll(name, "--", "-"), "-")
		if len(name) < 3 || taken[name] || seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, name)
	}
	return out
}
