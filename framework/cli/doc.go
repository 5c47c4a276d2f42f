// Package cli is the command line every fsmbot bot shares, so that a bot's
// main package is a few lines:
//
//	func main() {
//		cli.Main(cli.App{Name: "faq", Nickname: "小优", Charts: statecharts.FS, Chart: "faq.yaml", Flows: statecharts.FS})
//	}
//
// Commands (flags take one dash or two; "faq help COMMAND" lists a
// command's flags):
//
//	faq [serve] [--addr A] [--robot-id ID] [--timeout D] [--chart FILE [--watch]]
//	            [--data DIR | --redis URL | --memory] [--session-ttl D] [--dedupe-window D]
//	faq chat    [--chart FILE] [--room R] [--nickname N] [--user U]
//	faq test    [--chart FILE] [--coverage] [-v] PATH...
//	faq lint    [--chart FILE]
//	faq graph   [--chart FILE] [--format mermaid|dot]
//	faq explain [--chart FILE] [--state S] [--json] TEXT...
//	faq help    [COMMAND]
//
// serve, the default, serves the bot's webhook. Flags: -addr (env ADDR,
// default :8080), -robot-id (env ROBOT_ID), -timeout (env TURN_TIMEOUT,
// default 2s), -chart to serve a chart from disk, -watch to reload it when
// it changes (only a version that compiles and passes lint replaces the
// running bot). Environment: WEBHOOK_TOKEN and WEBHOOK_TOKEN_HEADER (default
// X-Webhook-Token) for authentication, LOG_LEVEL (debug, info, warn, error)
// and LOG_FORMAT (text, json). SIGINT and SIGTERM shut down gracefully:
// turns in flight finish, then the session store is closed.
//
// serve keeps each room's session (the variables its conversation keeps
// between turns: a form's answers) and the answers it gave (a message the
// chat server delivers again, same data._id, gets the same bytes back
// without running again) in one store, which the log names at start-up:
//
//   - -data DIR (env DATA_DIR, default ./data): a bbolt file,
//     DIR/fsmbot.db, DIR created if needed (package store/bolt). Every
//     answer is fsynced before it is sent, so nothing a customer saw is
//     lost in a crash. One process per directory: a second one fails.
//   - -redis URL (env REDIS_URL, redis://[user:password@]host:port/db):
//     a Redis that several replicas of the bot share (package
//     store/redis), each room's turns ordered across all of them. Keys
//     start with fsmbot:NAME: (NAME is App.Name), so bots can share a
//     Redis. Durable as far as Redis's appendfsync says.
//   - -memory (env MEMORY_STORE=true): the process's memory (package
//     store/memory), lost when it stops.
//
// Choosing two of them is an error. -session-ttl (env SESSION_TTL,
// default 168h) is how long a room's variables outlive its last turn;
// -dedupe-window (env DEDUPE_WINDOW, default 24h) how long an answer is
// kept for redeliveries.
//
// chat plays the chat server in the terminal, with the room's variables
// kept in memory from turn to turn as serve keeps them; test runs
// conversation transcripts (package bottest) in process, with --coverage
// the share of transitions they fire; lint checks the chart (package lint); graph draws
// it (package diagram); explain shows how one message is handled, from
// framework.Bot.Explain.
//
// A bot whose chart is written in Go (framework.Chart) sets App.Build
// instead of Charts and Chart; every command runs it, and --chart FILE still
// loads a YAML chart instead.
//
// Exit status: 0 success, 1 failure (a chart that does not load, a failing
// transcript, a lint error), 2 a command line that makes no sense.
package cli
