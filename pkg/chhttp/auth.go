package chhttp

import (
	"crypto/subtle"
	"net/http"
	"net/url"

	"github.com/clickpy/clickpy-grafana/pkg/embedded"
)

// User is an account of the HTTP interface.
type User struct {
	Name     string
	Password string
	// Profile is the user's settings profile: its readonly level (1 reads
	// and changes no setting, 2 reads and changes settings but readonly),
	// the settings every query starts with, and which of them are
	// constant (CONST constraints: how public demo servers, the public
	// ClickPy instance among them, cap what anyone may read). The engine
	// enforces it, with the request's own settings checked against it.
	Profile embedded.Profile
	// HostAccess lets the user's queries read the host's files and reach
	// the network (file(), url(), remote(), File engines, ...). Leave it to
	// an administrator: with it, a query can read the server's environment
	// and command line.
	HostAccess bool
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
