package framework

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime/debug"
	"strings"
	"time"

	"github.com/looplab/fsm"
)

// Result is the outcome of one turn: the state the room moves to and the
// message to post, if any.
type Result struct {
	// From is the leaf the turn started in, after resolving an empty,
	// aliased or unknown botState.
	From string
	// To is the room's next botState, always set: the leaf's path, followed
	// by HistorySeparator and the remembered path when there is one.
	To string
	// Transition identifies the transition that fired ("menu#2",
	// "menu#fallback", "*#0" for the first global one); empty when none did.
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
	// Trace explains the turn, when asked for with WithTrace or Explain.
	Trace *Trace
}

// callbacks are the looplab/fsm callbacks of every turn's machine. They are
// the same for all turns, so they are built once; the turn travels in the
// event's arguments. Entering the new state runs the whole transition in
// statechart order: exit innermost first, the transition's own action,
// enter outermost first. (Nothing can observe the room between leaving and
// entering, so one callback serves, and each turn's machine stays small.)
var callbacks = fsm.Callbacks{
	"enter_state": func(ctx context.Context, e *fsm.Event) {
		e.Err = e.Args[0].(*Turn).fire(ctx)
	},
}

// fire runs the fired transition's exits, action and entries.
func (t *Turn) fire(ctx context.Context) error {
	if err := t.exit(ctx); err != nil {
		return err
	}
	return t.enter(ctx)
}

// Run handles one event and returns the room's next state and the reply. It
// never panics and always returns a usable Result: when a handler fails,
// panics or outlives ctx, the Result keeps the room's state, carries the
// chart's error reply, and says why in Err.
func (b *Bot) Run(ctx context.Context, ev *Event) Result {
	return b.run(ctx, ev, tracing(ctx), false, nil)
}

// run runs a turn that starts with the session's variables.
func (b *Bot) run(ctx context.Context, ev *Event, trace, dryRun bool, session map[string]string) (res Result) {
	var start time.Time
	if trace {
		start = time.Now()
	}
	from, hist := b.resolve(ev.State)
	res = Result{From: from.path, To: botState(from, hist)}
	switch {
	case !ev.Type.Known():
		res.Skipped = "unknown event"
	case ev.Type == MessageEvent && !b.answerRobots && (ev.Sender.IsRobot || b.robotID != "" && ev.Sender.ID == b.robotID):
		res.Skipped = "robot sender"
	}
	if res.Skipped != "" {
		res.Vars = session
		if trace {
			res.Trace = (&Trace{}).finish(&res, start)
		}
		return res
	}

	t := &Turn{Event: ev, Sender: ev.Sender, Room: ev.RoomID, From: from.path, bot: b, dryRun: dryRun,
		Session: session, Vars: sessionVars(session)}
	t.replies = t.replyBuf[:0]
	if trace {
		t.trace = &Trace{}
		defer func() { res.Trace = t.trace.finish(&res, start) }()
	}
	defer func() {
		if r := recover(); r != nil {
			res = b.failed(res, ev, &PanicError{Value: r, Stack: debug.Stack()})
		}
	}()
	if ev.Type == MessageEvent {
		t.Text = ev.Message.Text
	}
	t.fired = b.choose(from, t)
	if trace {
		t.trace.MatchTime = time.Since(start)
	}
	if t.fired == nil {
		res.Skipped = "no match"
		res.Vars = t.Vars
		return res
	}
	res.Transition = t.fired.id

	dst, newHist := t.route(from, hist)
	events := from.events[t.fired]
	if t.fired.history || t.fired.router != nil {
		events = []fsm.EventDesc{{Name: t.fired.id, Src: []string{from.path}, Dst: dst.path}}
	}
	machine := fsm.NewFSM(from.path, events, callbacks)
	err := machine.Event(ctx, t.fired.id, t)
	if _, ok := err.(fsm.NoTransitionError); ok {
		// A transition from a leaf to itself is legal but no state change
		// to looplab/fsm, which enters nothing: it runs here.
		err = t.fire(ctx)
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return b.failed(res, ev, err)
	}
	res.To = machine.Current()
	if newHist != "" {
		res.To += HistorySeparator + newHist
	}
	res.Reply = compose(t.replies)
	res.Vars = t.Vars // the turn is over: its variables are the Result's
	return res
}

func botState(leaf *state, hist string) string {
	if hist == "" {
		return leaf.path
	}
	return leaf.path + HistorySeparator + hist
}

// resolve finds the leaf a botState names, and the path it remembers: the
// initial state for a new room, the state that lists it as an alias after a
// rename, the unknown-state target when it names nothing. A compound state
// stands for its initial leaf.
func (b *Bot) resolve(botState string) (*state, string) {
	if botState == "" {
		return b.initial.leaf(), ""
	}
	path, hist, _ := strings.Cut(botState, HistorySeparator)
	if hist != "" {
		// Where the room returns must be a state too: a renamed one by its
		// new path, an unknown one forgotten.
		if st, ok := b.paths[hist]; ok {
			hist = st.leaf().path
		} else {
			b.logger.Warn("unknown state to return to in botState, forgotten", "botState", botState, "bot", b.name)
			hist = ""
		}
	}
	if st, ok := b.paths[path]; ok {
		return st.leaf(), hist
	}
	b.logger.Warn("unknown botState, continuing in the configured state", "botState", botState, "state", b.unknown.path, "bot", b.name)
	return b.unknown.leaf(), ""
}

// choose returns the first transition that the turn triggers from leaf, else
// the first fallback that takes a message.
func (b *Bot) choose(leaf *state, t *Turn) *transition {
	if tr := t.first(leaf.candidates); tr != nil {
		return tr
	}
	if t.Event.Type != MessageEvent {
		return nil
	}
	return t.first(leaf.fallbacks)
}

func (t *Turn) first(list []*transition) *transition {
	for _, tr := range list {
		if tr.event != t.Event.Type {
			continue
		}
		// A pattern may set variables its guard then reads; if the guard
		// says no, they must not leak into the transition that fires.
		var saved map[string]string
		undo := tr.guard != nil && tr.match.setsVars()
		if undo {
			saved = maps.Clone(t.Vars)
		}
		if !tr.match.match(t) {
			t.trace.candidate(tr, OutcomePatternMissed)
			if undo {
				t.Vars = saved
			}
			continue
		}
		if tr.guard != nil {
			ok, err := tr.guard.holds(t)
			if err != nil {
				t.bot.logger.Warn("guard failed", "transition", tr.id, "error", err)
				t.trace.candidate(tr, OutcomeGuardFalse+": "+err.Error())
			} else if !ok {
				t.trace.candidate(tr, OutcomeGuardFalse)
			}
			if err != nil || !ok {
				if undo {
					t.Vars = saved
				}
				continue
			}
		}
		t.trace.candidate(tr, OutcomeFired)
		return tr
	}
	return nil
}

// route plans the fired transition from leaf: the leaf it ends in, the states
// it exits and enters, and the path it remembers for History.
func (t *Turn) route(leaf *state, hist string) (*state, string) {
	tr := t.fired
	var target *state
	if tr.router != nil {
		if p := tr.router.Route(t); p != "" {
			target, _ = t.bot.find(tr.from, p)
		}
	}
	switch {
	case target != nil:
	case tr.history:
		target = t.bot.initial
		if st, ok := t.bot.paths[hist]; ok && hist != "" {
			target = st
		}
	case tr.to != nil:
		target = tr.to
	default:
		return leaf, hist // stays: nothing exits or enters
	}
	dst := target.leaf()

	// The domain is the innermost state both ends are in that the target is
	// strictly inside: the target itself is always entered anew.
	domain := commonAncestor(leaf, target)
	if domain == target {
		domain = target.parent
	}
	t.exits, t.enters = t.routeBuf[0:0:4], t.routeBuf[4:4:8]
	for s := leaf; s != domain; s = s.parent {
		t.exits = append(t.exits, s)
	}
	for s := dst; s != domain; s = s.parent {
		t.enters = append(t.enters, s)
	}
	for i, j := 0, len(t.enters)-1; i < j; i, j = i+1, j-1 {
		t.enters[i], t.enters[j] = t.enters[j], t.enters[i]
	}

	if tr.history {
		return dst, ""
	}
	for _, s := range t.enters {
		if s.history {
			if leaf.within(s) {
				return dst, hist // re-entered from inside: keep where it returns to
			}
			return dst, leaf.path
		}
	}
	if owner := historyOwner(leaf); owner != nil && dst.within(owner) {
		return dst, hist
	}
	return dst, ""
}

func commonAncestor(a, b *state) *state {
	for a.depth > b.depth {
		a = a.parent
	}
	for b.depth > a.depth {
		b = b.parent
	}
	for a != b {
		a, b = a.parent, b.parent
	}
	return a
}

// historyOwner is the innermost History state around s.
func historyOwner(s *state) *state {
	for ; s != nil; s = s.parent {
		if s.history {
			return s
		}
	}
	return nil
}

// exit runs the exit actions of the states the transition leaves, innermost
// first.
func (t *Turn) exit(ctx context.Context) error {
	for _, s := range t.exits {
		if err := s.exit.run(ctx, t); err != nil {
			return fmt.Errorf("leaving %q: %w", s.path, err)
		}
	}
	return nil
}

// enter runs the transition's own action, then the entry actions of the
// states it enters, outermost first.
func (t *Turn) enter(ctx context.Context) error {
	if err := t.fired.action.run(ctx, t); err != nil {
		return err
	}
	for _, s := range t.enters {
		if err := s.enter.run(ctx, t); err != nil {
			return fmt.Errorf("entering %q: %w", s.path, err)
		}
	}
	return nil
}

// call runs a handler, recovering a panic. Under a deadline it runs on its
// own goroutine so that a handler that ignores ctx cannot hold the reply past
// the deadline; its late work is then discarded with the turn.
func (t *Turn) call(ctx context.Context, a *action) error {
	if _, ok := ctx.Deadline(); !ok || a.inline {
		return runHandler(ctx, a, t)
	}
	done := make(chan error, 1)
	go func() { done <- runHandler(ctx, a, t) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("handler %q: %w: %w", a.callName, ErrTimeout, ctx.Err())
	}
}

func runHandler(ctx context.Context, a *action, t *Turn) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	if err := a.call(ctx, t); err != nil {
		return fmt.Errorf("handler %q: %w", a.callName, err)
	}
	return nil
}

// failed turns a Result into that of a turn that went wrong: the state as it
// was, the error reply said.
func (b *Bot) failed(res Result, ev *Event, err error) Result {
	out := Result{From: res.From, To: res.To, Transition: res.Transition, Err: err}
	if errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, ErrTimeout) {
		out.Err = fmt.Errorf("%w: %w", ErrTimeout, err)
	}
	t := &Turn{Event: ev, Sender: ev.Sender, Room: ev.RoomID, From: res.From, bot: b}
	if msg, rerr := b.errorReply.render(t); rerr == nil {
		out.Reply = &msg
	}
	return out
}
