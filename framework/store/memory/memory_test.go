package memory_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/store/memory"
	"github.com/fsmbot/fsmbot/framework/store/storetest"
)

func open(t *testing.T, opts framework.StoreOptions) framework.Store {
	s := memory.New(opts)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) { storetest.Run(t, open) }

func TestShared(t *testing.T) {
	storetest.RunShared(t, func(t *testing.T) (a, b framework.Store) {
		s := open(t, framework.StoreOptions{})
		return s, s
	})
}

func TestSweepAndForget(t *testing.T) {
	clock := storetest.NewClock()
	s := memory.New(framework.StoreOptions{Now: clock.Now, SessionTTL: time.Hour, DedupeWindow: time.Minute})
	defer s.Close()
	ctx := context.Background()
	for i := range 100 {
		r := framework.Room{AppID: "a", RoomID: string(rune('A' + i))}
		l, err := s.Lock(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Save(ctx, l, framework.Session{Vars: map[string]string{"k": "v"}}, "m", framework.Answer{Body: []byte("b")}); err != nil {
			t.Fatal(err)
		}
		l.Unlock(ctx)
	}
	if sessions, answers, locks := s.Len(); sessions != 100 || answers != 100 || locks != 0 {
		t.Fatalf("Len = %d sessions, %d answers, %d locks; want 100, 100, 0 (locks dropped when unused)", sessions, answers, locks)
	}
	clock.Advance(2 * time.Minute)
	if n := s.Sweep(); n != 100 {
		t.Errorf("Sweep past the dedupe window dropped %d, want the 100 answers", n)
	}
	clock.Advance(time.Hour)
	if n := s.Sweep(); n != 100 {
		t.Errorf("Sweep past the session TTL dropped %d, want the 100 sessions", n)
	}
	if sessions, answers, _ := s.Len(); sessions != 0 || answers != 0 {
		t.Errorf("after sweeping: %d sessions, %d answers", sessions, answers)
	}
}

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B) framework.Store {
		s := memory.New(framework.StoreOptions{})
		b.Cleanup(func() { s.Close() })
		return s
	})
}

func TestCloseStopsGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 10 {
		memory.New(framework.StoreOptions{}).Close()
	}
	for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > before; {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines after Close, %d before Open", runtime.NumGoroutine(), before)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
