// Package redis is a framework.Store in Redis, for a bot that runs as many
// replicas: each room's turns are ordered across all of them.
//
//	s, err := redis.Open(os.Getenv("REDIS_URL"), framework.StoreOptions{})
//
// or, with a client of your own (a cluster, sentinel, TLS…):
//
//	s := redis.New(goredis.NewClusterClient(…), framework.StoreOptions{}, "mybot:")
//
// # Keys
//
// Every key of a room carries the hash tag {app:room} (each ID with '%',
// ':', '{', '}' and control bytes escaped as %XX), so that the room's keys
// live in one cluster slot and one script can touch them all, and no two
// rooms share a key:
//
//	<prefix>{app:room}:fence             the room's fence counter
//	<prefix>{app:room}:lock              the lease's token, PX LockTTL
//	<prefix>{app:room}:session           PX SessionTTL
//	<prefix>{app:room}:answer:<message>  PX DedupeWindow
//
// Every key expires: Redis's memory does not grow with rooms that went
// quiet.
//
// # Guarantees
//
//   - Ordering: Lock runs a script that, if the lock key is free, increments
//     the fence counter and sets the lock key to the new value with PX
//     LockTTL (SET NX PX, with the token from the counter). While another
//     replica holds the room, the first of this process's waiting turns
//     polls, backing off from 1 ms to 50 ms, until it gets the room, ctx
//     ends or the Store is closed; the process's other turns for the room
//     queue behind it in order. Unlock deletes the lock key only if it still
//     holds the lease's token (compare and delete). A replica that dies or
//     stalls holds the room for LockTTL at most.
//   - Fencing: the lease's token is the fence counter's value, so tokens
//     increase with every lease of the room, on every replica. Save is one
//     script that checks that the counter still equals the lease's token
//     (ErrFenced otherwise, with nothing written) and writes the session and
//     the answer, all or nothing. A counter that expired (its room quiet for
//     SessionTTL) restarts from Redis's clock in microseconds, above every
//     token it gave before.
//   - Dedupe: an answer is returned for its message ID until DedupeWindow
//     after its Save, the session until SessionTTL after the room's last
//     Save; records carry their expiry by StoreOptions.Now and are ignored
//     once expired, and Redis deletes them by their TTL.
//
// # Durability
//
// A Save is acknowledged once Redis has applied it in memory; whether it is
// on disk then is Redis's configuration. "A reply the customer saw is never
// forgotten" holds only with the append-only file and appendfsync always
// (appendonly yes, appendfsync always): Redis then fsyncs each write before
// it answers. With appendfsync everysec (the usual setting) a crash loses
// up to a second of replies, and with snapshots alone everything since the
// last one; replication to replicas is asynchronous, so a failover can
// lose acknowledged Saves as well.
//
// # Limits
//
// Redis 5 or later (the lock script reads the server's clock before it
// writes). A prefix with '{' in it puts all keys in one slot. A Save whose
// ctx ends while the script is on its way returns ctx's error without
// knowing whether the script ran. Lock is fair within a process but not
// across replicas: the replica that polls first after an Unlock wins.
package redis
