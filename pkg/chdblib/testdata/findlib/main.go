// Command findlib opens the embedded engine and prints the answer to a
// query: it only works when chdblib found libchdb.so before chdb-go's init.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/clickpy/clickpy-grafana/pkg/embedded"
)

func main() {
	dir, err := os.MkdirTemp("", "findlib-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer os.RemoveAll(dir)
	eng, err := embedded.Open(context.Background(), dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer eng.Close()
	res, err := eng.Query(context.Background(), embedded.Request{Query: "SELECT 40 + 2"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%s%s\n", res.Data, os.Getenv("CHDB_LIB_PATH"))
}
