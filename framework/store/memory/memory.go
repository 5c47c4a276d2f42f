package memory

import (
	"context"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/store/internal/roomlock"
)

// SweepEvery is how often a Store drops expired sessions and answers.
const SweepEvery = time.Minute

// Store is a framework.Store in the process's memory.
type Store struct {
	opts   framework.StoreOptions
	tokens atomic.Uint64
	locks  *roomlock.Manager

	mu       sync.RWMutex
	closed   bool
	sessions map[framework.Room]*session
	answers  map[answerKey]*answer

	stop chan struct{}
	done chan struct{}
}

type session struct {
	s     framework.Session
	exp   time.Time
	fence uint64 // token of the lease that saved it
}

type answer struct {
	a   framework.Answer
	exp time.Time
}

type answerKey struct {
	room      framework.Room
	messageID string
}

var _ framework.Store = (*Store)(nil)

// New returns an empty Store; opts' zero fields take their defaults. Close
// stops its sweeper.
func New(opts framework.StoreOptions) *Store {
	s := &Store{
		opts:     opts.WithDefaults(),
		sessions: map[framework.Room]*session{},
		answers:  map[answerKey]*answer{},
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	s.locks = roomlock.New(s.opts.LockTTL, func() uint64 { return s.tokens.Add(1) })
	go s.sweeper()
	return s
}

// Lock implements framework.Store.
func (s *Store) Lock(ctx context.Context, room framework.Room) (framework.Lease, error) {
	return s.locks.Acquire(ctx, room) // ErrClosed once Close has closed the locks
}

// Load implements framework.Store.
func (s *Store) Load(ctx context.Context, room framework.Room, messageID string) (framework.Session, *framework.Answer, error) {
	if err := ctx.Err(); err != nil {
		return framework.Session{}, nil, err
	}
	now := s.opts.Now()
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return framework.Session{}, nil, framework.ErrClosed
	}
	var sess framework.Session
	if rec := s.sessions[room]; rec != nil && now.Before(rec.exp) {
		sess = framework.Session{Vars: maps.Clone(rec.s.Vars), UpdatedAt: rec.s.UpdatedAt}
	}
	if messageID == "" {
		return sess, nil, nil
	}
	if rec := s.answers[answerKey{room, messageID}]; rec != nil && now.Before(rec.exp) {
		return sess, &framework.Answer{Body: append([]byte{}, rec.a.Body...), AnsweredAt: rec.a.AnsweredAt}, nil
	}
	return sess, nil, nil
}

// Save implements framework.Store.
func (s *Store) Save(ctx context.Context, l framework.Lease, sess framework.Session, messageID string, a framework.Answer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ml, ok := s.locks.Owns(l)
	if !ok {
		return framework.ErrFenced // a lease of another store never holds this one's rooms
	}
	verdict := s.locks.Pin(ml.Room(), ml.Token())
	if verdict == roomlock.Stale {
		return framework.ErrFenced
	}
	defer s.locks.Unpin(ml.Room())

	now := s.opts.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return framework.ErrClosed
	}
	if rec := s.sessions[ml.Room()]; rec != nil && rec.fence > ml.Token() {
		return framework.ErrFenced // a newer lease saved the room
	}
	s.sessions[ml.Room()] = &session{
		s:     framework.Session{Vars: maps.Clone(sess.Vars), UpdatedAt: sess.UpdatedAt.Round(0)},
		exp:   now.Add(s.opts.SessionTTL),
		fence: ml.Token(),
	}
	if messageID != "" {
		s.answers[answerKey{ml.Room(), messageID}] = &answer{
			a:   framework.Answer{Body: append([]byte{}, a.Body...), AnsweredAt: a.AnsweredAt.Round(0)},
			exp: now.Add(s.opts.DedupeWindow),
		}
	}
	return nil
}

// Sweep drops the expired sessions and answers now, and reports how many it
// dropped. The Store sweeps by itself every SweepEvery; expired entries are
// never returned, swept or not.
func (s *Store) Sweep() int {
	now := s.opts.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, rec := range s.sessions {
		if !now.Before(rec.exp) {
			delete(s.sessions, k)
			n++
		}
	}
	for k, rec := range s.answers {
		if !now.Before(rec.exp) {
			delete(s.answers, k)
			n++
		}
	}
	return n
}

// Len reports how many sessions and answers the Store keeps, expired ones
// not yet swept included, and how many rooms' locks.
func (s *Store) Len() (sessions, answers, locks int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.sessions), len(s.answers), s.locks.Len()
}

// Close implements framework.Store: it stops the sweeper and drops
// everything; later calls fail with framework.ErrClosed, and so do Locks
// still waiting. Closing twice is harmless.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.sessions, s.answers = nil, nil
	s.mu.Unlock()
	s.locks.Close()
	close(s.stop)
	<-s.done
	return nil
}

func (s *Store) sweeper() {
	defer close(s.done)
	t := time.NewTicker(SweepEvery)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.Sweep()
		}
	}
}
