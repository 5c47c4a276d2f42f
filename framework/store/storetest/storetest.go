package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsmbot/fsmbot/framework"
)

// Open returns a new, empty store with opts; it registers with t whatever
// cleanup the store needs (closing it included: Close must be harmless to
// call twice).
type Open func(t *testing.T, opts framework.StoreOptions) framework.Store

// Clock is a settable clock for StoreOptions.Now.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock set to a fixed instant.
func NewClock() *Clock {
	return &Clock{now: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
}

// Now is the Clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the Clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// wait bounds every blocking call of the suite, so that a broken store fails
// instead of hanging.
const wait = 30 * time.Second

// Run checks a store against the framework.Store contract. open is called
// once or more per subtest, each time for a new, empty store.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(*testing.T, Open)
	}{
		{"SessionRoundTrip", testSessionRoundTrip},
		{"NoAliasing", testNoAliasing},
		{"Isolation", testIsolation},
		{"SessionTTL", testSessionTTL},
		{"DedupeWindow", testDedupeWindow},
		{"DedupeBytes", testDedupeBytes},
		{"EmptyMessageID", testEmptyMessageID},
		{"FencedAfterNewerLock", testFencedAfterNewerLock},
		{"FencedAfterNewerSave", testFencedAfterNewerSave},
		{"LeaseExpiry", testLeaseExpiry},
		{"TokensIncrease", testTokensIncrease},
		{"LockWaits", testLockWaits},
		{"LockHonoursContext", testLockHonoursContext},
		{"DoubleUnlock", testDoubleUnlock},
		{"Close", testClose},
		{"OrderingOneRoom", testOrderingOneRoom},
		{"RoomsInParallel", testRoomsInParallel},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

// RunShared checks stores that processes share: open returns two stores
// (two "replicas") over one new, empty backend, and registers their
// cleanup. A store that one process owns alone may return the same store
// twice.
func RunShared(t *testing.T, open func(t *testing.T) (a, b framework.Store)) {
	t.Run("OrderingAcrossReplicas", func(t *testing.T) {
		a, b := open(t)
		if err := counter([]framework.Store{a, b}, room("shared"), 1000, 0); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("LockAcrossReplicas", func(t *testing.T) {
		a, b := open(t)
		r := room("shared-lock")
		la := lock(t, a, r)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		if _, err := b.Lock(ctx, r); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Lock on the other replica while held: err = %v, want deadline exceeded", err)
		}
		got := lockAsync(b, r)
		time.Sleep(20 * time.Millisecond)
		select {
		case <-got:
			t.Fatal("Lock on the other replica returned while the room was held")
		default:
		}
		unlock(t, la)
		lb := awaitLock(t, got)
		if lb.Token() <= la.Token() {
			t.Errorf("token %d after %d: tokens must increase across replicas", lb.Token(), la.Token())
		}
		if err := a.Save(bg(), la, sessionOf("x", "stale"), "m-a", answerOf("a")); !errors.Is(err, framework.ErrFenced) {
			t.Errorf("Save with the other replica's overtaken lease: err = %v, want ErrFenced", err)
		}
		save(t, b, lb, sessionOf("x", "new"), "m-b", answerOf("b"))
		unlock(t, lb)
		sess, ans := load(t, a, r, "m-b")
		if sess.Vars["x"] != "new" || ans == nil || string(ans.Body) != "b" {
			t.Errorf("replica a sees %v, %v; want what replica b saved", sess.Vars, ans)
		}
		if _, ans := load(t, b, r, "m-a"); ans != nil {
			t.Errorf("the fenced Save stored an answer: %q", ans.Body)
		}
	})
}

// Bench measures a turn (Lock, Load, Save, Unlock) on one room, on one room
// from 50 goroutines per CPU, and on 100 rooms from as many goroutines in
// parallel (50 per CPU). open returns a new, empty store and registers its
// cleanup with b.
func Bench(b *testing.B, open func(b *testing.B) framework.Store) {
	body := bytes.Repeat([]byte("x"), 200)
	turn := func(b *testing.B, s framework.Store, r framework.Room, i int) {
		ctx := context.Background()
		l, err := s.Lock(ctx, r)
		if err != nil {
			b.Fatal(err)
		}
		sess, _, err := s.Load(ctx, r, "m"+strconv.Itoa(i))
		if err != nil {
			b.Fatal(err)
		}
		n, _ := strconv.Atoi(sess.Vars["n"])
		vars := map[string]string{"n": strconv.Itoa(n + 1), "state": "menu", "order": "123456"}
		if err := s.Save(ctx, l, framework.Session{Vars: vars, UpdatedAt: time.Now()}, "m"+strconv.Itoa(i), framework.Answer{Body: body, AnsweredAt: time.Now()}); err != nil {
			b.Fatal(err)
		}
		if err := l.Unlock(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("OneRoom", func(b *testing.B) {
		s := open(b)
		r := room("bench")
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			turn(b, s, r, i)
		}
	})
	b.Run("OneRoomParallel", func(b *testing.B) {
		s := open(b)
		r := room("bench")
		var seq atomic.Int64
		b.SetParallelism(50)
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				turn(b, s, r, int(seq.Add(1)))
			}
		})
	})
	b.Run("Rooms100Parallel", func(b *testing.B) {
		s := open(b)
		rooms := make([]framework.Room, 100)
		for i := range rooms {
			rooms[i] = room("bench-" + strconv.Itoa(i))
		}
		var seq atomic.Int64
		b.SetParallelism(50)
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := int(seq.Add(1))
				turn(b, s, rooms[i%len(rooms)], i)
			}
		})
	})
}

func testSessionRoundTrip(t *testing.T, open Open) {
	s := open(t, framework.StoreOptions{})
	r := room("round-trip")
	l := lock(t, s, r)
	sess, ans := load(t, s, r, "m1")
	if len(sess.Vars) != 0 || !sess.UpdatedAt.IsZero() || ans != nil {
		t.Fatalf("new room: Load = %+v, %v; want an empty session and no answer", sess, ans)
	}
	at := time.Date(2031, 5, 6, 7, 8, 9, 123456789, time.FixedZone("CST", 8*3600))
	vars := map[string]string{"order": "123456", "name": "王小明", "empty": "", "bin": "a\x00b\xff", "": "no name"}
	save(t, s, l, framework.Session{Vars: vars, UpdatedAt: at}, "m1", framework.Answer{Body: []byte("ok"), AnsweredAt: at})
	unlock(t, l)

	sess, _ = load(t, s, r, "")
	assertVars(t, sess.Vars, vars)
	if !sess.UpdatedAt.Equal(at) {
		t.Errorf("UpdatedAt = %v, want %v", sess.UpdatedAt, at)
	}

	// A save replaces the session whole: variables it lacks are gone.
	l = lock(t, s, r)
	next := map[string]string{"order": "654321"}
	save(t, s, l, framework.Session{Vars: next, UpdatedAt: at.Add(time.Second)}, "m2", answerOf("ok2"))
	unlock(t, l)
	sess, _ = load(t, s, r, "")
	assertVars(t, sess.Vars, next)

	// A session without variables is a session all the same.
	l = lock(t, s, r)
	save(t, s, l, framework.Session{UpdatedAt: at.Add(2 * time.Second)}, "", framework.Answer{})
	unlock(t, l)
	sess, _ = load(t, s, r, "")
	if len(sess.Vars) != 0 || !sess.UpdatedAt.Equal(at.Add(2*time.Second)) {
		t.Errorf("after saving no variables: Load = %+v", sess)
	}
}

func testNoAliasing(t *testing.T, open Open) {
	s := open(t, framework.StoreOptions{})
	r := room("aliasing")
	vars := map[string]string{"k": "v"}
	body := []byte("answer")
	l := lock(t, s, r)
	save(t, s, l, framework.Session{Vars: vars, UpdatedAt: time.Now()}, "m", framework.Answer{Body: body})
	unlock(t, l)
	vars["k"] = "changed after Save"
	body[0] = 'X'

	sess, ans := load(t, s, r, "m")
	assertVars(t, sess.Vars, map[string]string{"k": "v"})
	if ans == nil || string(ans.Body) != "answer" {
		t.Fatalf("answer = %v, want %q: the store must keep its own copy", ans, "answer")
	}
	sess.Vars["k"] = "changed after Load"
	ans.Body[0] = 'Y'
	sess, ans = load(t, s, r, "m")
	assertVars(t, sess.Vars, map[string]string{"k": "v"})
	if string(ans.Body) != "answer" {
		t.Errorf("answer = %q after the caller changed a loaded copy", ans.Body)
	}
}

// trickyRooms differ from each other in ways a careless key encoding mixes
// up.
var trickyRooms = []framework.Room{
	{AppID: "app", RoomID: "room"},
	{AppID: "app", RoomID: "room2"},
	{AppID: "app2", RoomID: "room"},
	{AppID: "", RoomID: "room"},
	{AppID: "", RoomID: "approom"},
	{AppID: "approom", RoomID: ""},
	{AppID: "app", RoomID: ""},
	{AppID: "a\x00b", RoomID: "c"},
	{AppID: "a", RoomID: "b\x00c"},
	{AppID: "a\x00", RoomID: "b"},
	{AppID: "a", RoomID: "\x00b"},
	{AppID: "a:b", RoomID: "c"},
	{AppID: "a", RoomID: "b:c"},
	{AppID: "a%3Ab", RoomID: "c"},
	{AppID: "a{b}", RoomID: "c"},
	{AppID: "a", RoomID: "{b}c"},
	{AppID: "{a", RoomID: "}"},
	{AppID: "应用", RoomID: "房间🙂"},
	{AppID: "应用", RoomID: "房间🙂 "},
	{AppID: "\x01", RoomID: "\x02"},
	{AppID: "\x01\x02", RoomID: ""},
}

func testIsolation(t *testing.T, open Open) {
	s := open(t, framework.StoreOptions{})
	for i, r := range trickyRooms {
		l := lock(t, s, r)
		save(t, s, l, sessionOf("who", strconv.Itoa(i)), "m", answerOf("answer "+strconv.Itoa(i)))
		unlock(t, l)
	}
	for i, r := range trickyRooms {
		sess, ans := load(t, s, r, "m")
		if got := sess.Vars["who"]; got != strconv.Itoa(i) || len(sess.Vars) != 1 {
			t.Errorf("room %q: session %v, want who=%d", r, sess.Vars, i)
		}
		if ans == nil || string(ans.Body) != "answer "+strconv.Itoa(i) {
			t.Errorf("room %q: answer %v, want %q", r, ans, "answer "+strconv.Itoa(i))
		}
	}

	// The message ID is part of the answer's key too: room ("a", "b") with
	// message "\x00c" must not meet room ("a", "b\x00c") with message "".
	a, b := framework.Room{AppID: "x", RoomID: "y"}, framework.Room{AppID: "x", RoomID: "y\x00z"}
	l := lock(t, s, a)
	save(t, s, l, sessionOf("k", "a"), "\x00z", answerOf("of a"))
	unlock(t, l)
	l = lock(t, s, b)
	save(t, s, l, sessionOf("k", "b"), "z", answerOf("of b"))
	unlock(t, l)
	if _, ans := load(t, s, b, "\x00z"); ans != nil {
		t.Errorf("room %q sees room %q's answer %q", b, a, ans.Body)
	}
	if _, ans := load(t, s, a, "z"); ans != nil {
		t.Errorf("room %q sees room %q's answer %q", a, b, ans.Body)
	}
	if _, ans := load(t, s, room("other"), "\x00z"); ans != nil {
		t.Errorf("an unrelated room sees an answer: %q", ans.Body)
	}

	// Locks are per room too: holding every tricky room at once is fine.
	var held []framework.Lease
	for _, r := range trickyRooms {
		held = append(held, lockWithin(t, s, r, 5*time.Second))
	}
	for _, l := range held {
		unlock(t, l)
	}
}

func testSessionTTL(t *testing.T, open Open) {
	clock := NewClock()
	const ttl = time.Hour
	s := open(t, framework.StoreOptions{Now: clock.Now, SessionTTL: ttl, DedupeWindow: 10 * time.Minute})
	r := room("ttl")
	turn(t, s, r, sessionOf("n", "1"), "")
	clock.Advance(ttl - time.Second)
	if sess, _ := load(t, s, r, ""); sess.Vars["n"] != "1" {
		t.Fatalf("session gone before its TTL: %+v", sess)
	}
	// A turn restarts the TTL.
	turn(t, s, r, sessionOf("n", "2"), "")
	clock.Advance(ttl - time.Second)
	if sess, _ := load(t, s, r, ""); sess.Vars["n"] != "2" {
		t.Fatalf("session gone before the TTL since its last turn: %+v", sess)
	}
	clock.Advance(2 * time.Second)
	if sess, _ := load(t, s, r, ""); len(sess.Vars) != 0 || !sess.UpdatedAt.IsZero() {
		t.Fatalf("expired session returned: %+v", sess)
	}
	// An expired room starts afresh.
	turn(t, s, r, sessionOf("n", "3"), "")
	if sess, _ := load(t, s, r, ""); sess.Vars["n"] != "3" {
		t.Fatalf("after expiry: session %+v", sess)
	}
}

func testDedupeWindow(t *testing.T, open Open) {
	clock := NewClock()
	const window = 10 * time.Minute
	s := open(t, framework.StoreOptions{Now: clock.Now, SessionTTL: time.Hour, DedupeWindow: window})
	r := room("dedupe")
	turn(t, s, r, sessionOf("n", "1"), "m1")
	clock.Advance(window / 2)
	turn(t, s, r, sessionOf("n", "2"), "m2")
	// Each message keeps its own answer.
	if _, ans := load(t, s, r, "m1"); ans == nil || string(ans.Body) != "answer to m1" {
		t.Fatalf("m1 within the window: answer %v", ans)
	}
	if _, ans := load(t, s, r, "m2"); ans == nil || string(ans.Body) != "answer to m2" {
		t.Fatalf("m2 within the window: answer %v", ans)
	}
	if _, ans := load(t, s, r, "m3"); ans != nil {
		t.Fatalf("m3 was never answered: answer %q", ans.Body)
	}
	clock.Advance(window/2 + time.Second)
	if _, ans := load(t, s, r, "m1"); ans != nil {
		t.Errorf("m1 past the window: answer %q, want none", ans.Body)
	}
	sess, ans := load(t, s, r, "m2")
	if ans == nil {
		t.Errorf("m2 within its window: no answer")
	}
	if sess.Vars["n"] != "2" {
		t.Errorf("session expired with the answer: %+v", sess)
	}
	clock.Advance(window)
	if _, ans := load(t, s, r, "m2"); ans != nil {
		t.Errorf("m2 past the window: answer %q, want none", ans.Body)
	}
}

func testDedupeBytes(t *testing.T, open Open) {
	s := open(t, framework.StoreOptions{})
	r := room("bytes")
	all := make([]byte, 256*4)
	for i := range all {
		all[i] = byte(i)
	}
	bodies := map[string][]byte{
		"binary": all,
		"json":   []byte(`{"senderID":"robot001","toBotState":"menu","data":{"message":"您好 🙂\n","messageType":"text"}}`),
		"empty":  {},
		"big":    bytes.Repeat([]byte("0123456789abcdef"), 64<<10/16),
	}
	at := time.Date(2030, 1, 1, 0, 0, 0, 1, time.UTC)
	for id, body := range bodies {
		l := lock(t, s, r)
		save(t, s, l, sessionOf("last", id), id, framework.Answer{Body: body, AnsweredAt: at})
		unlock(t, l)
	}
	for id, body := range bodies {
		_, ans := load(t, s, r, id)
		if ans == nil {
			t.Errorf("%s: no answer", id)
			continue
		}
		if !bytes.Equal(ans.Body, body) {
			t.Errorf("%s: body differs (%d bytes, want %d)", id, len(ans.Body), len(body))
		}
		if !ans.AnsweredAt.Equal(at) {
			t.Errorf("%s: AnsweredAt = %v, want %v", id, ans.AnsweredAt, at)
		}
	}
}

func testEmptyMessageID(t *testing.T, open Open) {
	s := open(t, framework.StoreOptions{})
	r := room("no-message-id")
	l := lock(t, s, r)
	save(t, s, l, sessionOf("n", "1"), "", answerOf("not kept"))
	unlock(t, l)
	sess, ans := load(t, s, r, "")
	if ans != nil {
		t.Errorf("empty message ID deduplicated: answer %q", ans.Body)
	}
	if sess.Vars["n"] != "1" {
		t.Errorf("session not saved with an empty message ID: %+v", sess)
	}
	if _, ans := load(t, s, r, "m"); ans != nil {
		t.Errorf("answer for an empty message ID found under another: %q", ans.Body)
	}
}

func testFencedAfterNewerLock(t *testing.T, open Open) {
	s := open(t, framework.StoreOptions{})
	r := room("fenced-lock")
	turn(t, s, r, sessionOf("v", "before"), "m0")
	a := lock(t, s, r)
	unlock(t, a)
	b := lock(t, s, r)
	if err := s.Save(bg(), a, sessionOf("v", "stale"), "m-a", answerOf("stale")); !errors.Is(err, framework.ErrFenced) {
		t.Fatalf("Save with a lease overtaken by a held one: err = %v, want ErrFenced", err)
	}
	sess, ans := load(t, s, r, "m-a")
	if sess.Vars["v"] != "before" || ans != nil {
		t.Fatalf("the fenced Save wrote: session %v, answer %v", sess.Vars, ans)
	}
	save(t, s, b, sessionOf("v", "newer"), "m-b", answerOf("newer"))
	unlock(t, b)
	if sess, _ := load(t, s, r, ""); sess.Vars["v"] != "newer" {
		t.Fatalf("newest lease's Save: session %v", sess.Vars)
	}
}

func testFencedAfterNewerSave(t *testing.T, open Open) {
	s := open(t, framework.StoreOptions{})
	r := room("fenced-save")
	a := lock(t, s, r)
	save(t, s, a, sessionOf("v", "a1"), "m-a1", answerOf("a1"))
	unlock(t, a)
	b := lock(t, s, r)
	save(t, s, b, sessionOf("v", "b"), "m-b", answerOf("b"))
	unlock(t, b)
	if err := s.Save(bg(), a, sessionOf("v", "a2"), "m-a2", answerOf("a2")); !errors.Is(err, framework.ErrFenced) {
		t.Fatalf("Save with a lease older than the last save: err = %v, want ErrFenced", err)
	}
	sess, ans := load(t, s, r, "m-a2")
	if sess.Vars["v"] != "b" || ans != nil {
		t.Fatalf("the fenced Save wrote: session %v, answer %v", sess.Vars, ans)
	}
}

func testLeaseExpiry(t *testing.T, open Open) {
	const ttl = 200 * time.Millisecond
	s := open(t, framework.StoreOptions{LockTTL: ttl})
	r := room("expiry")
	a := lock(t, s, r)
	start := time.Now()
	b := lockWithin(t, s, r, wait) // a stalls: b gets the room when a's lease lapses
	if waited := time.Since(start); waited < ttl/2 {
		t.Errorf("b got the room after %v, before a's lease (%v) lapsed", waited, ttl)
	}
	if b.Token() <= a.Token() {
		t.Errorf("token %d after %d", b.Token(), a.Token())
	}
	if err := s.Save(bg(), a, sessionOf("v", "a"), "m-a", answerOf("a")); !errors.Is(err, framework.ErrFenced) {
		t.Fatalf("Save with a lapsed, overtaken lease: err = %v, want ErrFenced", err)
	}
	// a's Unlock must not free b's room.
	if err := a.Unlock(bg()); err != nil {
		t.Errorf("Unlock of an overtaken lease: %v", err)
	}
	ctx, cancel := context.WithTimeout(bg(), ttl/4)
	defer cancel()
	if _, err := s.Lock(ctx, r); err == nil {
		t.Fatal("an overtaken lease's Unlock freed the newer lease's room")
	}
	save(t, s, b, sessionOf("v", "b"), "m-b", answerOf("b"))
	unlock(t, b)
	sess, ans := load(t, s, r, "m-a")
	if sess.Vars["v"] != "b" || ans != nil {
		t.Fatalf("after the fenced Save: session %v, answer %v", sess.Vars, ans)
	}
	lockWithin(t, s, r, time.Second).Unlock(bg())
}

func testTokensIncrease(t *testing.T, open Open) {
	s := open(t, framework.StoreOptions{})
	rooms := []framework.Room{room("tokens-1"), room("tokens-2"), {AppID: "other", RoomID: "tokens-1"}}
	last := map[framework.Room]uint64{}
	for i := range 60 {
		r := rooms[i%len(rooms)]
		l := lock(t, s, r)
		if l.Room() != r {
			t.Fatalf("lease room %q, want %q", l.Room(), r)
		}
		if l.Token() <= last[r] {
			t.Fatalf("room %q: token %d after %d", r, l.Token(), last[r])
		}
		last[r] = l.Token()
		if i%2 == 0 {
			save(t, s, l, sessionOf("i", strconv.Itoa(i)), "", framework.Answer{})
		}
		unlock(t, l)
	}
}

func testLockWaits(t *testing.T, open Open) {
	s := open(t, framework.StoreOptions{})
	r := room("waits")
	a := lock(t, s, r)
	got := lockAsync(s, r)
	select {
	case <-got:
		t.Fatal("Lock returned while the room was held")
	case <-time.After(100 * time.Millisecond):
	}
	unlock(t, a)
	b := awaitLock(t, got)
	if b.Token() <= a.Token() {
		t.Errorf("token %d after %d", b.Token(), a.Token())
	}
	unlock(t, b)
}

func testLockHonoursContext(t *testing.T, open Open) {
	s := open(t, framework.StoreOptions{})
	r := room("ctx")
	a := lock(t, s, r)

	ctx, cancel := context.WithTimeout(bg(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := s.Lock(ctx, r); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Lock past its deadline: err = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Lock returned %v after its deadline", d)
	}

	ctx, cancel = context.WithCancel(bg())
	cancel()
	if _, err := s.Lock(ctx, r); !errors.Is(err, context.Canceled) {
		t.Errorf("Lock with a canceled context: err = %v, want context.Canceled", err)
	}

	ctx, cancel = context.WithCancel(bg())
	errc := make(chan error, 1)
	go func() {
		_, err := s.Lock(ctx, r)
		errc <- err
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Lock canceled while waiting: err = %v, want context.Canceled", err)
		}
	case <-time.After(wait):
		t.Fatal("Lock did not return after its context was canceled")
	}

	// The waits given up left the room as it was: held by a, then free.
	unlock(t, a)
	b := lockWithin(t, s, r, 5*time.Second)
	unlock(t, b)
}

func testDoubleUnlock(t *testing.T, open Open) {
	s := open(t, framework.StoreOptions{})
	r := room("double-unlock")
	a := lock(t, s, r)
	unlock(t, a)
	unlock(t, a)
	b := lockWithin(t, s, r, 5*time.Second)
	unlock(t, a) // a third time, while b holds the room: b keeps it
	ctx, cancel := context.WithTimeout(bg(), 50*time.Millisecond)
	defer cancel()
	if _, err := s.Lock(ctx, r); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Lock while b holds the room: err = %v, want context.DeadlineExceeded", err)
	}
	save(t, s, b, sessionOf("v", "b"), "", framework.Answer{})
	unlock(t, b)
	unlock(t, b)
	lockWithin(t, s, r, 5*time.Second).Unlock(bg())
}

func testClose(t *testing.T, open Open) {
	s := open(t, framework.StoreOptions{})
	r := room("close")
	turn(t, s, r, sessionOf("n", "1"), "m")
	held := lock(t, s, r)
	waiting := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(bg(), wait)
		defer cancel()
		l, err := s.Lock(ctx, r)
		if err == nil {
			l.Unlock(bg())
		}
		waiting <- err
	}()
	time.Sleep(20 * time.Millisecond)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	select {
	case err := <-waiting:
		if !errors.Is(err, framework.ErrClosed) {
			t.Errorf("Lock waiting through Close: err = %v, want ErrClosed", err)
		}
	case <-time.After(wait):
		t.Fatal("a Lock waiting through Close did not return")
	}
	if _, err := s.Lock(bg(), room("close-2")); !errors.Is(err, framework.ErrClosed) {
		t.Errorf("Lock after Close: err = %v, want ErrClosed", err)
	}
	if _, _, err := s.Load(bg(), r, "m"); !errors.Is(err, framework.ErrClosed) {
		t.Errorf("Load after Close: err = %v, want ErrClosed", err)
	}
	if err := s.Save(bg(), held, sessionOf("n", "2"), "m2", answerOf("x")); !errors.Is(err, framework.ErrClosed) {
		t.Errorf("Save after Close: err = %v, want ErrClosed", err)
	}
	if err := held.Unlock(bg()); err != nil && !errors.Is(err, framework.ErrClosed) {
		t.Errorf("Unlock after Close: %v", err)
	}
	if err := s.Close(); err != nil && !errors.Is(err, framework.ErrClosed) {
		t.Errorf("second Close: %v", err)
	}
}

func testOrderingOneRoom(t *testing.T, open Open) {
	s := open(t, framework.StoreOptions{})
	if err := counter([]framework.Store{s}, room("counter"), 1000, 0); err != nil {
		t.Fatal(err)
	}
}

func testRoomsInParallel(t *testing.T, open Open) {
	s := open(t, framework.StoreOptions{})
	// A held room blocks none of the others.
	blocked := lock(t, s, room("parallel-held"))
	var held []framework.Lease
	for i := range 50 {
		held = append(held, lockWithin(t, s, room("parallel-"+strconv.Itoa(i)), 5*time.Second))
	}
	for _, l := range held {
		unlock(t, l)
	}
	// Many rooms' turns at once, each room's in order.
	const rooms, turns = 20, 25
	var wg sync.WaitGroup
	errs := make([]error, rooms)
	for i := range rooms {
		wg.Go(func() { errs[i] = counter([]framework.Store{s}, room("parallel-"+strconv.Itoa(i)), turns, 5) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	unlock(t, blocked)
}

// counter runs n turns on room r across stores, at most conc at once (0: all
// at once), each adding 1 to the room's counter and answering its own
// message, and checks that none was lost. It may run outside the test's
// goroutine: it reports by its error.
func counter(stores []framework.Store, r framework.Room, n, conc int) error {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		tokens []uint64
		errs   = make(chan error, n)
	)
	if conc <= 0 {
		conc = n
	}
	sem := make(chan struct{}, conc)
	for i := range n {
		s := stores[i%len(stores)]
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			ctx, cancel := context.WithTimeout(bg(), 2*wait)
			defer cancel()
			l, err := s.Lock(ctx, r)
			if err != nil {
				errs <- fmt.Errorf("turn %d: Lock: %w", i, err)
				return
			}
			defer l.Unlock(bg())
			msg := "m" + strconv.Itoa(i)
			sess, ans, err := s.Load(ctx, r, msg)
			if err != nil {
				errs <- fmt.Errorf("turn %d: Load: %w", i, err)
				return
			}
			if ans != nil {
				errs <- fmt.Errorf("turn %d: message answered before it ran", i)
				return
			}
			c, _ := strconv.Atoi(sess.Vars["counter"])
			mu.Lock()
			tokens = append(tokens, l.Token())
			mu.Unlock()
			next := framework.Session{Vars: map[string]string{"counter": strconv.Itoa(c + 1)}, UpdatedAt: time.Now()}
			if err := s.Save(ctx, l, next, msg, answerOf("answer "+strconv.Itoa(i))); err != nil {
				errs <- fmt.Errorf("turn %d: Save: %w", i, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	if len(all) > 0 {
		return fmt.Errorf("room %q: %d of %d turns failed: %w", r, len(all), n, errors.Join(all...))
	}
	sess, _, err := stores[0].Load(bg(), r, "")
	if err != nil {
		return fmt.Errorf("room %q: Load: %w", r, err)
	}
	if got := sess.Vars["counter"]; got != strconv.Itoa(n) {
		return fmt.Errorf("room %q: counter = %s after %d turns: turns overlapped", r, got, n)
	}
	for i := 1; i < len(tokens); i++ {
		if tokens[i] <= tokens[i-1] {
			return fmt.Errorf("room %q: turn tokens out of order: %d after %d", r, tokens[i], tokens[i-1])
		}
	}
	for i := range n {
		s := stores[(i+1)%len(stores)]
		_, ans, err := s.Load(bg(), r, "m"+strconv.Itoa(i))
		if err != nil {
			return fmt.Errorf("room %q: Load: %w", r, err)
		}
		if ans == nil || string(ans.Body) != "answer "+strconv.Itoa(i) {
			return fmt.Errorf("room %q: message m%d: answer %v", r, i, ans)
		}
	}
	return nil
}

// lockAsync locks r in another goroutine.
func lockAsync(s framework.Store, r framework.Room) <-chan lockResult {
	c := make(chan lockResult, 1)
	go func() {
		ctx, cancel := context.WithTimeout(bg(), wait)
		defer cancel()
		l, err := s.Lock(ctx, r)
		c <- lockResult{l, err}
	}()
	return c
}

type lockResult struct {
	l   framework.Lease
	err error
}

// awaitLock is the lease lockAsync got.
func awaitLock(t *testing.T, c <-chan lockResult) framework.Lease {
	t.Helper()
	select {
	case res := <-c:
		if res.err != nil {
			t.Fatalf("Lock: %v", res.err)
		}
		return res.l
	case <-time.After(wait + time.Second):
		t.Fatal("Lock did not return")
		return nil
	}
}

// turn saves sess on r in one whole turn, answering messageID with
// "answer to <messageID>".
func turn(t *testing.T, s framework.Store, r framework.Room, sess framework.Session, messageID string) {
	t.Helper()
	l := lock(t, s, r)
	save(t, s, l, sess, messageID, answerOf("answer to "+messageID))
	unlock(t, l)
}

func lock(t *testing.T, s framework.Store, r framework.Room) framework.Lease {
	t.Helper()
	return lockWithin(t, s, r, wait)
}

func lockWithin(t *testing.T, s framework.Store, r framework.Room, d time.Duration) framework.Lease {
	t.Helper()
	ctx, cancel := context.WithTimeout(bg(), d)
	defer cancel()
	l, err := s.Lock(ctx, r)
	if err != nil {
		t.Fatalf("Lock %q: %v", r, err)
	}
	return l
}

func unlock(t *testing.T, l framework.Lease) {
	t.Helper()
	if err := l.Unlock(bg()); err != nil {
		t.Fatalf("Unlock %q: %v", l.Room(), err)
	}
}

func load(t *testing.T, s framework.Store, r framework.Room, messageID string) (framework.Session, *framework.Answer) {
	t.Helper()
	sess, ans, err := s.Load(bg(), r, messageID)
	if err != nil {
		t.Fatalf("Load %q %q: %v", r, messageID, err)
	}
	return sess, ans
}

func save(t *testing.T, s framework.Store, l framework.Lease, sess framework.Session, messageID string, a framework.Answer) {
	t.Helper()
	if err := s.Save(bg(), l, sess, messageID, a); err != nil {
		t.Fatalf("Save %q %q: %v", l.Room(), messageID, err)
	}
}

func assertVars(t *testing.T, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("vars = %q, want %q", got, want)
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Fatalf("vars = %q, want %q", got, want)
		}
	}
}

func room(id string) framework.Room { return framework.Room{AppID: "storetest", RoomID: id} }

func sessionOf(k, v string) framework.Session {
	return framework.Session{Vars: map[string]string{k: v}, UpdatedAt: time.Now()}
}

func answerOf(body string) framework.Answer {
	return framework.Answer{Body: []byte(body), AnsweredAt: time.Now()}
}

func bg() context.Context { return context.Background() }
