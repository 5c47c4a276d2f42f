// Command orders is an online shop's order-status and refund bot: it asks
// for the order number and the phone it was placed with, looks the order up
// in the shop's order service, files refund requests after a confirmation,
// and hands over to a person.
//
// It starts a sample order service on loopback from embedded data, as a
// deployment would call its shop's real one:
//
//	go run ./bots/orders
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
