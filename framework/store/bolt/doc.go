// Package bolt is the default framework.Store of a deployed bot: one bbolt
// file (go.etcd.io/bbolt) that one process owns.
//
//	s, err := bolt.Open("/var/lib/mybot/fsmbot.db", framework.StoreOptions{})
//	if err != nil { … }
//	defer s.Close()
//
// # Guarantees
//
//   - Durability: every Save is one bbolt transaction (the session, the
//     answer and the room's fence together, or none of them) committed with
//     fsync before Save returns; NoSync is never set. A reply the customer
//     saw was saved before it was sent, so it survives a crash or a restart
//     of the process and of the machine, as far as the disk honours fsync.
//     Saves of different rooms that arrive while a commit is under way are
//     committed together in the next one (group commit): one fsync for all
//     of them, and no added wait for a Save that comes alone.
//   - One owner: bbolt locks the file; a second Open, from another process
//     or the same one, fails with ErrLocked after OpenTimeout instead of
//     hanging. Several replicas of a bot need package redis instead.
//   - Ordering: a room's turns run one at a time, in the order their Locks
//     arrived in the process; rooms run in parallel. Locks live in memory,
//     exist only while a room is held or waited for, and lapse LockTTL after
//     they were granted if another turn waits for the room, so that a
//     stalled turn cannot keep its room forever.
//   - Fencing: Save succeeds only for the room's newest lease, and no newer
//     lease is granted while a Save is being committed. Tokens come from one
//     counter for the file, reserved on disk 2³² at a time, so they keep
//     growing across restarts at no cost per Lock. The fences bucket keeps,
//     for each room, the token of the lease that saved it last: a Save with
//     an older token is refused even after the room's lock was forgotten.
//   - Dedupe: an answer is returned for its message ID until DedupeWindow
//     after its Save, the session until SessionTTL after the room's last
//     Save, by StoreOptions.Now. Expired entries are never returned; every
//     PurgeEvery a background pass deletes them, at most 1000 per
//     transaction so that Saves are not held up (Purge runs one pass now;
//     Close stops it).
//
// # Layout
//
// Buckets sessions (room key), answers (room key + message ID) and fences
// (room key), and meta (the token reservation). A room key is the app ID
// and the room ID, each prefixed by its length (uvarint): no two rooms or
// messages share a key, whatever bytes their IDs hold (\x00 included).
// Records carry their expiry; their encoding is internal.
//
// # Limits
//
// Throughput is bounded by the disk's fsync latency (one commit at a time,
// each with two fsyncs): a single room runs one turn per commit; many rooms
// share commits. The file does not shrink when entries are purged (bbolt
// reuses the pages). App, room and message IDs together are limited to 32
// KiB. Keep the file on a local disk: network file systems may not honour
// the lock or fsync.
package bolt
