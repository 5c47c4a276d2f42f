// Package cli is the command line every fsmbot bot shares, so that a bot's
// main package is a few lines:
//
//	func main() {
//		cli.Main(cli.App{Name: "faq", Charts: statecharts.FS, Chart: "faq.yaml"})
//	}
//
// "faq" and "faq serve" serve the bot's webhook. Flags: -addr (env ADDR,
// default :8080), -robot-id (env ROBOT_ID), -timeout (env TURN_TIMEOUT,
// default 2s). Environment: WEBHOOK_TOKEN and WEBHOOK_TOKEN_HEADER (default
// X-Webhook-Token) for authentication, LOG_LEVEL (debug, info, warn, error)
// and LOG_FORMAT (text, json). SIGINT and SIGTERM shut down gracefully.
package cli
