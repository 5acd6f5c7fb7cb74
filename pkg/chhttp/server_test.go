package chhttp

import (
	"context"
	"net"
	"testing"
	"time"
)

func TestListenAddr(t *testing.T) {
	for in, want := range map[string]string{
		"":               DefaultAddr,
		":0":             "127.0.0.1:0",
		":8123":          "127.0.0.1:8123",
		"0.0.0.0:8123":   "0.0.0.0:8123",
		"[::]:8123":      "[::]:8123",
		"localhost:8123": "localhost:8123",
	} {
		got, err := ListenAddr(in)
		if err != nil || got != want {
			t.Errorf("ListenAddr(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ListenAddr("8123"); err == nil {
		t.Error("a bare port is not an address")
	}
	for addr, want := range map[string]bool{"0.0.0.0:1": true, "[::]:1": true, "127.0.0.1:1": false, "[::1]:1": false} {
		if AllInterfaces(addr) != want {
			t.Errorf("AllInterfaces(%q) != %v", addr, want)
		}
	}
}

// A host-less :0 binds loopback, not every interface as Go's net.Listen
// would take it.
func TestStartHostlessPortIsLoopback(t *testing.T) {
	ctx := context.Background()
	s, err := Start(ctx, Config{Addr: ":0"}, &fakeEngine{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(ctx)
	host, _, err := net.SplitHostPort(s.Addr())
	if err != nil || host != "127.0.0.1" {
		t.Fatalf("bound %s", s.Addr())
	}
	// And it is loopback only: through another address of this host the
	// port is closed.
	_, port, _ := net.SplitHostPort(s.Addr())
	other := nonLoopbackIPv4(t)
	if other == "" {
		t.Log("no non-loopback IPv4 address on this host; checked the bound address only")
		return
	}
	if c, err := net.DialTimeout("tcp", net.JoinHostPort(other, port), 2*time.Second); err == nil {
		c.Close()
		t.Fatalf("%s:%s accepts connections: the server listens beyond loopback", other, port)
	}
}

func nonLoopbackIPv4(t *testing.T) string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP.String()
		}
	}
	return ""
}
