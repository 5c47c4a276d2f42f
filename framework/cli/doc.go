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
// and LOG_FORMAT (text, json). SIGINT and SIGTERM shut down gracefully.
//
// chat plays the chat server in the terminal; test runs conversation
// transcripts (package bottest) in process, with --coverage the share of
// transitions they fire; lint checks the chart (package lint); graph draws
// it (package diagram); explain shows how one message is handled, from
// framework.Bot.Explain.
//
// Exit status: 0 success, 1 failure (a chart that does not load, a failing
// transcript, a lint error), 2 a command line that makes no sense.
package cli
