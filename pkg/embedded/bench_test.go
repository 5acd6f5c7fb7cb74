package embedded

import (
	"context"
	"strconv"
	"testing"
)

// BenchmarkQuery is a trivial query's cost on each path: a user with host
// access skips the statement checks, an admin without it and a readonly=2
// request (the plugin's) pass them, paying formatQuery's round trip the
// first time a text is seen (uncached: a new text every time).
func BenchmarkQuery(b *testing.B) {
	e := sharedEngine
	ctx := context.Background()
	for _, c := range []struct {
		name string
		req  Request
	}{
		{"unchecked", Request{HostAccess: true}},
		{"checked", Request{}},
		{"readonly2", Request{Settings: []Setting{{"readonly", "2"}}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			req := c.req
			req.Query = "SELECT 1"
			for b.Loop() {
				if _, err := e.Query(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("checked-uncached", func(b *testing.B) {
		n := 0
		for b.Loop() {
			n++
			if _, err := e.Query(ctx, Request{Query: "SELECT " + strconv.Itoa(n)}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
