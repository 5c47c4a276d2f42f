package framework_test

import (
	"context"
	"log/slog"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/store/memory"
	"github.com/fsmbot/fsmbot/framework/webhook"
)

// benchRooms is how many rooms the parallel turns are spread over.
const benchRooms = 100

// benchBot is a menu whose turn matches a keyword among several, calls a Go
// handler that counts the room's turns in a session variable, and renders
// a reply: a typical turn of a served bot.
func benchBot(b *testing.B) *framework.Bot {
	count := func(_ context.Context, t *framework.Turn) error {
		n, _ := strconv.Atoi(t.Vars["turns"])
		t.Set("turns", strconv.Itoa(n+1))
		return nil
	}
	menu := framework.State{Name: "menu", Fallback: &framework.Transition{Reply: framework.Say("没听懂")}}
	for i, kw := range []string{"营业时间", "门店地址", "会员", "积分", "优惠券", "发票", "配送", "运费", "退款", "人工"} {
		menu.On = append(menu.On, framework.Transition{Match: framework.Keywords(kw), Call: "count",
			Reply: framework.Say("关于" + kw + "（第 {{.Vars.turns}} 问）：请看说明 " + strconv.Itoa(i) + "。")})
	}
	bot, err := framework.New(framework.Chart{Name: "bench", RobotID: "robot", Initial: "menu", States: []framework.State{menu}},
		framework.Options{Logger: slog.New(slog.DiscardHandler), Handlers: map[string]framework.Handler{"count": count}})
	if err != nil {
		b.Fatal(err)
	}
	return bot
}

// encodeWebhook is the webhook's answer, as the server encodes it with or
// without a store.
func encodeWebhook(bot *framework.Bot, res framework.Result) ([]byte, error) {
	return webhook.NewResponse(bot.RobotID(), res).AppendJSON(nil), nil
}

// directTime and directTurns add up every run of direct, for the ratio
// rooms reports: with -count N, go test runs direct N times, then rooms.
var directTime, directTurns atomic.Int64

// BenchmarkRoomsParallel compares the same turns, spread over 100 rooms and
// run from GOMAXPROCS goroutines (b.RunParallel), each with a message ID of
// its own, and each encoded as the webhook's answer:
//
//   - direct: Bot.Run, no lock, no session (what the server does without a
//     store);
//   - rooms: Rooms.Handle with a memory store: the room's lock, its
//     session loaded and saved, the answer stored for redeliveries;
//   - rooms_no_answers: the same without message IDs, so that no answer is
//     kept: the lock and the session alone.
//
// Each rooms benchmark reports throughput-vs-direct, its throughput as a
// share of direct's over every run of direct before it (the target is
// ≥ 0.8):
//
//	go test ./framework -run '^$' -bench RoomsParallel -count 5
func BenchmarkRoomsParallel(b *testing.B) {
	bot := benchBot(b)
	var prefixes atomic.Int64
	// turns runs a goroutine's turns: each a new message in the next room.
	// Goroutines start apart, so that they do not walk the rooms in step,
	// queueing for the same one all the time.
	turns := func(pb *testing.PB, run func(ev *framework.Event)) {
		g := prefixes.Add(1)
		prefix := "g" + strconv.FormatInt(g, 10) + "-"
		i := int(g) * 37
		for pb.Next() {
			room := "room" + strconv.Itoa(i%benchRooms)
			run(&framework.Event{
				AppID: "app", RoomID: room, Room: room, Type: framework.MessageEvent, State: "menu",
				Sender:  framework.Client{ID: "u1", Nickname: "小明"},
				Message: framework.Message{ID: prefix + strconv.Itoa(i), Type: "text", Text: "你好，我想申请退款，怎么操作？"},
			})
			i++
		}
	}

	b.Run("direct", func(b *testing.B) {
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			turns(pb, func(ev *framework.Event) {
				res := bot.Run(ctx, ev)
				if body, _ := encodeWebhook(bot, res); res.Err != nil || len(body) == 0 {
					b.Errorf("turn: %v", res.Err)
				}
			})
		})
		b.StopTimer()
		directTime.Add(int64(b.Elapsed()))
		directTurns.Add(int64(b.N))
	})

	// rooms runs the turns through Rooms; without IDs, no answer is kept
	// for redeliveries, which leaves the lock and the session.
	rooms := func(withIDs bool) func(b *testing.B) {
		return func(b *testing.B) {
			store := memory.New(framework.StoreOptions{})
			defer store.Close()
			rooms := &framework.Rooms{Store: store, Encode: encodeWebhook}
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				turns(pb, func(ev *framework.Event) {
					if !withIDs {
						ev.Message.ID = ""
					}
					h, err := rooms.Handle(ctx, bot, ev)
					if err != nil || h.Result.Err != nil || h.Replayed || len(h.Body) == 0 {
						b.Errorf("turn: %v, %v, replayed %v", err, h.Result.Err, h.Replayed)
					}
				})
			})
			b.StopTimer()
			if n := directTurns.Load(); n > 0 {
				direct := float64(directTime.Load()) / float64(n)
				b.ReportMetric(direct/(float64(b.Elapsed())/float64(b.N)), "throughput-vs-direct")
			}
		}
	}
	b.Run("rooms", rooms(true))
	b.Run("rooms_no_answers", rooms(false))
}
