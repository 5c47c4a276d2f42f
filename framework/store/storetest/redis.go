package storetest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// RedisServer is a throwaway redis-server for tests: on a free loopback
// port, without persistence, in a temporary directory.
type RedisServer struct {
	// Addr is host:port; URL is the same as redis://host:port, as REDIS_URL
	// and package redis's Open take it.
	Addr, URL string

	stop func()
}

// StartRedisServer starts a redis-server and waits until it answers PING.
// It fails when there is no redis-server on PATH. Stop it with Stop.
func StartRedisServer() (*RedisServer, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, fmt.Errorf("redis-server not found: %w", err)
	}
	// The port is free when chosen, and may be taken before redis-server
	// binds it: try again with another.
	for attempt := 1; ; attempt++ {
		s, err := startRedis(bin)
		if err == nil || attempt == 3 {
			return s, err
		}
	}
}

func startRedis(bin string) (*RedisServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	dir, err := os.MkdirTemp("", "fsmbot-redis-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", dir)
	var out lockedBuilder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cmd.Process.Kill()
			<-exited
			os.RemoveAll(dir)
		})
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := ping(addr)
		if err == nil {
			return &RedisServer{Addr: addr, URL: "redis://" + addr, stop: stop}, nil
		}
		select {
		case werr := <-exited:
			exited <- werr
			stop()
			return nil, fmt.Errorf("redis-server exited: %v\n%s", werr, out.String())
		default:
		}
		if time.Now().After(deadline) {
			stop()
			return nil, fmt.Errorf("redis-server on %s did not answer PING: %v\n%s", addr, err, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop kills the server and removes its directory. Stopping twice is
// harmless.
func (s *RedisServer) Stop() { s.stop() }

// ping sends PING in the Redis protocol and expects PONG.
func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("*1\r\n$4\r\nPING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "+PONG" {
		return fmt.Errorf("PING answered %q", strings.TrimSpace(line))
	}
	return nil
}

// StartRedis starts a redis-server for tb, stopped when tb ends, and
// returns its URL (redis://127.0.0.1:PORT). Without redis-server on PATH
// it skips tb, except on CI (CI=true), where it fails it.
func StartRedis(tb testing.TB) string {
	tb.Helper()
	s, err := StartRedisServer()
	if err != nil {
		SkipWithoutRedis(tb, err)
	}
	tb.Cleanup(s.Stop)
	return s.URL
}

// SkipWithoutRedis skips tb because no Redis could be started (err says
// why), or fails it when CI=true: CI installs redis-server, and a test that
// silently skips there tests nothing.
func SkipWithoutRedis(tb testing.TB, err error) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("CI=true and no Redis to test with: %v", err)
	}
	tb.Skipf("no Redis to test with: %v", err)
}

// lockedBuilder collects a process's output, written by exec's copying
// goroutines and read by the caller.
type lockedBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuilder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuilder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
