// Command faq is an online shop's customer-service bot: questions answered
// from a knowledge base (statecharts/kb/faq.yaml), a menu of common
// questions, answers in Simplified Chinese, and a handover to a person.
//
//	go run ./bots/faq                   # serve the webhook on :8080
//	go run ./bots/faq chat              # talk to it in the terminal
//	go run ./bots/faq help              # every command: test, lint, graph, explain…
package main

import (
	"github.com/fsmbot/fsmbot/framework/cli"
	"github.com/fsmbot/fsmbot/statecharts"
)

func main() {
	cli.Main(cli.App{Name: "faq", Nickname: "小优", Charts: statecharts.FS, Chart: "faq.yaml", Flows: statecharts.FS, KnowledgeBase: "kb/faq.yaml"})
}
