package bolt_test

import (
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/store/bolt"
	"github.com/fsmbot/fsmbot/framework/store/storetest"
)

func open(t *testing.T, opts framework.StoreOptions) framework.Store {
	s, err := bolt.Open(filepath.Join(t.TempDir(), "fsmbot.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) { storetest.Run(t, open) }

// A bolt file has one owner: both "replicas" are the one Store.
func TestShared(t *testing.T) {
	storetest.RunShared(t, func(t *testing.T) (a, b framework.Store) {
		s := open(t, framework.StoreOptions{})
		return s, s
	})
}

func TestOneOwner(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fsmbot.db")
	s, err := bolt.Open(path, framework.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	second, err := bolt.Open(path, framework.StoreOptions{})
	if err == nil {
		second.Close()
		t.Fatal("second Open of a file in use succeeded")
	}
	if !errors.Is(err, bolt.ErrLocked) {
		t.Errorf("second Open: err = %v, want ErrLocked", err)
	}
	if d := time.Since(start); d > bolt.OpenTimeout+5*time.Second {
		t.Errorf("second Open gave up after %v", d)
	}
	t.Log(err)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := bolt.Open(path, framework.StoreOptions{})
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	again.Close()
}

func TestSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "fsmbot.db")
	room := framework.Room{AppID: "app", RoomID: "room"}
	s, err := bolt.Open(path, framework.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l, err := s.Lock(ctx, room)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"toBotState":"menu"}`)
	if err := s.Save(ctx, l, framework.Session{Vars: map[string]string{"order": "123456"}, UpdatedAt: time.Now()}, "m1", framework.Answer{Body: body}); err != nil {
		t.Fatal(err)
	}
	l.Unlock(ctx)
	before := l.Token()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = bolt.Open(path, framework.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sess, ans, err := s.Load(ctx, room, "m1")
	if err != nil {
		t.Fatal(err)
	}
	if sess.Vars["order"] != "123456" || ans == nil || string(ans.Body) != string(body) {
		t.Fatalf("after reopening: session %v, answer %v", sess.Vars, ans)
	}
	l, err = s.Lock(ctx, room)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Unlock(ctx)
	if l.Token() <= before {
		t.Errorf("token %d after reopening, %d before: tokens must keep growing", l.Token(), before)
	}
	// The lease of the closed Store is no lease of this one.
	old := staleLease{room: room, token: before}
	if err := s.Save(ctx, old, framework.Session{}, "", framework.Answer{}); !errors.Is(err, framework.ErrFenced) {
		t.Errorf("Save with another Store's lease: err = %v, want ErrFenced", err)
	}
}

type staleLease struct {
	room  framework.Room
	token uint64
}

func (l staleLease) Room() framework.Room         { return l.room }
func (l staleLease) Token() uint64                { return l.token }
func (l staleLease) Unlock(context.Context) error { return nil }

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) framework.Store {
		s, err := bolt.Open(filepath.Join(b.TempDir(), "fsmbot.db"), framework.StoreOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	})
}

func TestCloseStopsGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 5 {
		s, err := bolt.Open(filepath.Join(t.TempDir(), "fsmbot.db"), framework.StoreOptions{})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > before; {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines after Close, %d before Open", runtime.NumGoroutine(), before)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
