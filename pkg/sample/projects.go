package sample

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
)

// ProjectRow is one row of the projects table: PyPI distribution metadata
// of one released version. Fields follow the table's columns in order.
type ProjectRow struct {
	MetadataVersion        string
	Name                   string
	Version                string
	Summary                string
	Description            string
	DescriptionContentType string
	Author                 string
	AuthorEmail            string
	Maintainer             string
	MaintainerEmail        string
	License                string
	Keywords               string
	Classifiers            []string
	Platform               []string
	HomePage               string
	DownloadURL            string
	RequiresPython         string
	Requires               []string
	Provides               []string
	Obsoletes              []string
	RequiresDist           []string
	ProvidesDist           []string
	ObsoletesDist          []string
	RequiresExternal       []string
	ProjectURLs            []string
	UploadedVia            string
	UploadTime             time.Time
	Filename               string
	Size                   int64
	Path                   string
	PythonVersion          string
	PackageType            string
	CommentText            string
	HasSignature           bool
	MD5Digest              string
	SHA256Digest           string
	Blake2_256Digest       string
}

// ProjectColumns lists the projects table's columns in the order of
// ProjectRow's fields and Values.
func ProjectColumns() []string {
	return []string{"metadata_version", "name", "version", "summary", "description", "description_content_type",
		"author", "author_email", "maintainer", "maintainer_email", "license", "keywords", "classifiers", "platform",
		"home_page", "download_url", "requires_python", "requires", "provides", "obsoletes", "requires_dist",
		"provides_dist", "obsoletes_dist", "requires_external", "project_urls", "uploaded_via", "upload_time",
		"filename", "size", "path", "python_version", "packagetype", "comment_text", "has_signature",
		"md5_digest", "sha256_digest", "blake2_256_digest"}
}

// Values returns the row's values in ProjectColumns order, typed for
// clickhouse-go (arrays as []string, upload_time as time.Time).
func (r *ProjectRow) Values() []any {
	arr := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	return []any{r.MetadataVersion, r.Name, r.Version, r.Summary, r.Description, r.DescriptionContentType,
		r.Author, r.AuthorEmail, r.Maintainer, r.MaintainerEmail, r.License, r.Keywords, arr(r.Classifiers),
		arr(r.Platform), r.HomePage, r.DownloadURL, r.RequiresPython, arr(r.Requires), arr(r.Provides),
		arr(r.Obsoletes), arr(r.RequiresDist), arr(r.ProvidesDist), arr(r.ObsoletesDist), arr(r.RequiresExternal),
		arr(r.ProjectURLs), r.UploadedVia, r.UploadTime, r.Filename, r.Size, r.Path, r.PythonVersion,
		r.PackageType, r.CommentText, r.HasSignature, r.MD5Digest, r.SHA256Digest, r.Blake2_256Digest}
}

// Projects returns one row per release of every sample package up to End,
// in popularity order and by upload time within a package. Release dates
// match the download data: no version is downloaded before its upload
// day. It depends on Seed and End only, and returns nil for an invalid cfg.
func Projects(cfg Config) []ProjectRow {
	if cfg.Validate() != nil {
		return nil
	}
	end := dayNumber(cfg.End)
	cat := buildCatalog(cfg.Seed, end)
	picker := newDepPicker(cat)
	realReqs := realRequirements()
	designated := designatedRequirements()
	var out []ProjectRow
	for i := range cat {
		p := &cat[i]
		r := newRand(cfg.Seed, p.hash, saltMetadata)
		m := newMetadata(r, p)
		var reqs []string
		switch {
		case designated[p.name] != nil:
			reqs = designated[p.name]
		case p.isReal:
			reqs = realReqs[p.name]
		default:
			reqs = picker.pick(r, i)
		}
		if m.legacyReqs {
			legacy := make([]string, len(reqs))
			for k, q := range reqs {
				legacy[k] = legacyRequirement(q)
			}
			reqs = legacy
		}
		for _, rel := range p.releases {
			out = append(out, m.row(r, p, rel, reqs, end))
		}
	}
	return out
}

// metadata holds what stays the same across a package's releases.
type metadata struct {
	summary, author, email, license, home, keywords string
	urls                                            []string
	legacyReqs                                      bool
	// pyLag delays raising requires_python, as conservative projects do.
	pyLag    int
	noPython bool
	baseSize float64
}

func newMetadata(r *rand.Rand, p *pkg) metadata {
	m := metadata{
		legacyReqs: r.IntN(10) < 3,
		pyLag:      r.IntN(3) * 180,
		noPython:   r.IntN(20) == 0,
		// Wheel sizes are log-uniform between 10 kB and 5 MB.
		baseSize: math.Exp(math.Log(10e3) + r.Float64()*math.Log(500)),
	}
	words := strings.FieldsFunc(p.name, func(c rune) bool { return c == '-' || c == '_' || c == '.' })
	m.keywords = strings.Join(words, ",")
	first, last := personName(r)
	handle := strings.ToLower(first[:1] + last)
	switch {
	case p.head != nil:
		m.summary, m.author, m.license = p.head.summary, p.head.author, p.head.license
		if p.head.repo != "" {
			m.home = "https://github.com/" + p.head.repo
			if m.author == "" {
				// Organisation-run projects often leave author empty on
				// PyPI; the GitHub organisation is what users see instead.
				m.author, _, _ = strings.Cut(p.head.repo, "/")
			}
		}
	case p.isReal:
		m.summary = genericSummary(r, words)
		m.author = first + " " + last
		m.license = pickLicense(r)
	default:
		m.summary = genericSummary(r, words)
		m.author = first + " " + last
		m.email = strings.ToLower(first+"."+last) + "@example.com"
		m.license = pickLicense(r)
	}
	switch {
	case m.home != "":
	case p.head == nil && !p.isReal && p.kind == kindNormal && p.hash%elsewhereOneIn == 0:
		// Some projects live elsewhere than GitHub: no GitHub data.
		m.home = fmt.Sprintf("https://gitlab.com/%s/%s", handle, p.name)
	default:
		m.home = fmt.Sprintf("https://github.com/%s/%s", handle, p.name)
	}
	m.urls = []string{"Homepage, " + m.home, "Source, " + m.home, "Issues, " + m.home + "/issues"}
	return m
}

func personName(r *rand.Rand) (string, string) {
	firsts := []string{"Alice", "Bruno", "Chen", "Dana", "Emeka", "Fatima", "Georg", "Hana", "Igor", "Jia",
		"Kofi", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tomoko", "Uma", "Viktor",
		"Wei", "Ximena", "Yusuf", "Zoe"}
	lasts := []string{"Anderson", "Becker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Hughes",
		"Ivanova", "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Patel", "Rossi", "Schmidt",
		"Tanaka", "Usman", "Varga", "Wang", "Yamada", "Zhang"}
	return firsts[r.IntN(len(firsts))], lasts[r.IntN(len(lasts))]
}

func genericSummary(r *rand.Rand, words []string) string {
	topic := strings.Join(words, " ")
	templates := []string{"A Python library for %s", "%s utilities for Python", "Fast and simple %s toolkit",
		"Lightweight %s client", "Tools for working with %s in Python", "Async-friendly %s helpers"}
	return fmt.Sprintf(templates[r.IntN(len(templates))], topic)
}

func pickLicense(r *rand.Rand) string {
	licenses := []struct {
		id string
		w  float64
	}{{"MIT", 0.40}, {"Apache-2.0", 0.25}, {"BSD-3-Clause", 0.15}, {"BSD-2-Clause", 0.04}, {"MPL-2.0", 0.03},
		{"GPL-3.0-or-later", 0.04}, {"LGPL-3.0-or-later", 0.02}, {"ISC", 0.02}, {"PSF-2.0", 0.01}, {"", 0.04}}
	x := r.Float64()
	for _, l := range licenses {
		if x < l.w {
			return l.id
		}
		x -= l.w
	}
	return "MIT"
}

func licenseClassifier(id string) string {
	switch id {
	case "MIT":
		return "License :: OSI Approved :: MIT License"
	case "Apache-2.0":
		return "License :: OSI Approved :: Apache Software License"
	case "BSD-3-Clause", "BSD-2-Clause":
		return "License :: OSI Approved :: BSD License"
	case "MPL-2.0":
		return "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)"
	case "GPL-3.0-or-later":
		return "License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)"
	case "LGPL-3.0-or-later":
		return "License :: OSI Approved :: GNU Lesser General Public License v3 or later (LGPLv3+)"
	case "ISC":
		return "License :: OSI Approved :: ISC License (ISCL)"
	case "PSF-2.0":
		return "License :: OSI Approved :: Python Software Foundation License"
	}
	return ""
}

// minorsFor returns the lowest supported Python minor of a release made
// age days before End and the newest one it claims.
func minorsFor(age int) (lo, hi int) {
	switch {
	case age > 900:
		return 7, 11
	case age > 400:
		return 8, 12
	}
	return 9, 13
}

func (m *metadata) row(r *rand.Rand, p *pkg, rel release, reqs []string, end int) ProjectRow {
	age := end - rel.day
	lo, hi := minorsFor(age + m.pyLag)
	_, hi = minorsFor(age)
	requiresPython := fmt.Sprintf(">=3.%d", lo)
	if m.noPython {
		requiresPython = ""
	}
	classifiers := []string{"Development Status :: 5 - Production/Stable", "Intended Audience :: Developers"}
	if lc := licenseClassifier(m.license); lc != "" {
		classifiers = append(classifiers, lc)
	}
	classifiers = append(classifiers, "Operating System :: OS Independent", "Programming Language :: Python :: 3")
	for v := lo; v <= hi; v++ {
		classifiers = append(classifiers, fmt.Sprintf("Programming Language :: Python :: 3.%d", v))
	}
	metaVersion := "2.1"
	switch {
	case age < 250:
		metaVersion = "2.4"
	case age < 600:
		metaVersion = "2.3"
	}
	upload := time.UnixMilli(rel.at).UTC()
	wheelName := strings.ReplaceAll(p.name, "-", "_")
	filename := fmt.Sprintf("%s-%s-py3-none-any.whl", wheelName, rel.version)
	id := p.name + "==" + rel.version
	md5sum := md5.Sum([]byte(id))
	sha := sha256.Sum256([]byte(id))
	// blake2 is not in the standard library; a second SHA-256 gives a
	// digest of the right shape, and the sample never verifies files.
	blake := sha256.Sum256([]byte("blake2b-256:" + id))
	blakeHex := hex.EncodeToString(blake[:])
	return ProjectRow{
		MetadataVersion:        metaVersion,
		Name:                   p.name,
		Version:                rel.version,
		Summary:                m.summary,
		Description:            fmt.Sprintf("# %s\n\n%s\n", p.name, m.summary),
		DescriptionContentType: "text/markdown",
		Author:                 m.author,
		AuthorEmail:            m.email,
		License:                m.license,
		Keywords:               m.keywords,
		Classifiers:            classifiers,
		HomePage:               m.home,
		RequiresPython:         requiresPython,
		RequiresDist:           reqs,
		ProjectURLs:            m.urls,
		UploadedVia:            uploader(r, age),
		UploadTime:             upload,
		Filename:               filename,
		Size:                   int64(m.baseSize * (0.9 + 0.2*r.Float64())),
		Path:                   blakeHex[:2] + "/" + blakeHex[2:4] + "/" + blakeHex[4:] + "/" + filename,
		PythonVersion:          "py3",
		PackageType:            "bdist_wheel",
		MD5Digest:              hex.EncodeToString(md5sum[:]),
		SHA256Digest:           hex.EncodeToString(sha[:]),
		Blake2_256Digest:       blakeHex,
	}
}

// uploader mirrors how publishing moved from twine towards uv and trusted
// publishing over the sample's years.
func uploader(r *rand.Rand, age int) string {
	x := r.Float64()
	switch {
	case age > 700:
		if x < 0.8 {
			return "twine/4.0.1"
		}
		return "poetry/1.2.2"
	case age > 300:
		switch {
		case x < 0.7:
			return "twine/5.0.0"
		case x < 0.9:
			return "poetry/1.8.3"
		}
		return "hatch/1.12.0"
	}
	switch {
	case x < 0.55:
		return "twine/6.1.0"
	case x < 0.75:
		return "uv/0.6.14"
	case x < 0.9:
		return "poetry/2.1.2"
	}
	return "hatch/1.14.1"
}
