// Package server serves a framework.Bot as the chat server's robot webhook,
// with Echo.
//
// POST /webhook takes one room event and answers with the room's next state
// and the reply; GET /healthz answers {"status":"ok"} without authentication
// for load balancers.
//
// The server is built to be the part of a customer-service deployment that
// never falls over:
//
//   - With Config.Token set, every webhook call must carry it in
//     Config.TokenHeader (the chat server sends it from the robot's
//     requestHeaders). It is compared in constant time; a miss is 401.
//   - A body over Config.MaxBodyBytes is 413; a body that is not a JSON object,
//     or lacks roomID or event, is 400. Every error is a JSON object
//     {"error": "what is wrong"}, and so are Echo's own 404 and 405.
//   - A turn runs under Config.Timeout. A handler that panics, fails or runs
//     past the deadline is answered 200 with the bot's error reply and the
//     room's state unchanged, so the chat server keeps a consistent room; the
//     panic is logged with its stack.
//   - Serve shuts down gracefully: it stops accepting, then waits for turns in
//     flight.
//   - SetBot swaps the running bot atomically, for charts reloaded from disk.
//
// Every turn is logged with log/slog: room, event, from and to state,
// transition and latency.
package server
