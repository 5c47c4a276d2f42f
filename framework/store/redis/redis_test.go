package redis_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/store/redis"
	"github.com/fsmbot/fsmbot/framework/store/storetest"
)

// server is the address of the redis-server TestMain started, or why there
// is none.
var (
	server    string
	serverErr error
)

func TestMain(m *testing.M) {
	rs, err := storetest.StartRedisServer()
	if err != nil {
		serverErr = err
	} else {
		server = rs.Addr
	}
	code := m.Run()
	if rs != nil {
		rs.Stop()
	}
	os.Exit(code)
}

// needRedis skips the test when there is no redis-server, except on CI
// (CI=true), where a missing server fails it.
func needRedis(tb testing.TB) {
	tb.Helper()
	if serverErr != nil {
		storetest.SkipWithoutRedis(tb, serverErr)
	}
}

var prefixes atomic.Int64

// newClient is a client of the test server, closed at cleanup.
func newClient(tb testing.TB) *goredis.Client {
	needRedis(tb)
	c := goredis.NewClient(&goredis.Options{Addr: server, PoolSize: 64})
	tb.Cleanup(func() { c.Close() })
	return c
}

// newPrefix is a key prefix no other store of the test run uses: a new,
// empty store.
func newPrefix() string { return fmt.Sprintf("t%d:", prefixes.Add(1)) }

func open(t *testing.T, opts framework.StoreOptions) framework.Store {
	s := redis.New(newClient(t), opts, newPrefix())
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	needRedis(t)
	storetest.Run(t, open)
}

// Two replicas: two clients, two Stores, one Redis.
func TestShared(t *testing.T) {
	needRedis(t)
	storetest.RunShared(t, func(t *testing.T) (a, b framework.Store) {
		prefix := newPrefix()
		sa := redis.New(newClient(t), framework.StoreOptions{}, prefix)
		sb := redis.New(newClient(t), framework.StoreOptions{}, prefix)
		t.Cleanup(func() { sa.Close(); sb.Close() })
		return sa, sb
	})
}

// A replica stalls past its lease: another replica takes the room, and the
// stalled one's Save is fenced.
func TestFencingAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	prefix := newPrefix()
	opts := framework.StoreOptions{LockTTL: 150 * time.Millisecond}
	a := redis.New(newClient(t), opts, prefix)
	b := redis.New(newClient(t), opts, prefix)
	defer a.Close()
	defer b.Close()
	room := framework.Room{AppID: "app", RoomID: "room"}

	la, err := a.Lock(ctx, room)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // a stalls past its lease
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	lb, err := b.Lock(wctx, room)
	if err != nil {
		t.Fatalf("Lock after the lease lapsed: %v", err)
	}
	if lb.Token() <= la.Token() {
		t.Errorf("token %d after %d", lb.Token(), la.Token())
	}
	err = a.Save(ctx, la, framework.Session{Vars: map[string]string{"v": "a"}}, "m-a", framework.Answer{Body: []byte("a")})
	if !errors.Is(err, framework.ErrFenced) {
		t.Fatalf("stalled replica's Save: err = %v, want ErrFenced", err)
	}
	if err := la.Unlock(ctx); err != nil { // must not free b's lease
		t.Fatal(err)
	}
	sctx, cancel2 := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel2()
	if _, err := a.Lock(sctx, room); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Lock while b holds the room: %v", err)
	}
	if err := b.Save(ctx, lb, framework.Session{Vars: map[string]string{"v": "b"}}, "m-b", framework.Answer{Body: []byte("b")}); err != nil {
		t.Fatalf("newest lease's Save: %v", err)
	}
	lb.Unlock(ctx)
	sess, ans, err := a.Load(ctx, room, "m-a")
	if err != nil {
		t.Fatal(err)
	}
	if sess.Vars["v"] != "b" || ans != nil {
		t.Fatalf("after the fenced Save: session %v, answer %v", sess.Vars, ans)
	}
}

// A room's keys share one hash tag, and expire; its fence counter, once
// expired, restarts above every token it gave.
func TestKeys(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	prefix := newPrefix()
	s := redis.New(client, framework.StoreOptions{}, prefix)
	defer s.Close()
	room := framework.Room{AppID: "a:{b}", RoomID: "c%d\x00}"}
	l, err := s.Lock(ctx, room)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, l, framework.Session{}, "m{1}", framework.Answer{Body: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	keys, err := client.Keys(ctx, prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 4 {
		t.Fatalf("keys %q, want fence, lock, session and answer", keys)
	}
	tag := func(k string) string {
		i := strings.IndexByte(k, '{')
		j := strings.IndexByte(k[i+1:], '}')
		return k[i+1 : i+1+j]
	}
	for _, k := range keys {
		if tag(k) != tag(keys[0]) {
			t.Errorf("keys %q and %q have different hash tags", k, keys[0])
		}
		if ttl, err := client.PTTL(ctx, k).Result(); err != nil || ttl <= 0 {
			t.Errorf("key %q: TTL %v, %v; every key must expire", k, ttl, err)
		}
	}
	l.Unlock(ctx)

	first := l.Token()
	for _, k := range keys {
		client.Del(ctx, k) // as if they had all expired
	}
	l, err = s.Lock(ctx, room)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Unlock(ctx)
	if l.Token() <= first {
		t.Errorf("token %d after the fence expired, %d before", l.Token(), first)
	}
}

func TestOpen(t *testing.T) {
	needRedis(t)
	s, err := redis.Open("redis://"+server+"/3", framework.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	room := framework.Room{AppID: "app", RoomID: "open"}
	l, err := s.Lock(ctx, room)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, l, framework.Session{Vars: map[string]string{"k": "v"}}, "", framework.Answer{}); err != nil {
		t.Fatal(err)
	}
	if err := l.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := redis.Open("http://nope", framework.StoreOptions{}); err == nil {
		t.Error("Open of a URL that is no Redis URL succeeded")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	if _, err := redis.Open("redis://"+addr, framework.StoreOptions{}); err == nil {
		t.Error("Open of a Redis that is not there succeeded")
	}
}

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) framework.Store {
		s := redis.New(newClient(b), framework.StoreOptions{}, newPrefix())
		b.Cleanup(func() { s.Close() })
		return s
	})
}
