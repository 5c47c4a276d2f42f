package framework

import (
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/looplab/fsm"
)

// Options configure a Bot beyond its chart.
type Options struct {
	// Handlers are the Go functions transitions call by name.
	Handlers map[string]Handler
	// RobotID overrides the chart's robot ID (the replies' senderID).
	RobotID string
	// Logger receives warnings such as a room in an unknown state. Nil means
	// slog.Default().
	Logger *slog.Logger
	// Rand chooses among reply variants. Nil means a shared random source;
	// tests pass a seeded one for repeatable replies.
	Rand *rand.Rand
}

// Bot is a compiled chart, ready to run turns. It is immutable: any number of
// turns run on it at once.
type Bot struct {
	name         string
	robotID      string
	initial      *state
	unknown      *state
	states       map[string]*state // by name and by alias
	order        []*state
	fallback     *transition
	errorReply   *compiledReply
	answerRobots bool
	logger       *slog.Logger
	warnings     []Problem
	transitions  []*transition

	randMu sync.Mutex
	rand   *rand.Rand
}

type state struct {
	name     string
	aliases  []string
	entry    *compiledReply
	on       []*transition
	fallback *transition
	events   []fsm.EventDesc // every transition leaving this state, for looplab/fsm
	pos      Pos
}

type transition struct {
	id       string // unique in the bot: the looplab/fsm event name
	event    EventType
	match    matcher
	label    string
	from     *state // nil for the bot-wide fallback
	to       *state // nil: stay, without re-entering
	reply    *compiledReply
	call     Handler
	callName string
	pos      Pos
}

// New compiles a chart into a Bot, checking everything a turn would otherwise
// discover too late: one initial state, targets that exist, regular
// expressions and templates that parse, handlers that are registered. Every
// problem is reported at once in a *ChartError. Warnings (an unreachable
// state) do not stop compilation: see Warnings.
func New(c Chart, opts Options) (*Bot, error) {
	b := &Bot{
		name:         c.Name,
		robotID:      c.RobotID,
		states:       make(map[string]*state, len(c.States)),
		answerRobots: c.AnswerRobots,
		logger:       opts.Logger,
		rand:         opts.Rand,
	}
	if opts.RobotID != "" {
		b.robotID = opts.RobotID
	}
	if b.logger == nil {
		b.logger = slog.Default()
	}
	var problems []Problem
	bad := func(pos Pos, fix, format string, args ...any) {
		problems = append(problems, Problem{Pos: pos, What: fmt.Sprintf(format, args...), Fix: fix})
	}

	if len(c.States) == 0 {
		bad(c.Pos, "add at least one state under states:", "the chart has no states")
	}
	for _, s := range c.States {
		if s.Name == "" {
			bad(s.Pos, "give every state a name", "a state has no name")
			continue
		}
		if prev, dup := b.states[s.Name]; dup {
			bad(s.Pos, "rename one of them", "state %q is defined twice (first at %s)", s.Name, prev.pos)
			continue
		}
		st := &state{name: s.Name, aliases: s.Aliases, pos: s.Pos}
		b.states[s.Name] = st
		b.order = append(b.order, st)
	}
	for _, s := range c.States {
		if s.Name == "" {
			continue // reported above; its aliases would name a nil state
		}
		for _, a := range s.Aliases {
			if prev, dup := b.states[a]; dup {
				bad(s.Pos, "an alias must not name another state or alias", "alias %q of state %q is already %q", a, s.Name, prev.name)
				continue
			}
			b.states[a] = b.states[s.Name]
		}
	}

	stateNamed := func(name string, pos Pos, what string) *state {
		st, ok := b.states[name]
		if !ok {
			bad(pos, "use one of: "+b.stateList(), "%s %q is not a state", what, name)
			return nil
		}
		if st.name != name {
			bad(pos, fmt.Sprintf("use the state's name %q", st.name), "%s %q is an alias", what, name)
		}
		return st
	}

	switch {
	case c.Initial == "" && len(c.States) > 0:
		bad(c.Pos, fmt.Sprintf("add initial: %s (or another state)", c.States[0].Name), "the chart names no initial state")
	case c.Initial != "":
		b.initial = stateNamed(c.Initial, c.Pos, "initial state")
	}
	b.unknown = b.initial
	if c.UnknownState != "" {
		b.unknown = stateNamed(c.UnknownState, c.Pos, "unknown_state")
	}

	compileTransition := func(t Transition, from *state, id string) *transition {
		if strings.HasSuffix(id, "#fallback") && t.Match.IsZero() {
			t.Match = AnyMessage() // a fallback answers whatever nothing else did
		}
		tr := &transition{id: id, event: t.Event, from: from, pos: t.Pos, callName: t.Call}
		if tr.event == "" {
			tr.event = MessageEvent
		}
		if tr.event == MessageEvent && t.Match.IsZero() {
			bad(t.Pos, "add a pattern (exact, keywords, all_of, regex, command, type) or any: true", "a MESSAGE transition has no pattern")
		}
		if tr.event != MessageEvent && !t.Match.IsZero() && t.Match.kind != MatchRobotAdded && t.Match.kind != MatchCustom {
			bad(t.Pos, "text patterns apply to MESSAGE only; remove the pattern or the event", "%s cannot match %s", tr.event, t.Match)
		}
		if t.Match.kind == MatchRobotAdded && tr.event != AddMembers {
			bad(t.Pos, "use robot_added with event: ADD_MEMBERS", "robot_added on %s never matches", tr.event)
		}
		m, err := compileMatch(t.Match)
		if err != nil {
			bad(t.Pos, "", "%v", err)
		}
		tr.match = m
		tr.label = string(tr.event)
		if s := t.Match.String(); s != "" {
			tr.label = s
		}
		if t.To != "" {
			tr.to = stateNamed(t.To, t.Pos, "target")
		}
		if tr.reply, err = compileReply(t.Reply); err != nil {
			bad(t.Pos, "", "%v", err)
		}
		if t.Call != "" {
			h, ok := opts.Handlers[t.Call]
			if !ok {
				bad(t.Pos, "register it in Options.Handlers, or fix the name", "handler %q is not registered", t.Call)
			}
			tr.call = h
		}
		b.transitions = append(b.transitions, tr)
		return tr
	}

	if c.Fallback != nil {
		b.fallback = compileTransition(*c.Fallback, nil, "#fallback")
	}
	var err error
	if b.errorReply, err = compileReply(c.ErrorReply); err != nil {
		bad(c.Pos, "", "error reply: %v", err)
	}
	if b.errorReply == nil {
		b.errorReply, _ = compileReply(DefaultErrorReply)
	}

	for _, s := range c.States {
		st := b.states[s.Name]
		if st == nil || st.pos != s.Pos || st.name != s.Name {
			continue // a duplicate, reported above
		}
		if st.entry, err = compileReply(s.Reply); err != nil {
			bad(s.Pos, "", "state %q: %v", s.Name, err)
		}
		for i, t := range s.On {
			st.on = append(st.on, compileTransition(t, st, st.name+"#"+strconv.Itoa(i)))
		}
		if s.Fallback != nil {
			st.fallback = compileTransition(*s.Fallback, st, st.name+"#fallback")
		}
	}

	if len(problems) > 0 {
		return nil, &ChartError{Problems: problems}
	}
	for _, st := range b.order {
		st.events = b.eventsFrom(st)
	}
	b.warnings = b.unreachable()
	return b, nil
}

// eventsFrom lists, for looplab/fsm, every transition that may leave st.
func (b *Bot) eventsFrom(st *state) []fsm.EventDesc {
	var events []fsm.EventDesc
	add := func(t *transition) {
		if t == nil {
			return
		}
		dst := st.name
		if t.to != nil {
			dst = t.to.name
		}
		events = append(events, fsm.EventDesc{Name: t.id, Src: []string{st.name}, Dst: dst})
	}
	for _, t := range st.on {
		add(t)
	}
	add(st.fallback)
	add(b.fallback)
	return events
}

// unreachable warns of states no transition enters.
func (b *Bot) unreachable() []Problem {
	reached := map[*state]bool{b.initial: true, b.unknown: true}
	for _, t := range b.transitions {
		if t.to != nil {
			reached[t.to] = true
		}
	}
	var warnings []Problem
	for _, st := range b.order {
		if !reached[st] {
			warnings = append(warnings, Problem{Pos: st.pos, What: fmt.Sprintf("state %q is unreachable: no transition enters it", st.name), Fix: "add a transition to it, or remove it"})
		}
	}
	return warnings
}

func (b *Bot) stateList() string {
	names := make([]string, len(b.order))
	for i, st := range b.order {
		names[i] = st.name
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// Name returns the chart's name.
func (b *Bot) Name() string { return b.name }

// RobotID returns the robot's client ID, the replies' senderID.
func (b *Bot) RobotID() string { return b.robotID }

// Initial returns the initial state's name.
func (b *Bot) Initial() string { return b.initial.name }

// Warnings returns what New noticed but did not reject, such as unreachable
// states.
func (b *Bot) Warnings() []Problem { return slices.Clone(b.warnings) }

// States returns the states' names in chart order.
func (b *Bot) States() []string {
	names := make([]string, len(b.order))
	for i, st := range b.order {
		names[i] = st.name
	}
	return names
}

func (b *Bot) intN(n int) int {
	if b.rand == nil {
		return rand.IntN(n)
	}
	b.randMu.Lock()
	defer b.randMu.Unlock()
	return b.rand.IntN(n)
}
