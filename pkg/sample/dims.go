package sample

// share is one value of a download dimension with its share of downloads
// at the start and at the end of the trend window; shares in between are
// interpolated linearly, so adoption shifts steadily over time.
type share struct {
	value      string
	start, end float64
}

// trendDays is the window over which dimension shares move, counted back
// from End; older days use the start shares. It is fixed rather than the
// profile's length so every profile shows the same mix on the same day.
const trendDays = 730

// pythonShares moves traffic from 3.8 towards 3.13, with a small, slowly
// shrinking remainder of unknown ("") and 2.7 clients as in real PyPI logs.
func pythonShares() []share {
	return []share{
		{"3.8", 0.20, 0.05},
		{"3.9", 0.22, 0.11},
		{"3.10", 0.22, 0.17},
		{"3.11", 0.17, 0.21},
		{"3.12", 0.08, 0.24},
		{"3.13", 0.005, 0.14},
		{"2.7", 0.015, 0.008},
		{"", 0.035, 0.03},
	}
}

// installerShares keeps pip dominant while uv grows, and includes the
// mirrors and tools that show up in ClickPy's installer breakdown.
func installerShares() []share {
	return []share{
		{"pip", 0.80, 0.66},
		{"uv", 0.015, 0.13},
		{"poetry", 0.05, 0.06},
		{"pdm", 0.004, 0.006},
		{"pipenv", 0.02, 0.013},
		{"bandersnatch", 0.035, 0.03},
		{"requests", 0.025, 0.02},
		{"Browser", 0.012, 0.01},
		{"setuptools", 0.012, 0.006},
		{"z3c.pypimirror", 0.002, 0.002},
		{"Artifactory", 0.015, 0.017},
		{"devpi", 0.003, 0.003},
	}
}

// systemShares is constant: CI and servers make Linux dominant.
func systemShares() []share {
	return []share{
		{"Linux", 0.80, 0.80},
		{"Windows", 0.10, 0.10},
		{"Darwin", 0.065, 0.065},
		{"", 0.035, 0.035},
	}
}

// fileTypeShares is constant: wheels dominate, eggs are nearly gone.
func fileTypeShares() []share {
	return []share{
		{"bdist_wheel", 0.90, 0.90},
		{"sdist", 0.094, 0.094},
		{"bdist_egg", 0.006, 0.006},
	}
}

// countryFloor is every country's minimum share, so each ISO code shows up
// a few dozen times even in the test profile.
const countryFloor = 0.00006

// countryTraffic approximates PyPI's download geography: US dominant
// (cloud CI), then China, Germany, Ireland (AWS eu-west-1) and so on.
// Codes not listed get only countryFloor.
func countryTraffic() map[string]float64 {
	return map[string]float64{
		"US": 0.44, "CN": 0.075, "DE": 0.05, "IE": 0.045, "GB": 0.035, "JP": 0.03, "IN": 0.028,
		"FR": 0.022, "SG": 0.022, "KR": 0.018, "CA": 0.018, "NL": 0.017, "AU": 0.013, "BR": 0.013,
		"HK": 0.012, "SE": 0.009, "CH": 0.009, "RU": 0.009, "FI": 0.008, "PL": 0.008, "IT": 0.008,
		"ES": 0.008, "TW": 0.007, "IL": 0.006, "BE": 0.005, "VN": 0.005, "ID": 0.005, "TR": 0.004,
		"UA": 0.004, "MX": 0.004, "DK": 0.004, "NO": 0.004, "AT": 0.004, "CZ": 0.003, "ZA": 0.003,
		"AR": 0.002, "NZ": 0.002, "TH": 0.002, "MY": 0.002, "PH": 0.002, "PT": 0.002, "RO": 0.002,
		"CL": 0.002, "CO": 0.002, "EG": 0.0015, "PK": 0.0015, "BD": 0.0015, "NG": 0.001, "KE": 0.001,
		"HU": 0.001, "GR": 0.001, "IR": 0.001, "SA": 0.001, "AE": 0.001, "LU": 0.001, "EE": 0.0008,
		"BG": 0.0008, "RS": 0.0008, "HR": 0.0006, "SK": 0.0006, "LT": 0.0006, "SI": 0.0005,
		"PE": 0.0005, "KZ": 0.0005, "BY": 0.0005, "LK": 0.0004, "NP": 0.0004, "MA": 0.0004,
	}
}

func shareValues(s []share) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = v.value
	}
	return out
}

// shareWeights interpolates s at progress u in [0,1].
func shareWeights(s []share, u float64) []float64 {
	w := make([]float64, len(s))
	for i, v := range s {
		w[i] = v.start + (v.end-v.start)*u
	}
	return w
}

// PythonMinors lists the python_minor values the sample emits.
func PythonMinors() []string { return shareValues(pythonShares()) }

// Installers lists the installer values the sample emits.
func Installers() []string { return shareValues(installerShares()) }

// Systems lists the system values the sample emits.
func Systems() []string { return shareValues(systemShares()) }

// FileTypes lists the type values the sample emits.
func FileTypes() []string { return shareValues(fileTypeShares()) }
