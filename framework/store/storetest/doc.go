// Package storetest checks a framework.Store against its contract, so that
// every store (memory, bolt, redis, and any written later) is held to the
// same behaviour:
//
//   - Run: sessions round-trip and are kept per (app, room) whatever bytes
//     the IDs hold; sessions expire SessionTTL after their room's last turn
//     and answers DedupeWindow after they were saved (with a fake clock in
//     StoreOptions.Now); a stored answer comes back byte for byte, and an
//     empty message ID is never deduplicated; a Save with an overtaken lease
//     fails with framework.ErrFenced and writes nothing; a lease lapses
//     after LockTTL; tokens increase; Lock waits for Unlock and gives up when
//     its context ends; Unlock twice is harmless; after Close everything
//     fails with framework.ErrClosed; 1000 concurrent turns on one room lose
//     no update, and rooms do not wait for each other.
//   - RunShared: the same ordering, locking and fencing across two Store
//     values over one backend, as two replicas of a bot would use it.
//   - Bench: a whole turn (Lock, Load, Save, Unlock) on one room, on one room
//     from many goroutines, and on 100 rooms in parallel.
//
// A store's tests call them with a function that opens a new, empty store:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, opts framework.StoreOptions) framework.Store {
//			s := memory.New(opts)
//			t.Cleanup(func() { s.Close() })
//			return s
//		})
//	}
package storetest
