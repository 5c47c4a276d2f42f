// Command pizza takes a pizza order in four states: size → toppings →
// confirm → done. A regex captures the size, a Go handler picks the
// toppings, and the final reply is a template over what was chosen.
//
// The chat server keeps only the room's state between turns; what the
// customer chose lives in the room's session, kept by the server's store
// (in memory here; bolt or Redis in production), so every turn sees the
// choices made before.
//
//	go run ./examples/pizza -addr :8080
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/server"
	"github.com/fsmbot/fsmbot/framework/store/memory"
)

// Chart is the order flow. The handlers it calls are those of a shop.
func Chart() framework.Chart {
	return framework.Chart{
		Name:    "pizza",
		RobotID: "pizza",
		Initial: "size",
		States: []framework.State{
			{
				Name:  "size",
				Reply: framework.Say("要什么尺寸的披萨？小 / 中 / 大"),
				On: []framework.Transition{
					{Event: framework.JoinRoom, To: "size", Reply: framework.Say("{{.Sender.Nickname}}，欢迎光临！")},
					{Match: framework.Regex(`(?P<size>小|中|大)`), To: "toppings"},
				},
				Fallback: &framework.Transition{Reply: framework.Say("请回复 小、中 或 大")},
			},
			{
				Name:  "toppings",
				Reply: framework.Say("{{.Vars.size}}号，好的。加什么配料？蘑菇 / 火腿 / 菠萝，可以多选；不加请回复“不要”"),
				On: []framework.Transition{
					{Match: framework.Keywords("蘑菇", "火腿", "菠萝", "不要", "不加"), To: "confirm", Call: "toppings"},
				},
				Fallback: &framework.Transition{Reply: framework.Say("配料有 蘑菇、火腿、菠萝")},
			},
			{
				Name:  "confirm",
				Reply: framework.Say("您点的是：{{.Vars.size}}号披萨，配料：{{.Vars.toppings}}。回复“确认”下单，“重来”重新选。"),
				On: []framework.Transition{
					{Match: framework.Exact("确认", "好", "是", "ok"), To: "done", Call: "place"},
					{Match: framework.Exact("重来"), To: "size", Set: []framework.Assign{{Name: "size"}, {Name: "toppings"}}},
				},
			},
			{
				Name:  "done",
				Reply: framework.Say("已下单！订单 {{.Vars.order}}：{{.Vars.size}}号披萨（{{.Vars.toppings}}），30 分钟送到。"),
				On:    []framework.Transition{{Match: framework.AnyMessage(), To: "size"}},
			},
		},
	}
}

// shop numbers the orders it takes.
type shop struct {
	mu     sync.Mutex
	placed int
}

func (s *shop) toppings(_ context.Context, t *framework.Turn) error {
	var chosen []string
	for _, topping := range []string{"蘑菇", "火腿", "菠萝"} {
		if strings.Contains(t.Normalized(), topping) {
			chosen = append(chosen, topping)
		}
	}
	if len(chosen) == 0 {
		chosen = []string{"无"}
	}
	t.Set("toppings", strings.Join(chosen, "、"))
	return nil
}

func (s *shop) place(_ context.Context, t *framework.Turn) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.placed++
	t.Set("order", fmt.Sprintf("P%04d", s.placed))
	return nil
}

// newBot compiles the chart with a new shop's handlers.
func newBot() (*framework.Bot, error) {
	s := &shop{}
	return framework.New(Chart(), framework.Options{Handlers: map[string]framework.Handler{
		"toppings": s.toppings, "place": s.place,
	}})
}

func main() {
	addr := flag.String("addr", ":8080", "address to serve the webhook on")
	flag.Parse()

	bot, err := newBot()
	if err != nil {
		log.Fatal(err)
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	store := memory.New(framework.StoreOptions{})
	defer store.Close()
	srv := server.New(bot, server.Config{Token: os.Getenv("WEBHOOK_TOKEN"), Store: store})
	log.Printf("pizza: POST http://%s/webhook", l.Addr())
	if err := srv.Serve(ctx, l, 5*time.Second); err != nil {
		log.Fatal(err)
	}
}
