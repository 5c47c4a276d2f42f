// Package memory is a framework.Store that keeps everything in the process's
// memory: for tests, and for a bot that runs as one process and may forget
// its rooms when it stops.
//
// Guarantees:
//
//   - Ordering: a room's turns run one at a time, in the order their Locks
//     arrived; rooms run in parallel. A room's lock exists only while it is
//     held or waited for, so memory does not grow with the number of rooms
//     ever seen. A lease lapses LockTTL after it was granted if someone
//     waits for the room (a stalled turn cannot keep its room forever); the
//     stalled turn's Save then fails with framework.ErrFenced. Tokens come
//     from one counter for the whole Store, so they increase in every room.
//   - Fencing: Save succeeds only for the room's newest lease, and the check
//     and the write are one step: no newer lease is granted while a Save is
//     being written. A lease unlocked and forgotten (its room idle) is still
//     refused if a newer lease saved the room since, as long as that
//     session has not expired.
//   - Dedupe: an answer is returned for its message ID until DedupeWindow
//     after its Save; the session until SessionTTL after the room's last
//     Save. Expiry uses StoreOptions.Now; expired entries are never
//     returned, and a sweeper drops them every SweepEvery (Close stops it).
//   - Copies: the Store keeps its own copy of what it is given and returns
//     copies, so callers may change both.
//   - Durability: none beyond the process. Save is atomic (a Load sees all
//     of it or none of it) and visible to every Load that follows, but
//     everything is gone when the process ends. Use package bolt or redis
//     when "a reply the customer saw is never forgotten" must survive a
//     restart.
package memory
