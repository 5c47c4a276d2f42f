// Command orders is an online shop's order-status and refund bot: it asks
// for the order number and the phone it was placed with, looks the order up
// in the shop's order service, files refund requests after a confirmation,
// and hands over to a person.
//
// It starts a sample order service on loopback from embedded data, as a
// deployment would call its shop's real one, so it runs with no setup:
//
//	go run ./bots/orders                # serve the webhook on :8080
//	go run ./bots/orders chat           # talk to it in the terminal
//	go run ./bots/orders test --coverage bots/orders/testdata/transcripts
//	go run ./bots/orders help           # every command: lint, graph, explain…
//
// Orders to try in chat: 20241101 with 13812345678 (shipped), 20241103 with
// the same phone (paid, not shipped), 20241105 with 15012345678 (refunded,
// so a refund is refused); see orderservice/orders.json.
package main

import (
	"fmt"
	"os"

	"github.com/fsmbot/fsmbot/framework/cli"
)

func main() {
	app, err := newApp()
	if err != nil {
		fmt.Fprintln(os.Stderr, "orders:", err)
		os.Exit(1)
	}
	cli.Main(app)
}
