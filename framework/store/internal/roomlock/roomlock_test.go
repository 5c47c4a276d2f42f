package roomlock

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsmbot/fsmbot/framework"
)

func newManager(ttl time.Duration) *Manager {
	var n atomic.Uint64
	return New(ttl, func() uint64 { return n.Add(1) })
}

var room = framework.Room{AppID: "a", RoomID: "r"}

func TestFIFO(t *testing.T) {
	m := newManager(time.Minute)
	first, err := m.Lock(context.Background(), room)
	if err != nil {
		t.Fatal(err)
	}
	order := make(chan int, 10)
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			tok, err := m.Lock(context.Background(), room)
			if err != nil {
				t.Error(err)
				return
			}
			order <- i
			m.Unlock(room, tok)
		})
		// Let waiter i queue before waiter i+1.
		for deadline := time.Now().Add(5 * time.Second); m.waiting(room) != i+1; {
			if time.Now().After(deadline) {
				t.Fatalf("waiter %d did not queue", i)
			}
			time.Sleep(time.Millisecond)
		}
	}
	m.Unlock(room, first)
	for want := range 10 {
		if got := <-order; got != want {
			t.Fatalf("waiter %d got the room in turn %d", got, want)
		}
	}
	wg.Wait() // the last waiter reports its turn before it unlocks
	if m.Len() != 0 {
		t.Errorf("%d rooms kept after every lease ended", m.Len())
	}
}

func TestPinHoldsOffExpiry(t *testing.T) {
	m := newManager(50 * time.Millisecond)
	a, _ := m.Lock(context.Background(), room)
	if v := m.Pin(room, a); v != Current {
		t.Fatalf("Pin of the newest lease: %v", v)
	}
	got := make(chan uint64, 1)
	go func() {
		tok, _ := m.Lock(context.Background(), room)
		got <- tok
	}()
	select {
	case <-got:
		t.Fatal("a pinned lease was overtaken")
	case <-time.After(150 * time.Millisecond):
	}
	m.Unpin(room)
	var b uint64
	select {
	case b = <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("the lapsed lease was not overtaken after Unpin")
	}
	if v := m.Pin(room, a); v != Stale {
		t.Errorf("Pin of an overtaken lease: %v", v)
	}
	m.Unlock(room, a) // no effect: b holds the room
	if v := m.Pin(room, b); v != Current {
		t.Errorf("Pin of b: %v", v)
	}
	m.Unpin(room)
	m.Unlock(room, b)
	if v := m.Pin(room, b); v != Unknown {
		t.Errorf("Pin of a lease whose room was forgotten: %v", v)
	}
	m.Unpin(room)
	if m.Len() != 0 {
		t.Errorf("%d rooms kept", m.Len())
	}
}

func TestCancelAndClose(t *testing.T) {
	m := newManager(time.Minute)
	a, _ := m.Lock(context.Background(), room)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := m.Lock(ctx, room); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if n := m.waiting(room); n != 0 {
		t.Fatalf("%d waiters left after a canceled Lock", n)
	}
	errc := make(chan error, 1)
	go func() {
		_, err := m.Lock(context.Background(), room)
		errc <- err
	}()
	time.Sleep(10 * time.Millisecond)
	m.Close()
	if err := <-errc; !errors.Is(err, framework.ErrClosed) {
		t.Fatalf("waiting Lock through Close: %v", err)
	}
	m.Unlock(room, a)
	if m.Len() != 0 {
		t.Errorf("%d rooms kept", m.Len())
	}
	if _, err := m.Lock(context.Background(), room); !errors.Is(err, framework.ErrClosed) {
		t.Fatalf("Lock after Close: %v", err)
	}
}

func (m *Manager) waiting(r framework.Room) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e := m.rooms[r]; e != nil {
		return e.waiters.Len()
	}
	return 0
}

// A lease holds its own manager's room, and a store never takes another
// store's lease for its own.
func TestLease(t *testing.T) {
	m, other := newManager(time.Minute), newManager(time.Minute)
	l, err := m.Acquire(context.Background(), room)
	if err != nil {
		t.Fatal(err)
	}
	if l.Room() != room || l.Token() == 0 {
		t.Fatalf("lease of %v with token %d", l.Room(), l.Token())
	}
	if _, ok := m.Owns(l); !ok {
		t.Fatal("a manager does not own its own lease")
	}
	if _, ok := other.Owns(l); ok {
		t.Fatal("a manager owns another's lease")
	}
	if err := l.Unlock(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := m.Acquire(ctx, room); err != nil {
		t.Fatalf("the room was not freed by Unlock: %v", err)
	}
}
