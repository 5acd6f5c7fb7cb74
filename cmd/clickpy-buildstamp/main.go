// Command clickpy-buildstamp prints the go build -ldflags that stamp a
// command with the version from package.json and the git revision
// (pkg/buildstamp), for builds outside mage:
//
//	go build -ldflags "$(go run ./cmd/clickpy-buildstamp)" ./cmd/clickpy-exporter
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/clickpy/clickpy-grafana/pkg/buildstamp"
)

func main() {
	root := flag.String("root", ".", "module root holding package.json")
	flag.Parse()
	s, err := buildstamp.Read(context.Background(), *root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "clickpy-buildstamp:", err)
		os.Exit(1)
	}
	fmt.Println(s.LDFlags())
}
