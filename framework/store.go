package framework

import (
	"context"
	"errors"
	"time"
)

// Store keeps what the chat server does not: each room's session variables,
// and the answers already given, so that a redelivered message is answered
// the same way without running again. It also orders a room's turns: one at
// a time per room, rooms in parallel.
//
// Implementations: package store/memory (tests, one process), store/bolt (an
// embedded file, the default), store/redis (many replicas). Package
// store/storetest checks any implementation against this contract.
type Store interface {
	// Lock waits until the room is free, or ctx ends, and takes it for one
	// turn. Every Lease of a room has a larger Token than the one before it:
	// a fencing token, so that a turn that stalled past its lease cannot
	// overwrite what a newer turn saved.
	Lock(ctx context.Context, room Room) (Lease, error)
	// Load returns the room's session (empty if none, or expired), and the
	// answer stored for messageID if that message was answered within the
	// dedupe window (nil otherwise, and always for an empty messageID).
	Load(ctx context.Context, room Room, messageID string) (Session, *Answer, error)
	// Save stores the room's session and, for a non-empty messageID, the
	// answer given to it, atomically and as durably as the store can (an
	// fsync for bolt; Redis as its appendfsync says) before it returns, if
	// the lease is still the room's newest; ErrFenced otherwise. A Save
	// after the lease's own Unlock is undefined and may return ErrFenced.
	// Save refuses to start once ctx has ended; a Save to a remote store
	// cut short by ctx has an unknown outcome.
	Save(ctx context.Context, lease Lease, s Session, messageID string, a Answer) error
	// Close releases the store's resources. It is idempotent; Lock calls
	// still waiting, and every call after it, return ErrClosed.
	Close() error
}

// Lease is a room's turn lock, held from Store.Lock until Unlock.
type Lease interface {
	Room() Room
	Token() uint64
	// Unlock frees the room for its next turn. Unlocking twice is harmless.
	Unlock(ctx context.Context) error
}

// Room identifies a room across apps: sessions are kept per (app, room), and
// nothing reads or writes a session outside its room.
type Room struct {
	AppID  string
	RoomID string
}

// Session is what a bot remembers of a room between turns.
type Session struct {
	Vars      map[string]string `json:"vars,omitempty"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// Answer is a turn's answer as the chat server saw it, kept so that a
// redelivered message gets the same bytes back.
type Answer struct {
	Body       []byte    `json:"body"`
	AnsweredAt time.Time `json:"answered_at"`
}

// Errors stores return.
var (
	// ErrFenced: the lease was overtaken by a newer turn of the room (it
	// expired while its turn stalled); nothing was saved.
	ErrFenced = errors.New("store: lease overtaken by a newer turn")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("store: closed")
)

// StoreOptions are the retention settings every Store takes.
type StoreOptions struct {
	// SessionTTL is how long a session lives after its room's last turn.
	// Zero means DefaultSessionTTL.
	SessionTTL time.Duration
	// DedupeWindow is how long an answer is kept for redeliveries. Zero
	// means DefaultDedupeWindow.
	DedupeWindow time.Duration
	// LockTTL bounds how long a lease holds a room while another turn
	// waits: a turn that stalls longer is overtaken, and its Save fails with
	// ErrFenced, so one hung handler cannot block its room forever. Zero
	// means DefaultLockTTL.
	LockTTL time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Retention defaults.
const (
	DefaultSessionTTL   = 7 * 24 * time.Hour
	DefaultDedupeWindow = 24 * time.Hour
	DefaultLockTTL      = 10 * time.Second
)

// WithDefaults fills o's zero fields with the defaults.
func (o StoreOptions) WithDefaults() StoreOptions {
	if o.SessionTTL <= 0 {
		o.SessionTTL = DefaultSessionTTL
	}
	if o.DedupeWindow <= 0 {
		o.DedupeWindow = DefaultDedupeWindow
	}
	if o.LockTTL <= 0 {
		o.LockTTL = DefaultLockTTL
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}
