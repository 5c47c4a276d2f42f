package framework_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/store/bolt"
	"github.com/fsmbot/fsmbot/framework/store/memory"
	"github.com/fsmbot/fsmbot/framework/store/redis"
	"github.com/fsmbot/fsmbot/framework/store/storetest"
)

// backend is a kind of store. open returns two Stores over one backend, as
// two replicas of a bot hold them: two Stores over one Redis; for memory and
// bolt, which one process owns, the same Store twice.
type backend struct {
	name string
	open func(t *testing.T, opts framework.StoreOptions) [2]framework.Store
}

// backends are memory, bolt (in t's temporary directory) and Redis (a
// redis-server started for t, if there is one; its subtests skip otherwise,
// or fail when CI=true).
func backends(t *testing.T) []backend {
	t.Helper()
	rs, redisErr := storetest.StartRedisServer()
	if redisErr == nil {
		t.Cleanup(rs.Stop)
	}
	var prefixes atomic.Int64
	return []backend{
		{"memory", func(t *testing.T, opts framework.StoreOptions) [2]framework.Store {
			s := memory.New(opts)
			t.Cleanup(func() { s.Close() })
			return [2]framework.Store{s, s}
		}},
		{"bolt", func(t *testing.T, opts framework.StoreOptions) [2]framework.Store {
			s, err := bolt.Open(filepath.Join(t.TempDir(), "fsmbot.db"), opts)
			require.NoError(t, err)
			t.Cleanup(func() { s.Close() })
			return [2]framework.Store{s, s}
		}},
		{"redis", func(t *testing.T, opts framework.StoreOptions) [2]framework.Store {
			if redisErr != nil {
				storetest.SkipWithoutRedis(t, redisErr)
			}
			prefix := fmt.Sprintf("rooms%d:", prefixes.Add(1))
			var stores [2]framework.Store
			for i := range stores {
				client := goredis.NewClient(&goredis.Options{Addr: rs.Addr})
				s := redis.New(client, opts, prefix)
				t.Cleanup(func() { s.Close(); client.Close() })
				stores[i] = s
			}
			return stores
		}},
	}
}

// counterBot counts turns in the session variable n: its Go handler inc adds
// one and the reply shows the count. fail sets n and fails; slow, when the
// test gives it, stalls. calls counts the handlers' runs.
type counterBot struct {
	bot   *framework.Bot
	calls atomic.Int64
	slow  func(ctx context.Context) // nil: slow does nothing more than inc
}

func newCounterBot(t testing.TB) *counterBot {
	t.Helper()
	cb := &counterBot{}
	inc := func(_ context.Context, turn *framework.Turn) error {
		cb.calls.Add(1)
		n, _ := strconv.Atoi(turn.Vars["n"])
		turn.Set("n", strconv.Itoa(n+1))
		return nil
	}
	bot, err := framework.New(framework.Chart{
		Name: "counter", RobotID: "robot", Initial: "s",
		ErrorReply: framework.Say("出错了"),
		States: []framework.State{
			{Name: "s", On: []framework.Transition{
				{Event: framework.JoinRoom, Call: "inc", Reply: framework.Say("joined n={{.Vars.n}}")},
				{Match: framework.Exact("inc"), Call: "inc", Reply: framework.Say("n={{.Vars.n}}")},
				{Match: framework.Exact("fail"), Call: "fail"},
				{Match: framework.Exact("slow"), Call: "slow", To: "done", Reply: framework.Say("slow n={{.Vars.n}}")},
			}},
			{Name: "done", Reply: framework.Say("done")},
		},
	}, framework.Options{
		Logger: slog.New(slog.DiscardHandler),
		Handlers: map[string]framework.Handler{
			"inc": inc,
			"fail": func(_ context.Context, turn *framework.Turn) error {
				cb.calls.Add(1)
				turn.Set("n", "999")
				return errors.New("boom")
			},
			"slow": func(ctx context.Context, turn *framework.Turn) error {
				if cb.slow != nil {
					cb.slow(ctx)
				}
				turn.Set("slow", "yes")
				return inc(ctx, turn)
			},
		},
	})
	require.NoError(t, err)
	cb.bot = bot
	return cb
}

// encodeAnswer is the answer's bytes: the next state, the reply, and whether
// the turn failed.
func encodeAnswer(_ *framework.Bot, res framework.Result) ([]byte, error) {
	reply := ""
	if res.Reply != nil {
		reply = res.Reply.Text
	}
	return json.Marshal(map[string]any{"to": res.To, "reply": reply, "failed": res.Err != nil})
}

func roomMessage(app, room, id, text string) *framework.Event {
	return &framework.Event{AppID: app, RoomID: room, Room: room, Type: framework.MessageEvent, State: "s",
		Sender: framework.Client{ID: "u1", Nickname: "小明"}, Message: framework.Message{ID: id, Type: "text", Text: text}}
}

func joinRoom(app, room string) *framework.Event {
	return &framework.Event{AppID: app, RoomID: room, Room: room, Type: framework.JoinRoom, State: "s",
		Sender: framework.Client{ID: "u1"}, Members: []framework.Client{{ID: "u1"}}}
}

// handle runs ev through the Rooms of one replica, failing t on an error.
func handle(t *testing.T, rooms *framework.Rooms, bot *framework.Bot, ev *framework.Event) framework.Handled {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h, err := rooms.Handle(ctx, bot, ev)
	require.NoError(t, err)
	return h
}

// replicas are a Rooms per store.
func replicas(stores [2]framework.Store) [2]*framework.Rooms {
	return [2]*framework.Rooms{{Store: stores[0], Encode: encodeAnswer}, {Store: stores[1], Encode: encodeAnswer}}
}

func sessionVars(t *testing.T, s framework.Store, app, room string) map[string]string {
	t.Helper()
	sess, _, err := s.Load(context.Background(), framework.Room{AppID: app, RoomID: room}, "")
	require.NoError(t, err)
	return sess.Vars
}

func TestRooms(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			t.Run("SessionsPersistAndAreIsolated", func(t *testing.T) { testRoomsPersist(t, b) })
			t.Run("FailedTurnWritesNothing", func(t *testing.T) { testRoomsFailedTurn(t, b) })
			t.Run("Redelivery", func(t *testing.T) { testRoomsRedelivery(t, b) })
			t.Run("NoIDNoDedupe", func(t *testing.T) { testRoomsNoID(t, b) })
			t.Run("ConcurrentTurnsOneRoom", func(t *testing.T) { testRoomsConcurrent(t, b) })
			t.Run("FencedSave", func(t *testing.T) { testRoomsFenced(t, b) })
		})
	}
}

// Turns alternate between the replicas; each room counts its own turns.
func testRoomsPersist(t *testing.T, b backend) {
	stores := b.open(t, framework.StoreOptions{})
	rs := replicas(stores)
	cb := newCounterBot(t)
	rooms := []struct {
		app, room string
		turns     int
	}{
		{"app1", "r1", 3},
		{"app1", "r2", 1},
		{"app2", "r1", 5}, // same room ID, another app: another room
		{"app2", "r1:x", 2},
		{"app2:r1", "x", 4}, // must not collide with app2 / r1:x
	}
	for i := range 5 {
		for _, r := range rooms {
			if i >= r.turns {
				continue
			}
			h := handle(t, rs[i%2], cb.bot, roomMessage(r.app, r.room, fmt.Sprintf("%s-%s-%d", r.app, r.room, i), "inc"))
			require.NoError(t, h.Result.Err)
			assert.Equal(t, "n="+strconv.Itoa(i+1), h.Result.Reply.Text, "room %s/%s, turn %d", r.app, r.room, i)
			assert.False(t, h.Replayed)
		}
	}
	for _, r := range rooms {
		for _, s := range stores {
			assert.Equal(t, map[string]string{"n": strconv.Itoa(r.turns)}, sessionVars(t, s, r.app, r.room), "room %s/%s", r.app, r.room)
		}
	}
	assert.Empty(t, sessionVars(t, stores[0], "app3", "r1"), "a room never seen")
}

// A turn whose handler fails keeps the session and stores no answer: its
// redelivery runs again.
func testRoomsFailedTurn(t *testing.T, b backend) {
	stores := b.open(t, framework.StoreOptions{})
	rs := replicas(stores)
	cb := newCounterBot(t)
	handle(t, rs[0], cb.bot, roomMessage("app", "r", "m1", "inc"))

	for i, rooms := range rs {
		h := handle(t, rooms, cb.bot, roomMessage("app", "r", "m-fail", "fail"))
		require.Error(t, h.Result.Err)
		assert.False(t, h.Replayed, "delivery %d of a failed message", i+1)
		assert.Equal(t, "s", h.Result.To)
		assert.Equal(t, "出错了", h.Result.Reply.Text)
		assert.JSONEq(t, `{"to":"s","reply":"出错了","failed":true}`, string(h.Body))
		assert.Equal(t, map[string]string{"n": "1"}, sessionVars(t, stores[1-i], "app", "r"), "the failed turn's n=999 was not saved")
		_, ans, err := stores[1-i].Load(context.Background(), framework.Room{AppID: "app", RoomID: "r"}, "m-fail")
		require.NoError(t, err)
		assert.Nil(t, ans, "no answer stored for a failed turn")
	}
	assert.EqualValues(t, 3, cb.calls.Load(), "inc once, fail twice: a failed message runs again")
	h := handle(t, rs[1], cb.bot, roomMessage("app", "r", "m2", "inc"))
	assert.Equal(t, "n=2", h.Result.Reply.Text)
}

// The same MESSAGE delivered twice, to either replica, gets the same bytes
// and runs once.
func testRoomsRedelivery(t *testing.T, b backend) {
	stores := b.open(t, framework.StoreOptions{})
	rs := replicas(stores)
	cb := newCounterBot(t)
	first := handle(t, rs[0], cb.bot, roomMessage("app", "r", "m1", "inc"))
	require.False(t, first.Replayed)
	require.JSONEq(t, `{"to":"s","reply":"n=1","failed":false}`, string(first.Body))
	for i, rooms := range []*framework.Rooms{rs[0], rs[1], rs[1]} {
		again := handle(t, rooms, cb.bot, roomMessage("app", "r", "m1", "inc"))
		assert.True(t, again.Replayed, "delivery %d", i+2)
		assert.Equal(t, first.Body, again.Body, "delivery %d: byte for byte", i+2)
	}
	// Another text with the same ID is the same message: the chat server
	// never reuses an ID.
	again := handle(t, rs[1], cb.bot, roomMessage("app", "r", "m1", "fail"))
	assert.Equal(t, first.Body, again.Body)
	assert.EqualValues(t, 1, cb.calls.Load(), "the handler ran once")
	assert.Equal(t, map[string]string{"n": "1"}, sessionVars(t, stores[0], "app", "r"))

	// The same ID in another room is another message.
	other := handle(t, rs[1], cb.bot, roomMessage("app", "r2", "m1", "inc"))
	assert.False(t, other.Replayed)
	assert.EqualValues(t, 2, cb.calls.Load())
}

// Events without a message ID are never deduplicated: each runs.
func testRoomsNoID(t *testing.T, b backend) {
	for _, tc := range []struct {
		name  string
		event func(room string) *framework.Event
		reply string
	}{
		{"JOIN_ROOM", func(room string) *framework.Event { return joinRoom("app", room) }, "joined n="},
		{"MESSAGE without _id", func(room string) *framework.Event { return roomMessage("app", room, "", "inc") }, "n="},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stores := b.open(t, framework.StoreOptions{})
			rs := replicas(stores)
			cb := newCounterBot(t)
			for i := range 4 {
				h := handle(t, rs[i%2], cb.bot, tc.event("r"))
				assert.False(t, h.Replayed)
				assert.Equal(t, tc.reply+strconv.Itoa(i+1), h.Result.Reply.Text)
			}
			assert.EqualValues(t, 4, cb.calls.Load())
			assert.Equal(t, map[string]string{"n": "4"}, sessionVars(t, stores[1], "app", "r"))
		})
	}
}

// 1000 turns at once in one room, alternating between the replicas: each
// turn's Go handler adds one to the session's n, and none is lost. (With
// -short, 100 on bolt: each of its turns waits for an fsync.)
func testRoomsConcurrent(t *testing.T, b backend) {
	n := 1000
	if testing.Short() && b.name == "bolt" {
		n = 100
	}
	stores := b.open(t, framework.StoreOptions{})
	rs := replicas(stores)
	cb := newCounterBot(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		seen    = map[string]int{} // reply → turns that gave it
		errs    []error
		replays atomic.Int64
	)
	for i := range n {
		wg.Go(func() {
			h, err := rs[i%2].Handle(ctx, cb.bot, roomMessage("app", "busy", "m"+strconv.Itoa(i), "inc"))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				errs = append(errs, err)
			case h.Result.Err != nil:
				errs = append(errs, fmt.Errorf("turn %d: %w", i, h.Result.Err))
			case h.Replayed:
				replays.Add(1)
			default:
				seen[h.Result.Reply.Text]++
			}
		})
	}
	wg.Wait()
	require.NoError(t, errors.Join(errs...))
	assert.Zero(t, replays.Load())
	assert.EqualValues(t, n, cb.calls.Load())
	assert.Equal(t, map[string]string{"n": strconv.Itoa(n)}, sessionVars(t, stores[0], "app", "busy"))
	assert.Len(t, seen, n, "every turn saw a count of its own: no two overlapped")
	for i := 1; i <= n; i++ {
		assert.Equal(t, 1, seen["n="+strconv.Itoa(i)], "turns that answered n=%d", i)
	}
}

// A turn that stalls past its lease is overtaken; its Save is fenced and it
// answers with the error reply and the state kept, saving nothing.
func testRoomsFenced(t *testing.T, b backend) {
	stores := b.open(t, framework.StoreOptions{LockTTL: 100 * time.Millisecond})
	rs := replicas(stores)
	cb := newCounterBot(t)
	entered, release := make(chan struct{}), make(chan struct{})
	cb.slow = func(context.Context) {
		close(entered)
		<-release
	}

	stalled := make(chan framework.Handled, 1)
	go func() {
		h, err := rs[0].Handle(context.Background(), cb.bot, roomMessage("app", "r", "m-slow", "slow"))
		assert.NoError(t, err)
		stalled <- h
	}()
	<-entered
	// The other replica waits for the room, takes it once the stalled
	// lease lapses, and saves its turn.
	h := handle(t, rs[1], cb.bot, roomMessage("app", "r", "m-next", "inc"))
	require.NoError(t, h.Result.Err)
	assert.Equal(t, "n=1", h.Result.Reply.Text)
	close(release)

	slow := <-stalled
	require.ErrorIs(t, slow.Result.Err, framework.ErrFenced)
	assert.False(t, slow.Replayed)
	assert.Equal(t, "s", slow.Result.From)
	assert.Equal(t, "s", slow.Result.To, "the state kept, not done")
	require.NotNil(t, slow.Result.Reply)
	assert.Equal(t, "出错了", slow.Result.Reply.Text)
	assert.JSONEq(t, `{"to":"s","reply":"出错了","failed":true}`, string(slow.Body))
	assert.Equal(t, map[string]string{"n": "1"}, sessionVars(t, stores[0], "app", "r"), "the newer turn's session, not the stalled one's")

	// Nothing was stored for the stalled message: its redelivery runs again.
	_, ans, err := stores[1].Load(context.Background(), framework.Room{AppID: "app", RoomID: "r"}, "m-slow")
	require.NoError(t, err)
	assert.Nil(t, ans)
	cb.slow = nil
	again := handle(t, rs[1], cb.bot, roomMessage("app", "r", "m-slow", "slow"))
	require.NoError(t, again.Result.Err)
	assert.Equal(t, "done", again.Result.To)
	assert.Equal(t, "slow n=2\ndone", again.Result.Reply.Text)
}

// Without a store, or for an event with no room, Rooms runs the turn as Run
// does, and keeps nothing.
func TestRoomsWithoutMemory(t *testing.T) {
	cb := newCounterBot(t)
	s := memory.New(framework.StoreOptions{})
	defer s.Close()
	for _, tc := range []struct {
		name  string
		rooms *framework.Rooms
		ev    *framework.Event
	}{
		{"no store", &framework.Rooms{Encode: encodeAnswer}, roomMessage("app", "r", "m1", "inc")},
		{"no room ID", &framework.Rooms{Store: s, Encode: encodeAnswer}, roomMessage("app", "", "m1", "inc")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for range 2 {
				h := handle(t, tc.rooms, cb.bot, tc.ev)
				assert.False(t, h.Replayed)
				assert.Equal(t, "n=1", h.Result.Reply.Text)
			}
		})
	}
	sessions, answers, _ := s.Len()
	assert.Zero(t, sessions+answers)
}

// A turn asked to trace (WithTrace) is traced through Rooms too.
func TestRoomsTrace(t *testing.T) {
	cb := newCounterBot(t)
	s := memory.New(framework.StoreOptions{})
	defer s.Close()
	rooms := &framework.Rooms{Store: s, Encode: encodeAnswer}
	h, err := rooms.Handle(framework.WithTrace(context.Background()), cb.bot, roomMessage("app", "r", "m1", "inc"))
	require.NoError(t, err)
	require.NotNil(t, h.Result.Trace)
	assert.Equal(t, "s#1", h.Result.Trace.Transition)
	assert.Equal(t, map[string]string{"n": "1"}, h.Result.Trace.Vars)
}
