// Command greeter is the smallest fsmbot bot: it greets whoever joins a room
// by nickname, answers /help, and echoes every text message back. It has one
// state; the chart is built in Go.
//
//	go run ./examples/greeter -addr :8080
//	curl -s localhost:8080/webhook -d '{"roomID": "r1", "event": "MESSAGE",
//	  "data": {"message": "你好", "messageType": "text", "sender": {"_id": "u1", "nickname": "Desirae"}}}'
package main

import (
	"context"
	"flag"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/server"
)

// Chart is the greeter's chart. The first transition that matches wins, so
// /help comes before the catch-all echo.
func Chart() framework.Chart {
	return framework.Chart{
		Name:    "greeter",
		RobotID: "greeter",
		Initial: "chatting",
		States: []framework.State{{
			Name: "chatting",
			On: []framework.Transition{
				{Event: framework.JoinRoom, Reply: framework.Say("{{.Sender.Nickname}}，欢迎！说点什么，我会跟着说。输入 /help 查看帮助。")},
				{Match: framework.Command("/help"), Reply: framework.Say("我是复读机器人：你说什么，我就说什么。")},
				{Match: framework.MessageType("text"), Reply: framework.Say("{{.Text}}")},
				{Match: framework.AnyMessage(), Reply: framework.Say("我只会重复文字哦。")},
			},
		}},
	}
}

func main() {
	addr := flag.String("addr", ":8080", "address to serve the webhook on")
	flag.Parse()

	bot, err := framework.New(Chart(), framework.Options{})
	if err != nil {
		log.Fatal(err)
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	srv := server.New(bot, server.Config{Token: os.Getenv("WEBHOOK_TOKEN")})
	log.Printf("greeter: POST http://%s/webhook", l.Addr())
	if err := srv.Serve(ctx, l, 5*time.Second); err != nil {
		log.Fatal(err)
	}
}
