package chhttp

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"

	"github.com/clickpy/clickpy-grafana/pkg/embedded"
)

// User is an account of the HTTP interface.
type User struct {
	Name     string
	Password string
	// ReadOnly users may only run SELECT, WITH, SHOW, DESCRIBE, DESC,
	// EXISTS and EXPLAIN.
	ReadOnly bool
	// Profile holds settings every query of the user runs with, as a
	// ClickHouse settings profile does.
	Profile []embedded.Setting
	// Fixed names profile settings the user may not change (a CONST
	// constraint): how public demo servers, the public ClickPy instance
	// among them, cap what anyone may read.
	Fixed []string
	// Locked users may not change any setting to another value than their
	// profile's, as with ClickHouse's readonly=1.
	Locked bool
}

// settingsFor is what a request's settings become for u: the profile's,
// overridden by the request's, which a locked user may only repeat.
func settingsFor(u User, requested []embedded.Setting) ([]embedded.Setting, error) {
	if len(u.Profile) == 0 && !u.Locked && len(u.Fixed) == 0 {
		return requested, nil
	}
	out := append([]embedded.Setting(nil), u.Profile...)
	for _, s := range requested {
		i := slices.IndexFunc(out, func(p embedded.Setting) bool { return p.Name == s.Name })
		switch {
		case i >= 0 && out[i].Value == s.Value, u.Locked && s.Name == "readonly" && s.Value == "1":
		case u.Locked:
			return nil, embedded.NewException(embedded.CodeReadonly, "Cannot modify '%s' setting in readonly mode", s.Name)
		case slices.Contains(u.Fixed, s.Name):
			return nil, embedded.NewException(embedded.CodeSettingConstraintViolation, "Setting %s should not be changed", s.Name)
		case i >= 0:
			out[i] = s
		default:
			out = append(out, s)
		}
	}
	return out, nil
}

// defaultUserName is who a request without credentials is, as in ClickHouse.
const defaultUserName = "default"

// authenticate finds the request's user from X-ClickHouse-User/-Key headers,
// HTTP basic auth or user/password URL parameters; like ClickHouse it
// refuses a mix of those.
func authenticate(r *http.Request, q url.Values, users map[string]User) (User, error) {
	hName, hKey := r.Header.Get("X-ClickHouse-User"), r.Header.Get("X-ClickHouse-Key")
	hasHeaders := hName != "" || hKey != ""
	bName, bPass, hasBasic := r.BasicAuth()
	hasParams := q.Has("user") || q.Has("password")

	name, pass := defaultUserName, ""
	switch {
	case hasHeaders && (hasBasic || hasParams):
		return User{}, embedded.NewException(embedded.CodeAuthenticationFailed,
			"Invalid authentication: it is not allowed to use X-ClickHouse HTTP headers and other authentication methods simultaneously")
	case hasBasic && hasParams:
		return User{}, embedded.NewException(embedded.CodeAuthenticationFailed,
			"Invalid authentication: it is not allowed to use Authorization HTTP header and authentication via parameters simultaneously")
	case hasHeaders:
		name, pass = hName, hKey
	case hasBasic:
		name, pass = bName, bPass
	case hasParams:
		name, pass = q.Get("user"), q.Get("password")
	}
	if name == "" {
		name = defaultUserName
	}
	u, ok := users[name]
	// Compare even for unknown users so timing tells nothing about names.
	match := subtle.ConstantTimeCompare([]byte(u.Password), []byte(pass)) == 1
	if !ok || !match {
		return User{}, embedded.NewException(embedded.CodeAuthenticationFailed,
			"%s: Authentication failed: password is incorrect, or there is no user with such name", name)
	}
	return u, nil
}

func userMap(users []User) map[string]User {
	if len(users) == 0 {
		users = []User{{Name: defaultUserName}}
	}
	m := make(map[string]User, len(users))
	for _, u := range users {
		m[u.Name] = u
	}
	return m
}
