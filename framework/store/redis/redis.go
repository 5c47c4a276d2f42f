package redis

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/store/internal/codec"
	"github.com/fsmbot/fsmbot/framework/store/internal/roomlock"
)

// DefaultPrefix is the key prefix of a Store that Open returns.
const DefaultPrefix = "fsmbot:"

// How Lock polls a room another replica holds.
const (
	minBackoff = time.Millisecond
	maxBackoff = 50 * time.Millisecond
)

// Store is a framework.Store in Redis, shared by every replica of a bot.
type Store struct {
	client goredis.UniversalClient
	own    bool // Close closes client
	opts   framework.StoreOptions
	prefix string

	lockTTL, sessionTTL, dedupeTTL, fenceTTL int64 // milliseconds

	local    *roomlock.Manager // queues this process's turns per room
	localTok atomic.Uint64

	gate   sync.RWMutex // held for reading by Load and Save; Close takes it
	closed bool
	done   chan struct{}
}

var _ framework.Store = (*Store)(nil)

// New returns a Store over client; opts' zero fields take their defaults.
// Every key starts with prefix (DefaultPrefix, say, or one per bot when bots
// share a Redis); the prefix should hold no '{', so that each room's keys
// get their own cluster slot. Close leaves client open.
func New(client goredis.UniversalClient, opts framework.StoreOptions, prefix string) *Store {
	opts = opts.WithDefaults()
	s := &Store{
		client:     client,
		opts:       opts,
		prefix:     prefix,
		lockTTL:    ms(opts.LockTTL),
		sessionTTL: ms(opts.SessionTTL),
		dedupeTTL:  ms(opts.DedupeWindow),
		fenceTTL:   ms(opts.SessionTTL + opts.LockTTL),
		done:       make(chan struct{}),
	}
	s.local = roomlock.New(opts.LockTTL, func() uint64 { return s.localTok.Add(1) })
	return s
}

// Open connects to the Redis at url (redis://[user:password@]host:port/db,
// rediss:// for TLS, or unix://; as in REDIS_URL), checks that it answers,
// and returns a Store over it with DefaultPrefix. Close closes the
// connection.
func Open(url string, opts framework.StoreOptions) (*Store, error) {
	o, err := goredis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redis store: %w", err)
	}
	client := goredis.NewClient(o)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		return nil, fmt.Errorf("redis store: %s: %w", o.Addr, err)
	}
	s := New(client, opts, DefaultPrefix)
	s.own = true
	return s, nil
}

// keys are a room's keys: all share the hash tag {app:room} (escaped), so
// that they live in one cluster slot and one script can touch them all.
type keys struct{ tag string }

func (s *Store) keys(r framework.Room) keys {
	var b strings.Builder
	b.Grow(len(s.prefix) + len(r.AppID) + len(r.RoomID) + 3)
	b.WriteString(s.prefix)
	b.WriteByte('{')
	escape(&b, r.AppID)
	b.WriteByte(':')
	escape(&b, r.RoomID)
	b.WriteByte('}')
	return keys{b.String()}
}

func (k keys) fence() string                  { return k.tag + ":fence" }
func (k keys) lock() string                   { return k.tag + ":lock" }
func (k keys) session() string                { return k.tag + ":session" }
func (k keys) answer(messageID string) string { return k.tag + ":answer:" + messageID }

// escape writes id with '%', ':', '{', '}' and control bytes as %XX, so
// that the hash tag is unambiguous and ends at its own '}'.
func escape(b *strings.Builder, id string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c == '%' || c == ':' || c == '{' || c == '}' || c < 0x20 || c == 0x7f:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c)
		}
	}
}

// lockScript takes the room if its lock key is free: the fence counter goes
// up by one and its new value is both the lock key's value and the lease's
// token. A fence counter that expired restarts from the server's clock in
// microseconds, above every token it handed out before.
//
// KEYS: fence, lock. ARGV: lock TTL, fence TTL (ms).
// Returns {1, token} or {0, the lock's remaining TTL in ms}.
var lockScript = goredis.NewScript(`
local ttl = redis.call('PTTL', KEYS[2])
if ttl ~= -2 then
  if ttl < 0 then ttl = tonumber(ARGV[1]) end
  return {0, ttl}
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  local t = redis.call('TIME')
  redis.call('SET', KEYS[1], t[1] .. string.format('%06d', tonumber(t[2])))
end
redis.call('INCR', KEYS[1])
local token = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[2], token, 'PX', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, token}
`)

// unlockScript deletes the lock key if it still holds the lease's token.
//
// KEYS: lock. ARGV: token.
var unlockScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

// saveScript writes the session and the answer if the lease is still the
// room's newest (the fence counter is its token), all or nothing.
//
// KEYS: fence, session[, answer]. ARGV: token, session, session TTL, fence
// TTL[, answer, answer TTL] (TTLs in ms). Returns 1, or 0 when fenced.
var saveScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if #KEYS > 2 then
  redis.call('SET', KEYS[3], ARGV[5], 'PX', ARGV[6])
end
return 1
`)

// Lock implements framework.Store. The process's own turns for a room queue
// in order; the first of them polls Redis, with a backoff from 1 ms to 50
// ms, until the room's lock key is free (unlocked, or lapsed after
// LockTTL), ctx ends or the Store is closed.
func (s *Store) Lock(ctx context.Context, room framework.Room) (framework.Lease, error) {
	if s.isClosed() {
		return nil, framework.ErrClosed
	}
	ltok, err := s.local.Lock(ctx, room)
	if err != nil {
		return nil, err
	}
	k := s.keys(room)
	backoff := minBackoff
	var timer *time.Timer
	for {
		res, err := lockScript.Run(ctx, s.client, []string{k.fence(), k.lock()}, s.lockTTL, s.fenceTTL).Slice()
		if err == nil && len(res) != 2 {
			err = fmt.Errorf("lock script returned %v", res)
		}
		var got, wait int64
		var token uint64
		if err == nil {
			got, _ = res[0].(int64)
			if got == 1 {
				str, _ := res[1].(string)
				token, err = strconv.ParseUint(str, 10, 64)
			} else {
				wait, _ = res[1].(int64)
			}
		}
		if err != nil {
			s.local.Unlock(room, ltok)
			return nil, s.fail(ctx, "lock", room, err)
		}
		if got == 1 {
			return &lease{s: s, room: room, keys: k, token: token, tokenStr: strconv.FormatUint(token, 10), local: ltok}, nil
		}

		d := min(backoff, time.Duration(wait)*time.Millisecond+time.Millisecond)
		d += rand.N(d/2 + 1)
		backoff = min(2*backoff, maxBackoff)
		if timer == nil {
			timer = time.NewTimer(d)
			defer timer.Stop()
		} else {
			timer.Reset(d)
		}
		select {
		case <-timer.C:
		case <-ctx.Done():
			s.local.Unlock(room, ltok)
			return nil, ctx.Err()
		case <-s.done:
			s.local.Unlock(room, ltok)
			return nil, framework.ErrClosed
		}
	}
}

// Load implements framework.Store.
func (s *Store) Load(ctx context.Context, room framework.Room, messageID string) (framework.Session, *framework.Answer, error) {
	var sess framework.Session
	s.gate.RLock()
	defer s.gate.RUnlock()
	if s.closed {
		return sess, nil, framework.ErrClosed
	}
	k := s.keys(room)
	var sv, av any
	if messageID == "" {
		v, err := s.client.Get(ctx, k.session()).Result()
		if err != nil && !errors.Is(err, goredis.Nil) {
			return sess, nil, s.fail(ctx, "load", room, err)
		}
		if err == nil {
			sv = v
		}
	} else {
		vals, err := s.client.MGet(ctx, k.session(), k.answer(messageID)).Result()
		if err != nil {
			return sess, nil, s.fail(ctx, "load", room, err)
		}
		if len(vals) != 2 {
			return sess, nil, s.fail(ctx, "load", room, fmt.Errorf("MGET returned %d values", len(vals)))
		}
		sv, av = vals[0], vals[1]
	}
	now := s.opts.Now()
	if v, ok := sv.(string); ok {
		got, exp, err := codec.DecodeSession([]byte(v))
		if err != nil {
			return sess, nil, s.fail(ctx, "load", room, err)
		}
		if !codec.Expired(exp, now) {
			sess = got
		}
	}
	var ans *framework.Answer
	if v, ok := av.(string); ok {
		got, exp, err := codec.DecodeAnswer([]byte(v))
		if err != nil {
			return sess, nil, s.fail(ctx, "load", room, err)
		}
		if !codec.Expired(exp, now) {
			ans = &got
		}
	}
	return sess, ans, nil
}

// Save implements framework.Store: one script checks the lease against the
// room's fence counter and writes the session and the answer, all or
// nothing. When ctx ends while the script is on its way, Save cannot tell
// whether it ran, and returns ctx's error.
func (s *Store) Save(ctx context.Context, l framework.Lease, sess framework.Session, messageID string, a framework.Answer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	rl, ok := l.(*lease)
	if !ok || rl.s != s {
		return framework.ErrFenced // a lease of another store never holds this one's rooms
	}
	now := s.opts.Now()
	sv, err := codec.EncodeSession(nil, sess, now.Add(s.opts.SessionTTL))
	if err != nil {
		return err
	}
	keys := []string{rl.keys.fence(), rl.keys.session()}
	args := []any{rl.tokenStr, sv, s.sessionTTL, s.fenceTTL}
	if messageID != "" {
		av, err := codec.EncodeAnswer(nil, a, now.Add(s.opts.DedupeWindow))
		if err != nil {
			return err
		}
		keys = append(keys, rl.keys.answer(messageID))
		args = append(args, av, s.dedupeTTL)
	}
	s.gate.RLock()
	defer s.gate.RUnlock()
	if s.closed {
		return framework.ErrClosed
	}
	n, err := saveScript.Run(ctx, s.client, keys, args...).Int64()
	if err != nil {
		return s.fail(ctx, "save", rl.room, err)
	}
	if n != 1 {
		return framework.ErrFenced
	}
	return nil
}

// Close implements framework.Store: it waits for the Loads and Saves under
// way, and closes the client if Open made it. Later calls, and Locks still
// waiting, fail with framework.ErrClosed. Closing twice is harmless.
func (s *Store) Close() error {
	s.gate.Lock()
	if s.closed {
		s.gate.Unlock()
		return nil
	}
	s.closed = true
	close(s.done)
	s.gate.Unlock()
	s.local.Close()
	if s.own {
		return s.client.Close()
	}
	return nil
}

func (s *Store) isClosed() bool {
	s.gate.RLock()
	defer s.gate.RUnlock()
	return s.closed
}

func (s *Store) fail(ctx context.Context, op string, room framework.Room, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	if s.isClosed() {
		return framework.ErrClosed
	}
	return fmt.Errorf("redis store: %s %q: %w", op, room, err)
}

type lease struct {
	s        *Store
	room     framework.Room
	keys     keys
	token    uint64
	tokenStr string
	local    uint64
	unlocked atomic.Bool
}

func (l *lease) Room() framework.Room { return l.room }
func (l *lease) Token() uint64        { return l.token }

// Unlock frees the room, in Redis if the lease still holds it there, and
// then for the process's next turn. An error (Redis unreachable) leaves the
// room to lapse after LockTTL.
func (l *lease) Unlock(ctx context.Context) error {
	if l.unlocked.Swap(true) {
		return nil
	}
	defer l.s.local.Unlock(l.room, l.local)
	err := unlockScript.Run(ctx, l.s.client, []string{l.keys.lock()}, l.tokenStr).Err()
	if err != nil && !l.s.isClosed() {
		return fmt.Errorf("redis store: unlock %q: %w", l.room, err)
	}
	return nil
}

func ms(d time.Duration) int64 { return max(1, d.Milliseconds()) }
