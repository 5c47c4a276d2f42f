// Package roomlock is the in-process room lock the stores share: one FIFO
// queue per room, created on demand and dropped as soon as nobody holds or
// waits for the room, leases that lapse after a TTL so that a stalled holder
// cannot keep its room forever, and pins that keep a lease from being
// overtaken while its save is being committed.
package roomlock

import (
	"container/list"
	"context"
	"sync"
	"time"

	"github.com/fsmbot/fsmbot/framework"
)

// Manager holds the rooms' locks of one process.
type Manager struct {
	ttl  time.Duration
	next func() uint64 // token source: strictly increasing

	mu     sync.Mutex
	rooms  map[framework.Room]*entry
	closed bool
	done   chan struct{}
}

type entry struct {
	room     framework.Room
	holder   uint64    // token of the lease holding the room; 0: free
	newest   uint64    // token of the room's newest lease; 0: unknown
	deadline time.Time // when holder's lease lapses (monotonic clock)
	saving   int       // pins: saves being committed
	waiters  list.List // of *waiter, FIFO
	timer    *time.Timer
}

type waiter struct {
	granted chan uint64
	elem    *list.Element
}

// New returns a Manager whose leases lapse after ttl; next hands out the
// tokens, each larger than every one before it.
func New(ttl time.Duration, next func() uint64) *Manager {
	return &Manager{ttl: ttl, next: next, rooms: map[framework.Room]*entry{}, done: make(chan struct{})}
}

// Lock waits, in arrival order, until room is free, its holder's lease has
// lapsed, ctx ends or the Manager is closed, and returns the new lease's
// token.
func (m *Manager) Lock(ctx context.Context, room framework.Room) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return 0, framework.ErrClosed
	}
	e := m.rooms[room]
	if e == nil {
		e = &entry{room: room}
		m.rooms[room] = e
	}
	now := time.Now()
	if e.waiters.Len() == 0 && e.free(now) {
		tok := m.grant(e, now)
		m.mu.Unlock()
		return tok, nil
	}
	w := &waiter{granted: make(chan uint64, 1)}
	w.elem = e.waiters.PushBack(w)
	m.arm(e, now)
	m.mu.Unlock()

	var err error
	select {
	case tok := <-w.granted:
		return tok, nil
	case <-ctx.Done():
		err = ctx.Err()
	case <-m.done:
		err = framework.ErrClosed
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	select {
	case tok := <-w.granted: // granted while giving up: pass it on
		if e.holder == tok {
			e.holder = 0
		}
	default:
		e.waiters.Remove(w.elem)
	}
	m.dispatch(e)
	return 0, err
}

// Unlock ends the lease tok of room, if it still holds the room; otherwise
// (unlocked before, or overtaken) it does nothing.
func (m *Manager) Unlock(room framework.Room, tok uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.rooms[room]
	if e == nil || e.holder != tok || tok == 0 {
		return
	}
	e.holder = 0
	m.dispatch(e)
}

// Verdict is what Pin found out about a lease.
type Verdict int

const (
	// Stale: a newer lease of the room was granted. Nothing is pinned.
	Stale Verdict = iota
	// Current: the lease is the room's newest; no newer one is granted
	// until Unpin.
	Current
	// Unknown: the room has no lease in this process (the lease was
	// unlocked and forgotten); the caller must check its own record of the
	// room's last saving token. No lease is granted until Unpin.
	Unknown
)

// Pin checks that lease tok is still room's newest and, unless it is Stale,
// holds off any newer lease of the room until Unpin, so that a save checked
// against the lease cannot land after a newer turn has loaded the room.
func (m *Manager) Pin(room framework.Room, tok uint64) Verdict {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.rooms[room]
	if e == nil {
		e = &entry{room: room}
		m.rooms[room] = e
	}
	switch {
	case e.newest == 0:
		e.saving++
		return Unknown
	case e.newest == tok:
		e.saving++
		return Current
	default:
		return Stale
	}
}

// Unpin undoes a Pin that was not Stale.
func (m *Manager) Unpin(room framework.Room) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e := m.rooms[room]; e != nil && e.saving > 0 {
		e.saving--
		m.dispatch(e)
	}
}

// Len is the number of rooms the Manager keeps: held, waited for or pinned.
func (m *Manager) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.rooms)
}

// Close makes every waiting and later Lock fail with framework.ErrClosed.
func (m *Manager) Close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return
	}
	m.closed = true
	close(m.done)
	for _, e := range m.rooms {
		if e.timer != nil {
			e.timer.Stop()
		}
	}
}

// free tells whether a lease of e can be granted now.
func (e *entry) free(now time.Time) bool {
	return e.saving == 0 && (e.holder == 0 || !now.Before(e.deadline))
}

func (m *Manager) grant(e *entry, now time.Time) uint64 {
	tok := m.next()
	e.holder, e.newest, e.deadline = tok, tok, now.Add(m.ttl)
	return tok
}

// dispatch hands e to its first waiter if it can, and drops e when nobody
// holds, waits for or pins it. Called with m.mu held.
func (m *Manager) dispatch(e *entry) {
	if m.rooms[e.room] != e {
		return
	}
	now := time.Now()
	if front := e.waiters.Front(); front != nil && e.free(now) && !m.closed {
		w := e.waiters.Remove(front).(*waiter)
		w.granted <- m.grant(e, now)
	}
	if e.holder == 0 && e.saving == 0 && e.waiters.Len() == 0 {
		if e.timer != nil {
			e.timer.Stop()
		}
		delete(m.rooms, e.room)
		return
	}
	m.arm(e, now)
}

// arm sets e's timer to hand the room over when its holder's lease lapses,
// if someone waits for it. Called with m.mu held.
func (m *Manager) arm(e *entry, now time.Time) {
	if e.waiters.Len() == 0 || e.holder == 0 || e.saving > 0 || m.closed {
		if e.timer != nil {
			e.timer.Stop()
		}
		return
	}
	d := e.deadline.Sub(now)
	if e.timer == nil {
		e.timer = time.AfterFunc(d, func() {
			m.mu.Lock()
			defer m.mu.Unlock()
			m.dispatch(e)
		})
		return
	}
	e.timer.Reset(d)
}

// Lease is a room's lock as a framework.Lease: what a store's Lock returns.
type Lease struct {
	m     *Manager
	room  framework.Room
	token uint64
}

// Acquire is Lock, as a store's Lock returns it: a *Lease, or a nil
// framework.Lease and the error (never a nil *Lease in a non-nil interface).
func (m *Manager) Acquire(ctx context.Context, room framework.Room) (framework.Lease, error) {
	tok, err := m.Lock(ctx, room)
	if err != nil {
		return nil, err
	}
	return &Lease{m: m, room: room, token: tok}, nil
}

// Owns returns l as one of m's leases; false for a lease of another store,
// which never holds this one's rooms.
func (m *Manager) Owns(l framework.Lease) (*Lease, bool) {
	ml, ok := l.(*Lease)
	return ml, ok && ml.m == m
}

// Room implements framework.Lease.
func (l *Lease) Room() framework.Room { return l.room }

// Token implements framework.Lease.
func (l *Lease) Token() uint64 { return l.token }

// Unlock implements framework.Lease.
func (l *Lease) Unlock(context.Context) error {
	l.m.Unlock(l.room, l.token)
	return nil
}
