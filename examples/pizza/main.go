// Command pizza takes a pizza order in four states: size → toppings →
// confirm → done. A regex captures the size, a Go handler picks the
// toppings, and the final reply is a template over what was chosen.
//
// The chat server keeps only the room's state between turns, not what the
// customer chose, and a turn's Vars last one turn: so the "remember" handler
// keeps each room's choices in memory and puts them back into Vars every turn.
// (A real bot would use a store with expiry.)
//
//	go run ./examples/pizza -addr :8080
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"maps"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/server"
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
					{Match: framework.Regex(`(?P<size>小|中|大)`), To: "toppings", Call: "remember"},
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
					{Match: framework.Exact("重来"), To: "size", Call: "forget"},
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

// shop remembers each room's order in progress.
type shop struct {
	mu     sync.Mutex
	orders map[string]map[string]string // room → choices so far
	placed int
}

// remember saves this turn's Vars into the room's order, then puts the whole
// order back into Vars for the replies.
func (s *shop) remember(_ context.Context, t *framework.Turn) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	order := s.orders[t.Room]
	if order == nil {
		order = map[string]string{}
		s.orders[t.Room] = order
	}
	maps.Copy(order, t.Vars)
	for k, v := range order {
		t.Set(k, v)
	}
	return nil
}

func (s *shop) toppings(ctx context.Context, t *framework.Turn) error {
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
	return s.remember(ctx, t)
}

func (s *shop) place(ctx context.Context, t *framework.Turn) error {
	s.mu.Lock()
	s.placed++
	t.Set("order", fmt.Sprintf("P%04d", s.placed))
	s.mu.Unlock()
	if err := s.remember(ctx, t); err != nil { // the order into Vars, for the summary
		return err
	}
	return s.forget(ctx, t) // placed: the next order starts afresh
}

func (s *shop) forget(_ context.Context, t *framework.Turn) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.orders, t.Room)
	return nil
}

// newBot compiles the chart with a new, empty shop's handlers.
func newBot() (*framework.Bot, error) {
	s := &shop{orders: map[string]map[string]string{}}
	return framework.New(Chart(), framework.Options{Handlers: map[string]framework.Handler{
		"remember": s.remember, "toppings": s.toppings, "place": s.place, "forget": s.forget,
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

	srv := server.New(bot, server.Config{Token: os.Getenv("WEBHOOK_TOKEN")})
	log.Printf("pizza: POST http://%s/webhook", l.Addr())
	if err := srv.Serve(ctx, l, 5*time.Second); err != nil {
		log.Fatal(err)
	}
}
