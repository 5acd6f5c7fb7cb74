package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"sync"
	"testing"
	"time"
)

// syncBuffer collects the exporter's log while it runs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// exporterRun is an exporter started in-process by run, as main would.
type exporterRun struct {
	addr string
	logs *syncBuffer
	stop func() int
}

// startExporter runs the exporter with args (listening on a free loopback
// port) and env as its environment, and waits until it listens.
func startExporter(t *testing.T, args []string, env map[string]string) *exporterRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	code := make(chan int, 1)
	args = append([]string{"--web.listen-address=127.0.0.1:0"}, args...)
	go func() { code <- run(ctx, args, io.Discard, logs, func(k string) string { return env[k] }) }()
	listening := regexp.MustCompile(`msg="Listening on" address=(\S+)`)
	deadline := time.Now().Add(20 * time.Second)
	for {
		if m := listening.FindStringSubmatch(logs.String()); m != nil {
			once := sync.OnceValue(func() int { cancel(); return <-code })
			e := &exporterRun{addr: m[1], logs: logs, stop: once}
			t.Cleanup(func() { once() })
			return e
		}
		select {
		case c := <-code:
			cancel()
			t.Fatalf("exporter exited with %d before listening:\n%s", c, logs)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("exporter not listening after 20s:\n%s", logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// get fetches a URL, optionally with basic auth, and returns status and body.
func get(t *testing.T, url string, auth ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(auth) == 2 {
		req.SetBasicAuth(auth[0], auth[1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, string(body)
}
