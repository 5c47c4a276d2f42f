package framework

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/looplab/fsm"
)

// Result is the outcome of one turn: the state the room moves to and the
// message to post, if any.
type Result struct {
	// From is the state the turn started in, after resolving an empty,
	// aliased or unknown botState.
	From string
	// To is the room's next state, always set.
	To string
	// Transition identifies the transition that fired ("menu#2",
	// "menu#fallback", "#fallback"); empty when none did.
	Transition string
	// Reply is the message to post; nil for none.
	Reply *Message
	// Vars are the turn's variables when the turn ended.
	Vars map[string]string
	// Skipped says why no transition ran: "unknown event", "robot sender" or
	// "no match"; empty when one ran.
	Skipped string
	// Err is what went wrong; the Result then keeps the state and carries the
	// chart's error reply.
	Err error
}

// callbacks are the looplab/fsm callbacks of every turn's machine. They are
// the same for all turns, so they are built once; the turn travels in the
// event's arguments.
var callbacks = fsm.Callbacks{
	"leave_state": func(ctx context.Context, e *fsm.Event) {
		// Exit actions run here; a failing one cancels the transition.
	},
	"enter_state": func(ctx context.Context, e *fsm.Event) {
		t := e.Args[0].(*Turn)
		if err := t.act(ctx); err != nil {
			e.Err = err
			return
		}
		e.Err = t.enter(t.fired.to)
	},
	"after_event": func(ctx context.Context, e *fsm.Event) {
		if e.Src != e.Dst {
			return // entered a new state: enter_state did the work
		}
		t := e.Args[0].(*Turn)
		if err := t.act(ctx); err != nil {
			e.Err = err
			return
		}
		if t.fired.to != nil { // an explicit self-transition re-enters: a re-prompt
			e.Err = t.enter(t.fired.to)
		}
	},
}

// Run handles one event and returns the room's next state and the reply. It
// never panics and always returns a usable Result: when a handler fails,
// panics or outlives ctx, the Result keeps the room's state, carries the
// chart's error reply, and says why in Err.
func (b *Bot) Run(ctx context.Context, ev *Event) (res Result) {
	from := b.resolve(ev.State)
	res = Result{From: from.name, To: from.name}
	defer func() {
		if r := recover(); r != nil {
			res = b.failed(from, ev, &PanicError{Value: r, Stack: debug.Stack()})
		}
	}()

	switch {
	case !ev.Type.Known():
		res.Skipped = "unknown event"
		return res
	case ev.Type == MessageEvent && !b.answerRobots && (ev.Sender.IsRobot || b.robotID != "" && ev.Sender.ID == b.robotID):
		res.Skipped = "robot sender"
		return res
	}

	t := &Turn{Event: ev, Sender: ev.Sender, Room: ev.RoomID, From: from.name, bot: b}
	if ev.Type == MessageEvent {
		t.Text = ev.Message.Text
	}
	t.fired = b.choose(from, t)
	if t.fired == nil {
		res.Skipped = "no match"
		res.Vars = t.varsCopy()
		return res
	}
	res.Transition = t.fired.id

	machine := fsm.NewFSM(from.name, from.events, callbacks)
	err := machine.Event(ctx, t.fired.id, t)
	if noop := (fsm.NoTransitionError{}); errors.As(err, &noop) {
		err = noop.Err
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		res = b.failed(from, ev, err)
		res.Transition = t.fired.id
		return res
	}
	res.To = machine.Current()
	res.Reply = compose(t.replies)
	res.Vars = t.varsCopy()
	return res
}

// resolve finds the state a botState names: the initial state for a new room,
// the state that lists it as an alias after a rename, the unknown-state
// target when it names nothing.
func (b *Bot) resolve(name string) *state {
	if name == "" {
		return b.initial
	}
	if st, ok := b.states[name]; ok {
		return st
	}
	b.logger.Warn("unknown botState, continuing in the configured state", "botState", name, "state", b.unknown.name, "bot", b.name)
	return b.unknown
}

// choose returns the first transition of st that the turn triggers, else the
// fallback for a message.
func (b *Bot) choose(st *state, t *Turn) *transition {
	for _, tr := range st.on {
		if tr.event == t.Event.Type && tr.match.match(t) {
			return tr
		}
	}
	if t.Event.Type != MessageEvent {
		return nil
	}
	// A fallback's Match defaults to AnyMessage, but one given in the chart
	// must hold too: a state fallback that does not match defers to the
	// bot's, which may not match either.
	if st.fallback != nil && st.fallback.match.match(t) {
		return st.fallback
	}
	if b.fallback != nil && b.fallback.match.match(t) {
		return b.fallback
	}
	return nil
}

// act runs the fired transition's own reply and handler.
func (t *Turn) act(ctx context.Context) error {
	tr := t.fired
	if tr.reply != nil {
		msg, err := tr.reply.render(t)
		if err != nil {
			return err
		}
		t.replies = append(t.replies, msg)
	}
	if tr.call != nil {
		if err := t.call(ctx, tr); err != nil {
			return err
		}
	}
	return nil
}

// enter runs the entry reply of st.
func (t *Turn) enter(st *state) error {
	if st == nil || st.entry == nil {
		return nil
	}
	msg, err := st.entry.render(t)
	if err != nil {
		return fmt.Errorf("state %q: %w", st.name, err)
	}
	t.replies = append(t.replies, msg)
	return nil
}

// call runs a handler, recovering a panic. Under a deadline it runs on its
// own goroutine so that a handler that ignores ctx cannot hold the reply past
// the deadline; its late work is then discarded with the turn.
func (t *Turn) call(ctx context.Context, tr *transition) error {
	if ctx.Done() == nil {
		return runHandler(ctx, tr, t)
	}
	done := make(chan error, 1)
	go func() { done <- runHandler(ctx, tr, t) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("handler %q: %w: %w", tr.callName, ErrTimeout, ctx.Err())
	}
}

func runHandler(ctx context.Context, tr *transition, t *Turn) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	if err := tr.call(ctx, t); err != nil {
		return fmt.Errorf("handler %q: %w", tr.callName, err)
	}
	return nil
}

// failed is the Result of a turn that went wrong: the state kept, the error
// reply said.
func (b *Bot) failed(from *state, ev *Event, err error) Result {
	res := Result{From: from.name, To: from.name, Err: err}
	if errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, ErrTimeout) {
		res.Err = fmt.Errorf("%w: %w", ErrTimeout, err)
	}
	t := &Turn{Event: ev, Sender: ev.Sender, Room: ev.RoomID, From: from.name, bot: b}
	if msg, rerr := b.errorReply.render(t); rerr == nil {
		res.Reply = &msg
	}
	return res
}
