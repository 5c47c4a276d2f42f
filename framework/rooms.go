package framework

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"
)

// Rooms runs turns with memory: a room's turns one at a time, its session
// variables kept between turns, and a redelivered message answered with the
// bytes it was answered with before, without running again.
type Rooms struct {
	// Store keeps sessions and answers; nil runs every turn without memory.
	Store Store
	// Encode turns a Result into the bytes the chat server receives; they are
	// what a redelivery gets back.
	Encode func(bot *Bot, res Result) ([]byte, error)
}

// Handled is the outcome of Rooms.Handle.
type Handled struct {
	Result Result
	// Body is the encoded answer.
	Body []byte
	// Replayed is set when the message was answered before: Body is the
	// stored answer and nothing ran.
	Replayed bool
}

// Handle runs ev on bot within its room. Like Bot.Run it always produces an
// answer; an error from the store is reported in Result.Err with the error
// reply and the room's state kept.
func (r *Rooms) Handle(ctx context.Context, bot *Bot, ev *Event) (Handled, error) {
	if r.Store == nil || ev.RoomID == "" {
		return r.answer(bot, bot.Run(ctx, ev))
	}
	room := Room{AppID: ev.AppID, RoomID: ev.RoomID}
	lease, err := r.Store.Lock(ctx, room)
	if err != nil {
		return r.answer(bot, bot.refuse(ev, fmt.Errorf("waiting for the room's previous turn: %w", err)))
	}
	defer lease.Unlock(context.WithoutCancel(ctx))

	msgID := ""
	if ev.Type == MessageEvent {
		msgID = ev.Message.ID
	}
	sess, stored, err := r.Store.Load(ctx, room, msgID)
	if err != nil {
		return r.answer(bot, bot.refuse(ev, fmt.Errorf("loading the room's session: %w", err)))
	}
	if stored != nil {
		return Handled{Body: stored.Body, Replayed: true, Result: Result{From: ev.State, To: ev.State}}, nil
	}

	res := bot.run(ctx, ev, tracing(ctx), false, sess.Vars)
	h, err := r.answer(bot, res)
	if err != nil || res.Err != nil {
		return h, err // a failed turn changes nothing: a retry runs it again
	}
	next := Session{Vars: res.Vars, UpdatedAt: time.Now()}
	if err := r.Store.Save(ctx, lease, next, msgID, Answer{Body: h.Body, AnsweredAt: next.UpdatedAt}); err != nil {
		if errors.Is(err, ErrFenced) {
			err = fmt.Errorf("a newer turn of the room took over: %w", err)
		}
		return r.answer(bot, bot.refuse(ev, fmt.Errorf("saving the room's session: %w", err)))
	}
	return h, nil
}

func (r *Rooms) answer(bot *Bot, res Result) (Handled, error) {
	h := Handled{Result: res}
	if r.Encode == nil {
		return h, nil
	}
	body, err := r.Encode(bot, res)
	if err != nil {
		return h, fmt.Errorf("encode answer: %w", err)
	}
	h.Body = body
	return h, nil
}

// refuse is the Result of a turn that could not run: the state kept, the
// error reply said.
func (b *Bot) refuse(ev *Event, err error) Result {
	from, hist := b.resolve(ev.State)
	return b.failed(Result{From: from.path, To: botState(from, hist)}, ev, err)
}

// sessionVars is the turn's starting variables: a copy of the session's, so
// that a failed turn leaves the session as it was.
func sessionVars(vars map[string]string) map[string]string {
	if len(vars) == 0 {
		return nil
	}
	return maps.Clone(vars)
}
