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

// unlocked is a store whose turns are not ordered: the room's lock is held
// only while a turn saves (as the store requires), not from the turn's start
// to its end. It is the baseline that per-room ordering is measured
// against.
type unlocked struct{ framework.Store }

type noLease struct{ room framework.Room }

func (l noLease) Room() framework.Room             { return l.room }
func (l noLease) Token() uint64                    { return 0 }
func (l noLease) Unlock(ctx context.Context) error { return nil }

func (u unlocked) Lock(_ context.Context, room framework.Room) (framework.Lease, error) {
	return noLease{room}, nil
}

func (u unlocked) Save(ctx context.Context, lease framework.Lease, s framework.Session, id string, a framework.Answer) error {
	real, err := u.Store.Lock(ctx, lease.Room())
	if err != nil {
		return err
	}
	defer real.Unlock(ctx)
	return u.Store.Save(ctx, real, s, id, a)
}

// totals add up every run of a sub-benchmark, for the ratio the locked one
// reports: with -count N, go test runs each sub-benchmark N times in order.
var unlockedTime, unlockedTurns atomic.Int64

// BenchmarkRoomsParallel runs the same turns, spread over 100 rooms, from
// GOMAXPROCS goroutines (b.RunParallel), each a new message (so every
// answer is kept for redeliveries), through Rooms with a memory store:
//
//   - unlocked: a room's turns may overlap (the baseline);
//   - locked: a room's turns run one at a time, as served.
//
// locked reports throughput-vs-unlocked over every run of unlocked before it
// (the target is ≥ 0.8); direct, Bot.Run alone without a store, is there to
// show what sessions and redelivery answers cost at all:
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
		b.RunParallel(func(pb *testing.PB) {
			turns(pb, func(ev *framework.Event) {
				res := bot.Run(ctx, ev)
				if body, _ := encodeWebhook(bot, res); res.Err != nil || len(body) == 0 {
					b.Errorf("turn: %v", res.Err)
				}
			})
		})
	})

	rooms := func(locked bool) func(b *testing.B) {
		return func(b *testing.B) {
			mem := memory.New(framework.StoreOptions{})
			defer mem.Close()
			var store framework.Store = mem
			if !locked {
				store = unlocked{mem}
			}
			rooms := &framework.Rooms{Store: store, Encode: encodeWebhook}
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				turns(pb, func(ev *framework.Event) {
					h, err := rooms.Handle(ctx, bot, ev)
					if err != nil || h.Result.Err != nil || h.Replayed || len(h.Body) == 0 {
						b.Errorf("turn: %v, %v, replayed %v", err, h.Result.Err, h.Replayed)
					}
				})
			})
			b.StopTimer()
			perTurn := float64(b.Elapsed()) / float64(b.N)
			if !locked {
				unlockedTime.Add(int64(b.Elapsed()))
				unlockedTurns.Add(int64(b.N))
			} else if n := unlockedTurns.Load(); n > 0 {
				base := float64(unlockedTime.Load()) / float64(n)
				b.ReportMetric(base/perTurn, "throughput-vs-unlocked")
			}
		}
	}
	b.Run("unlocked", rooms(false))
	b.Run("locked", rooms(true))
}
