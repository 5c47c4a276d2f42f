package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	bbolt "go.etcd.io/bbolt"
	bberrors "go.etcd.io/bbolt/errors"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/store/internal/codec"
	"github.com/fsmbot/fsmbot/framework/store/internal/roomlock"
)

const (
	// OpenTimeout is how long Open waits for the file lock that another
	// process holds before it gives up.
	OpenTimeout = 2 * time.Second
	// PurgeEvery is how often a Store purges expired entries.
	PurgeEvery = time.Minute

	purgeBatch = 1000  // keys deleted per purge transaction
	purgeScan  = 10000 // keys read per purge transaction
	maxBatch   = 256   // saves committed together
	tokenBlock = 1 << 32
)

var (
	bucketSessions = []byte("sessions")
	bucketAnswers  = []byte("answers")
	bucketFences   = []byte("fences")
	bucketMeta     = []byte("meta")
	keyTokens      = []byte("tokens")
)

// ErrLocked is returned by Open when another process holds the file.
var ErrLocked = errors.New("bolt store: file in use by another process")

// Store is a framework.Store in one bbolt file.
type Store struct {
	db    *bbolt.DB
	opts  framework.StoreOptions
	locks *roomlock.Manager

	tokMu    sync.Mutex
	tokNext  uint64 // last token handed out
	tokLimit uint64 // tokens up to this one are reserved in the file

	gate   sync.RWMutex // held for reading by Load, Save and Purge; Close takes it
	closed bool

	writes chan *saveReq
	stop   chan struct{}
	wg     sync.WaitGroup
}

var _ framework.Store = (*Store)(nil)

// Open opens the store in the bbolt file at path, creating it if needed;
// opts' zero fields take their defaults. Only one process can have the file
// open: Open fails with ErrLocked after OpenTimeout if another one has.
// Close the Store to release the file.
func Open(path string, opts framework.StoreOptions) (*Store, error) {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: OpenTimeout, FreelistType: bbolt.FreelistMapType})
	if errors.Is(err, bberrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s (waited %v for its lock)", ErrLocked, path, OpenTimeout)
	}
	if err != nil {
		return nil, fmt.Errorf("bolt store: open %s: %w", path, err)
	}
	db.NoSync = false // every commit is fsynced before it returns
	s := &Store{
		db:     db,
		opts:   opts.WithDefaults(),
		writes: make(chan *saveReq, maxBatch),
		stop:   make(chan struct{}),
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketSessions, bucketAnswers, bucketFences, bucketMeta} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keyTokens); v != nil {
			if len(v) != 8 {
				return fmt.Errorf("corrupt token reservation")
			}
			s.tokNext = beUint64(v)
		}
		s.tokLimit = s.tokNext + tokenBlock
		return meta.Put(keyTokens, bePut(s.tokLimit))
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("bolt store: init %s: %w", path, err)
	}
	s.locks = roomlock.New(s.opts.LockTTL, s.nextToken)
	s.wg.Add(2)
	go s.writer()
	go s.purger()
	return s, nil
}

// Path is the file the Store is in.
func (s *Store) Path() string { return s.db.Path() }

// nextToken hands out the next fencing token. Tokens are reserved in the
// file a block at a time, so that they keep growing across restarts without
// a write per Lock.
func (s *Store) nextToken() uint64 {
	s.tokMu.Lock()
	defer s.tokMu.Unlock()
	s.tokNext++
	if s.tokNext > s.tokLimit {
		limit := s.tokNext - 1 + tokenBlock
		err := s.db.Update(func(tx *bbolt.Tx) error {
			return tx.Bucket(bucketMeta).Put(keyTokens, bePut(limit))
		})
		if err == nil {
			s.tokLimit = limit
		} // else: tokens still increase in this process; the next one retries
	}
	return s.tokNext
}

// Lock implements framework.Store. Locks live in the process: a lease
// lapses LockTTL after it was granted if another turn waits for the room.
func (s *Store) Lock(ctx context.Context, room framework.Room) (framework.Lease, error) {
	return s.locks.Acquire(ctx, room) // ErrClosed once Close has closed the locks
}

// Load implements framework.Store.
func (s *Store) Load(ctx context.Context, room framework.Room, messageID string) (framework.Session, *framework.Answer, error) {
	var sess framework.Session
	if err := ctx.Err(); err != nil {
		return sess, nil, err
	}
	rk := codec.RoomKey(nil, room)
	if err := checkKey(rk, messageID); err != nil {
		return sess, nil, err
	}
	s.gate.RLock()
	defer s.gate.RUnlock()
	if s.closed {
		return sess, nil, framework.ErrClosed
	}
	now := s.opts.Now()
	var ans *framework.Answer
	err := s.db.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bucketSessions).Get(rk); v != nil {
			got, exp, err := codec.DecodeSession(v)
			if err != nil {
				return err
			}
			if !codec.Expired(exp, now) {
				sess = got
			}
		}
		if messageID == "" {
			return nil
		}
		if v := tx.Bucket(bucketAnswers).Get(append(rk, messageID...)); v != nil {
			got, exp, err := codec.DecodeAnswer(v)
			if err != nil {
				return err
			}
			if !codec.Expired(exp, now) {
				ans = &got
			}
		}
		return nil
	})
	if err != nil {
		return framework.Session{}, nil, fmt.Errorf("bolt store: load %q: %w", room, err)
	}
	return sess, ans, nil
}

// saveReq is one Save waiting for the writer's next commit.
type saveReq struct {
	token    uint64
	roomKey  []byte
	session  []byte
	fence    []byte
	answerID []byte // nil: no answer to keep
	answer   []byte
	err      error
	done     chan error
}

// Save implements framework.Store: the session, the answer and the room's
// fence are written in one bbolt transaction, fsynced before Save returns.
// Saves of different rooms that arrive together share a commit.
func (s *Store) Save(ctx context.Context, l framework.Lease, sess framework.Session, messageID string, a framework.Answer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	bl, ok := s.locks.Owns(l)
	if !ok {
		return framework.ErrFenced // a lease of another store never holds this one's rooms
	}
	now := s.opts.Now()
	r := &saveReq{token: bl.Token(), roomKey: codec.RoomKey(nil, bl.Room()), done: make(chan error, 1)}
	if err := checkKey(r.roomKey, messageID); err != nil {
		return err
	}
	exp := now.Add(s.opts.SessionTTL)
	var err error
	if r.session, err = codec.EncodeSession(nil, sess, exp); err != nil {
		return err
	}
	r.fence = codec.EncodeFence(bl.Token(), exp)
	if messageID != "" {
		r.answerID = codec.AnswerKey(nil, bl.Room(), messageID)
		if r.answer, err = codec.EncodeAnswer(nil, a, now.Add(s.opts.DedupeWindow)); err != nil {
			return err
		}
	}
	if int64(len(r.session)) > bbolt.MaxValueSize || int64(len(r.answer)) > bbolt.MaxValueSize {
		return fmt.Errorf("bolt store: save %q: value too large", bl.Room())
	}

	s.gate.RLock()
	defer s.gate.RUnlock()
	if s.closed {
		return framework.ErrClosed
	}
	if s.locks.Pin(bl.Room(), bl.Token()) == roomlock.Stale {
		return framework.ErrFenced
	}
	defer s.locks.Unpin(bl.Room())
	s.writes <- r
	if err := <-r.done; err != nil {
		if errors.Is(err, framework.ErrFenced) {
			return err
		}
		return fmt.Errorf("bolt store: save %q: %w", bl.Room(), err)
	}
	return nil
}

// apply writes r in tx, unless a newer lease saved the room already.
func (r *saveReq) apply(tx *bbolt.Tx) error {
	fences := tx.Bucket(bucketFences)
	if v := fences.Get(r.roomKey); v != nil {
		if tok, _, err := codec.DecodeFence(v); err == nil && tok > r.token {
			return framework.ErrFenced
		}
	}
	if err := tx.Bucket(bucketSessions).Put(r.roomKey, r.session); err != nil {
		return err
	}
	if err := fences.Put(r.roomKey, r.fence); err != nil {
		return err
	}
	if r.answerID != nil {
		return tx.Bucket(bucketAnswers).Put(r.answerID, r.answer)
	}
	return nil
}

// writer commits the saves: all those waiting when a commit starts go into
// it together (group commit), with no delay when there is just one.
func (s *Store) writer() {
	defer s.wg.Done()
	batch := make([]*saveReq, 0, maxBatch)
	for {
		select {
		case <-s.stop:
			return
		case r := <-s.writes:
			batch = append(batch[:0], r)
		fill:
			for len(batch) < maxBatch {
				select {
				case r := <-s.writes:
					batch = append(batch, r)
				default:
					break fill
				}
			}
			s.commit(batch)
		}
	}
}

func (s *Store) commit(batch []*saveReq) {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		for _, r := range batch {
			r.err = r.apply(tx)
			if r.err != nil && !errors.Is(r.err, framework.ErrFenced) {
				return r.err
			}
		}
		return nil
	})
	if err == nil {
		for _, r := range batch {
			r.done <- r.err
		}
		return
	}
	if len(batch) == 1 {
		batch[0].done <- err
		return
	}
	// One save spoiled the shared commit: commit each on its own.
	for _, r := range batch {
		r.done <- s.db.Update(r.apply)
	}
}

// Purge deletes the expired sessions, answers and fences now, a batch per
// transaction, and reports how many it deleted. The Store purges by itself
// every PurgeEvery; expired entries are never returned, purged or not.
func (s *Store) Purge() (int, error) {
	s.gate.RLock()
	defer s.gate.RUnlock()
	if s.closed {
		return 0, framework.ErrClosed
	}
	return s.purge()
}

func (s *Store) purge() (int, error) {
	fenceExpiry := func(v []byte) (time.Time, bool) {
		_, exp, err := codec.DecodeFence(v)
		return exp, err == nil
	}
	total := 0
	for _, b := range []struct {
		name   []byte
		expiry func([]byte) (time.Time, bool)
	}{{bucketAnswers, codec.RecordExpiry}, {bucketSessions, codec.RecordExpiry}, {bucketFences, fenceExpiry}} {
		n, err := s.purgeBucket(b.name, b.expiry)
		total += n
		if err != nil {
			return total, fmt.Errorf("bolt store: purge %s: %w", b.name, err)
		}
	}
	return total, nil
}

func (s *Store) purgeBucket(name []byte, expiry func([]byte) (time.Time, bool)) (int, error) {
	expired := func(v []byte, now time.Time) bool {
		exp, ok := expiry(v)
		return ok && codec.Expired(exp, now)
	}
	deleted := 0
	var from []byte
	for {
		now := s.opts.Now()
		var keys [][]byte
		var next []byte
		err := s.db.View(func(tx *bbolt.Tx) error {
			c := tx.Bucket(name).Cursor()
			k, v := c.First()
			if from != nil {
				k, v = c.Seek(from)
			}
			for scanned := 0; k != nil; k, v = c.Next() {
				if scanned == purgeScan || len(keys) == purgeBatch {
					next = bytes.Clone(k)
					break
				}
				scanned++
				if expired(v, now) {
					keys = append(keys, bytes.Clone(k))
				}
			}
			return nil
		})
		if err != nil {
			return deleted, err
		}
		if len(keys) > 0 {
			err = s.db.Update(func(tx *bbolt.Tx) error {
				b := tx.Bucket(name)
				for _, k := range keys {
					// A Save may have renewed it since the scan.
					if v := b.Get(k); v != nil && expired(v, now) {
						if err := b.Delete(k); err != nil {
							return err
						}
						deleted++
					}
				}
				return nil
			})
			if err != nil {
				return deleted, err
			}
		}
		if next == nil {
			return deleted, nil
		}
		from = next
		select {
		case <-s.stop:
			return deleted, nil
		default:
		}
	}
}

func (s *Store) purger() {
	defer s.wg.Done()
	t := time.NewTicker(PurgeEvery)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.purge() // an error is retried at the next tick
		}
	}
}

// Close implements framework.Store: it waits for the Loads and Saves under
// way, stops the background purge and closes the file. Later calls, and
// Locks still waiting, fail with framework.ErrClosed. Closing twice is
// harmless.
func (s *Store) Close() error {
	s.gate.Lock()
	if s.closed {
		s.gate.Unlock()
		return nil
	}
	s.closed = true
	s.gate.Unlock()
	s.locks.Close()
	close(s.stop)
	s.wg.Wait()
	return s.db.Close()
}

func checkKey(roomKey []byte, messageID string) error {
	if len(roomKey)+len(messageID) > bbolt.MaxKeySize {
		return fmt.Errorf("bolt store: room and message IDs longer than %d bytes", bbolt.MaxKeySize-8)
	}
	return nil
}

func bePut(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

func beUint64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }
