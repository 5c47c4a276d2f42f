package framework

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/looplab/fsm"
)

// Options configure a Bot beyond its chart.
type Options struct {
	// Handlers are the Go functions transitions and states call by name.
	Handlers map[string]Handler
	// Guards are the Go conditions transitions name in Guard.
	Guards map[string]Guard
	// RobotID overrides the chart's robot ID (the replies' senderID).
	RobotID string
	// Logger receives warnings such as a room in an unknown state. Nil means
	// slog.Default().
	Logger *slog.Logger
	// Rand chooses among reply variants. Nil means a shared random source;
	// tests pass a seeded one for repeatable replies.
	Rand *rand.Rand
	// Now tells guards the time. Nil means time.Now.
	Now func() time.Time
}

// Bot is a compiled chart, ready to run turns. It is immutable: any number of
// turns run on it at once.
type Bot struct {
	name          string
	robotID       string
	root          *state // the chart itself: parent of the top-level states
	initial       *state
	unknown       *state
	paths         map[string]*state // by path and by alias
	order         []*state          // every state, depth first, in chart order
	global        []*transition
	fallback      *transition
	transitions   []*transition // every transition, in chart order
	errorReply    *compiledReply
	answerRobots  bool
	callsHandlers bool
	location      *time.Location
	now           func() time.Time
	logger        *slog.Logger
	warnings      []Problem

	randMu sync.Mutex
	rand   *rand.Rand
}

type state struct {
	name         string
	path         string
	parent       *state // nil for the root
	children     []*state
	initial      *state // the child a transition to this state enters
	depth        int
	aliases      []string
	enter        *action
	exit         *action
	on           []*transition
	ownFallbacks []*transition // Fallback, then a form slot's last resort
	noGlobals    bool
	history      bool
	pos          Pos

	// Leaves only: what may fire from here, in the order it is tried, and
	// the looplab/fsm event of each from here.
	candidates []*transition
	fallbacks  []*transition
	events     map[*transition][]fsm.EventDesc // one event each: a turn's machine
}

func (s *state) isLeaf() bool { return len(s.children) == 0 }

// leaf descends through initial children to the leaf a room enters.
func (s *state) leaf() *state {
	for !s.isLeaf() {
		s = s.initial
	}
	return s
}

// within reports whether s is a or one of its descendants.
func (s *state) within(a *state) bool {
	for ; s != nil; s = s.parent {
		if s == a {
			return true
		}
	}
	return false
}

type transition struct {
	id       string // unique in the bot: the looplab/fsm event name
	event    EventType
	match    matcher
	pattern  Match
	guard    *guard
	from     *state // the declaring state; the root for globals and the chart fallback
	to       *state // nil: stay, without re-entering
	history  bool   // To is History
	action   *action
	global   bool
	fallback bool
	router   Router // chooses the target at run time, when set
	pos      Pos
}

// New compiles a chart into a Bot, checking everything a turn would otherwise
// discover too late: an initial state, targets that exist, regular
// expressions, guards and templates that compile, handlers that are
// registered. Every problem is reported at once in a *ChartError. Warnings
// (an unreachable state) do not stop compilation: see Warnings.
func New(c Chart, opts Options) (*Bot, error) {
	cc := &compiler{
		opts: opts,
		bot: &Bot{
			name:         c.Name,
			robotID:      c.RobotID,
			paths:        make(map[string]*state),
			answerRobots: c.AnswerRobots,
			logger:       opts.Logger,
			rand:         opts.Rand,
			now:          opts.Now,
		},
		chart:    c,
		handlers: maps.Clone(opts.Handlers),
		guards:   maps.Clone(opts.Guards),
		inline:   map[string]bool{},
	}
	if cc.handlers == nil {
		cc.handlers = map[string]Handler{}
	}
	if cc.guards == nil {
		cc.guards = map[string]Guard{}
	}
	return cc.compile()
}

// compiler holds what New needs while it works.
type compiler struct {
	opts     Options
	chart    Chart
	bot      *Bot
	problems []Problem
	decls    map[*state]State
	// The handlers and guards transitions may name: the chart's own and
	// those forms make (inline: run on the turn's goroutine).
	handlers map[string]Handler
	guards   map[string]Guard
	inline   map[string]bool
}

func (cc *compiler) bad(pos Pos, fix, format string, args ...any) {
	cc.problems = append(cc.problems, Problem{Pos: pos, What: fmt.Sprintf(format, args...), Fix: fix})
}

// keyPos is where a chart-level key was written, else the chart's position.
func (cc *compiler) keyPos(key string) Pos {
	if p, ok := cc.chart.KeyPos[key]; ok {
		return p
	}
	return cc.chart.Pos
}

func (cc *compiler) compile() (*Bot, error) {
	b, c := cc.bot, cc.chart
	if b.logger == nil {
		b.logger = slog.Default()
	}
	if cc.opts.RobotID != "" {
		b.robotID = cc.opts.RobotID
	}
	if b.now == nil {
		b.now = time.Now
	}
	b.location = time.Local
	if c.TimeZone != "" {
		loc, err := time.LoadLocation(c.TimeZone)
		if err != nil {
			cc.bad(cc.keyPos("time_zone"), `use an IANA name such as "Asia/Shanghai"`, "unknown time zone %q", c.TimeZone)
		} else {
			b.location = loc
		}
	}

	b.root = &state{name: "", depth: -1, pos: c.Pos}
	cc.decls = make(map[*state]State)
	if len(c.States) == 0 {
		cc.bad(cc.keyPos("states"), "add at least one state under states:", "the chart has no states")
	}
	cc.addStates(b.root, c.States)
	cc.addAliases()

	switch {
	case c.Initial == "" && len(c.States) > 0:
		cc.bad(cc.keyPos("initial"), fmt.Sprintf("add initial: %s (or another state)", c.States[0].Name), "the chart names no initial state")
	case c.Initial != "":
		b.initial = cc.lookup(b.root, c.Initial, cc.keyPos("initial"), "initial state")
	}
	b.unknown = b.initial
	if c.UnknownState != "" {
		b.unknown = cc.lookup(b.root, c.UnknownState, cc.keyPos("unknown_state"), "unknown_state")
	}

	var err error
	if b.errorReply, err = compileReply(c.ErrorReply); err != nil {
		cc.bad(cc.keyPos("error_reply"), "", "error reply: %v", err)
	}
	if b.errorReply == nil {
		b.errorReply, _ = compileReply(DefaultErrorReply)
	}

	for i, t := range c.Global {
		if tr := cc.transition(t, b.root, "*#"+strconv.Itoa(i)); tr != nil {
			tr.global = true
			b.global = append(b.global, tr)
		}
	}
	if c.Fallback != nil {
		b.fallback = cc.transition(*c.Fallback, b.root, "*#fallback")
	}
	for _, st := range b.order {
		cc.stateBody(st)
	}

	if len(cc.problems) > 0 {
		return nil, &ChartError{Problems: cc.problems}
	}
	for _, st := range b.order {
		if st.isLeaf() {
			b.plan(st)
		}
	}
	if err := b.checkMachine(); err != nil {
		return nil, err
	}
	b.warnings = append(b.lintReachable(), b.lintHistory()...)
	return b, nil
}

// addStates creates the state tree under parent.
func (cc *compiler) addStates(parent *state, decls []State) {
	b := cc.bot
	seen := map[string]Pos{}
	for _, s := range decls {
		switch {
		case s.Name == "":
			cc.bad(s.Pos, "give every state a name", "a state has no name")
			continue
		case strings.Contains(s.Name, PathSeparator) || strings.Contains(s.Name, HistorySeparator):
			cc.bad(s.Pos, "rename it: "+PathSeparator+" and "+HistorySeparator+" separate names in a botState", "state name %q contains %q or %q", s.Name, PathSeparator, HistorySeparator)
			continue
		case s.Name == History:
			cc.bad(s.Pos, "rename it: to: history returns to the previous state", "%q is reserved", History)
			continue
		}
		if prev, dup := seen[s.Name]; dup {
			cc.bad(s.Pos, "rename one of them", "state %q is defined twice (first at %s)", s.Name, prev)
			continue
		}
		seen[s.Name] = s.Pos
		if s.Form != nil {
			s = cc.expandForm(s)
		}
		st := &state{name: s.Name, parent: parent, depth: parent.depth + 1, aliases: s.Aliases, noGlobals: s.NoGlobals, history: s.History, pos: s.Pos}
		st.path = s.Name
		if parent != b.root {
			st.path = parent.path + PathSeparator + s.Name
		}
		parent.children = append(parent.children, st)
		b.paths[st.path] = st
		b.order = append(b.order, st)
		cc.decls[st] = s
		cc.addStates(st, s.States)
	}
}

func (cc *compiler) addAliases() {
	for _, st := range cc.bot.order {
		for _, a := range st.aliases {
			if prev, dup := cc.bot.paths[a]; dup {
				cc.bad(st.pos, "an alias must not repeat a state's path or another alias", "alias %q of state %q is taken by state %q", a, st.path, prev.path)
				continue
			}
			cc.bot.paths[a] = st
		}
	}
}

// lookup finds the state name refers to, seen from scope (see Bot.find),
// reporting a name that is no state, or only an alias.
func (cc *compiler) lookup(scope *state, name string, pos Pos, what string) *state {
	st, alias := cc.bot.find(scope, name)
	switch {
	case st == nil:
		cc.bad(pos, "use one of: "+cc.bot.stateList(), "%s %q is not a state", what, name)
	case alias:
		cc.bad(pos, fmt.Sprintf("use the state's path %q", st.path), "%s %q is an alias", what, name)
	}
	return st
}

// find returns the state name refers to, seen from scope: a child of scope,
// else of its parent, and so on up to the top; else a path from the top or
// an alias (alias is then set). Nil when there is none.
func (b *Bot) find(scope *state, name string) (st *state, alias bool) {
	for s := scope; s != nil; s = s.parent {
		path := name
		if s != b.root {
			path = s.path + PathSeparator + name
		}
		if st, ok := b.paths[path]; ok && st.path == path {
			return st, false
		}
	}
	st = b.paths[name]
	return st, st != nil && st.path != name
}

// stateBody compiles a state's actions and transitions.
func (cc *compiler) stateBody(st *state) {
	s := cc.decls[st]
	if len(st.children) > 0 {
		st.initial = st.children[0]
		if s.Initial != "" {
			st.initial = nil
			for _, c := range st.children {
				if c.name == s.Initial {
					st.initial = c
				}
			}
			if st.initial == nil {
				cc.bad(s.Pos, "name one of its children: "+childNames(st), "initial %q of state %q is not its child", s.Initial, st.path)
			}
		}
	} else if s.Initial != "" {
		cc.bad(s.Pos, "remove initial:, or add states: under it", "state %q has initial: but no child states", st.path)
	}
	enter := s.OnEnter
	if len(s.Reply) > 0 {
		if len(enter.Reply) > 0 {
			cc.bad(s.Pos, "keep one of them", "state %q has both reply: and on_enter: reply:", st.path)
		}
		enter.Reply = s.Reply
	}
	st.enter = cc.action(enter, s.Pos, "state "+strconv.Quote(st.path)+" on entry")
	st.exit = cc.action(s.OnExit, s.Pos, "state "+strconv.Quote(st.path)+" on exit")
	for i, t := range s.On {
		if tr := cc.transition(t, st, st.path+"#"+strconv.Itoa(i)); tr != nil {
			st.on = append(st.on, tr)
		}
	}
	if s.Fallback != nil {
		st.ownFallbacks = append(st.ownFallbacks, cc.transition(*s.Fallback, st, st.path+"#fallback"))
	}
	if s.lastResort != nil {
		st.ownFallbacks = append(st.ownFallbacks, cc.transition(*s.lastResort, st, st.path+"#fallback2"))
	}
}

func childNames(st *state) string {
	names := make([]string, len(st.children))
	for i, c := range st.children {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

func (cc *compiler) transition(t Transition, from *state, id string) *transition {
	b := cc.bot
	fallback := strings.Contains(id, "#fallback")
	if fallback && t.Match.IsZero() {
		t.Match = AnyMessage() // a fallback answers whatever nothing else did
	}
	tr := &transition{id: id, event: t.Event, from: from, pos: t.Pos, pattern: t.Match, fallback: fallback}
	if tr.event == "" {
		tr.event = MessageEvent
	}
	if !tr.event.Known() {
		cc.bad(t.Pos, "use JOIN_ROOM, ADD_MEMBERS, DELETE_MEMBERS or MESSAGE", "event %q is not one the chat server sends", tr.event)
	}
	if tr.event == MessageEvent && t.Match.IsZero() {
		cc.bad(t.Pos, "add a pattern (exact, keywords, all_of, regex, command, type) or any: true", "a MESSAGE transition has no pattern")
	}
	if tr.event != MessageEvent && !t.Match.IsZero() && t.Match.kind != MatchRobotAdded && t.Match.kind != MatchCustom {
		cc.bad(t.Pos, "text patterns apply to MESSAGE only; remove the pattern or the event", "%s cannot match %s", tr.event, t.Match)
	}
	if t.Match.kind == MatchRobotAdded && tr.event != AddMembers {
		cc.bad(t.Pos, "use robot_added with event: ADD_MEMBERS", "robot_added on %s never matches", tr.event)
	}
	m, err := compileMatch(t.Match)
	if err != nil {
		cc.bad(t.Pos, "", "%v", err)
	}
	tr.match = m
	if t.If != "" || t.Guard != "" {
		g, err := compileGuard(t.If, t.Guard, cc.guards)
		if f := (*fixable)(nil); errors.As(err, &f) {
			cc.bad(t.Pos, f.fix, "%s", f.what)
		} else if err != nil {
			cc.bad(t.Pos, "", "%v", err)
		}
		tr.guard = g
	}
	switch t.To {
	case "":
	case History:
		tr.history = true
	default:
		tr.to = cc.lookup(from, t.To, t.Pos, "target")
	}
	if r, ok := t.Match.custom.(Router); ok {
		tr.router = r
		for _, p := range r.Targets() {
			cc.lookup(from, p, t.Pos, "target of "+t.Match.name)
		}
	}
	tr.action = cc.action(t.action(), t.Pos, "transition")
	if a, ok := t.Match.custom.(Answerer); ok {
		if tr.action == nil {
			tr.action = &action{}
		}
		tr.action.answer = a
	}
	b.transitions = append(b.transitions, tr)
	return tr
}

// action compiles an Action; nil when it does nothing.
func (cc *compiler) action(a Action, pos Pos, where string) *action {
	if a.IsZero() {
		return nil
	}
	act := &action{}
	for _, as := range a.Set {
		if as.Name == "" {
			cc.bad(pos, "name the variable", "%s sets a variable with no name", where)
			continue
		}
		v, err := compileText(as.Value)
		if err != nil {
			cc.bad(pos, "", "%s: set %s: %v", where, as.Name, err)
			continue
		}
		act.set = append(act.set, assign{name: as.Name, value: v})
	}
	if a.Call != "" {
		h, ok := cc.handlers[a.Call]
		if !ok {
			cc.bad(pos, "register it in Options.Handlers, or fix the name", "handler %q is not registered", a.Call)
		}
		act.call, act.callName, act.inline = h, displayName(a.Call), cc.inline[a.Call]
		cc.bot.callsHandlers = cc.bot.callsHandlers || !act.inline
	}
	var err error
	if act.reply, err = compileReply(a.Reply); err != nil {
		cc.bad(pos, "", "%s: %v", where, err)
	}
	return act
}

// plan lists, for a leaf, the transitions that may fire from it in the order
// they are tried: its own, then its ancestors', then the chart's global ones;
// the fallbacks likewise. Each gets its looplab/fsm event from this leaf.
func (b *Bot) plan(leaf *state) {
	globals := true
	for s := leaf; s != b.root; s = s.parent {
		leaf.candidates = append(leaf.candidates, s.on...)
		leaf.fallbacks = append(leaf.fallbacks, s.ownFallbacks...)
		globals = globals && !s.noGlobals
	}
	if globals {
		leaf.candidates = append(leaf.candidates, b.global...)
	}
	if b.fallback != nil {
		leaf.fallbacks = append(leaf.fallbacks, b.fallback)
	}
	leaf.events = make(map[*transition][]fsm.EventDesc, len(leaf.candidates)+len(leaf.fallbacks))
	for _, t := range slices.Concat(leaf.candidates, leaf.fallbacks) {
		dst := leaf
		if t.to != nil {
			dst = t.to.leaf()
		}
		leaf.events[t] = []fsm.EventDesc{{Name: t.id, Src: []string{leaf.path}, Dst: dst.path}}
	}
}

// Events returns the chart as looplab/fsm events: one per transition, whose
// sources are every leaf it may fire from (all the descendants of the state
// that declares it). A transition to History lists its state as its own
// destination: where it goes is known only at run time.
func (b *Bot) Events() []fsm.EventDesc {
	var events []fsm.EventDesc
	for _, t := range b.transitions {
		var src []string
		dst := ""
		for _, leaf := range b.order {
			if e, ok := leaf.events[t]; ok {
				src = append(src, leaf.path)
				if t.to != nil {
					dst = e[0].Dst
				}
			}
		}
		if len(src) == 0 {
			continue // a global in a chart where every state opts out
		}
		if dst == "" { // stays: one event per source would be needed; the declaring state stands for them
			dst = src[0]
			if t.from != b.root {
				dst = t.from.leaf().path
			}
		}
		events = append(events, fsm.EventDesc{Name: t.id, Src: src, Dst: dst})
	}
	return events
}

// checkMachine builds the whole chart as one looplab/fsm machine once, to
// be sure every leaf's transitions are legal in it.
func (b *Bot) checkMachine() error {
	m := fsm.NewFSM(b.initial.leaf().path, b.Events(), nil)
	for _, leaf := range b.order {
		if !leaf.isLeaf() {
			continue
		}
		m.SetState(leaf.path)
		for t := range leaf.events {
			if !m.Can(t.id) {
				return fmt.Errorf("internal: transition %s is not legal in state %s", t.id, leaf.path)
			}
		}
	}
	return nil
}

// lintReachable warns of states no transition enters.
func (b *Bot) lintReachable() []Problem {
	reached := map[*state]bool{}
	mark := func(s *state) {
		for ; s != nil && s != b.root; s = s.parent {
			reached[s] = true
		}
	}
	enter := func(s *state) {
		mark(s)
		for !s.isLeaf() {
			s = s.initial
			mark(s)
		}
	}
	enter(b.initial)
	enter(b.unknown)
	for _, t := range b.transitions {
		if t.to != nil {
			enter(t.to)
		}
	}
	var warnings []Problem
	for _, st := range b.order {
		if !reached[st] && len(st.aliases) == 0 {
			warnings = append(warnings, Problem{Pos: st.pos, What: fmt.Sprintf("state %q is unreachable: no transition enters it", st.path), Fix: "add a transition to it, or remove it"})
		}
	}
	return warnings
}

// lintHistory warns of returns to History in a chart with no History state:
// they always go to the initial state.
func (b *Bot) lintHistory() []Problem {
	for _, st := range b.order {
		if st.history {
			return nil
		}
	}
	var warnings []Problem
	for _, t := range b.transitions {
		if t.history {
			warnings = append(warnings, Problem{Pos: t.pos, What: "to: history, but no state has history: true, so it always goes to the initial state", Fix: "add history: true to the state the room should return from"})
		}
	}
	return warnings
}

func (b *Bot) stateList() string {
	names := make([]string, 0, len(b.order))
	for _, st := range b.order {
		names = append(names, st.path)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// CallsHandlers reports whether any transition or state calls a Go handler.
// Only then can a turn take long enough to need a deadline: matching,
// guards and templates take microseconds.
func (b *Bot) CallsHandlers() bool { return b.callsHandlers }

// Name returns the chart's name.
func (b *Bot) Name() string { return b.name }

// RobotID returns the robot's client ID, the replies' senderID.
func (b *Bot) RobotID() string { return b.robotID }

// Initial returns the path of the leaf a new room is in.
func (b *Bot) Initial() string { return b.initial.leaf().path }

// Warnings returns what New noticed but did not reject, such as unreachable
// states.
func (b *Bot) Warnings() []Problem { return slices.Clone(b.warnings) }

// States returns the paths of the states a room can be in (the leaves), in
// chart order.
func (b *Bot) States() []string {
	var paths []string
	for _, st := range b.order {
		if st.isLeaf() {
			paths = append(paths, st.path)
		}
	}
	return paths
}

func (b *Bot) intN(n int) int {
	if b.rand == nil {
		return rand.IntN(n)
	}
	b.randMu.Lock()
	defer b.randMu.Unlock()
	return b.rand.IntN(n)
}
