package framework

import (
	"context"
	"fmt"
)

// Chart describes a bot: its states and the transitions between them. It is
// plain data, written in Go or loaded from YAML by package chart, and turned
// into a runnable Bot by New, which checks it once so that no turn has to.
type Chart struct {
	Name    string
	File    string // where the chart was loaded from, for messages
	RobotID string // the robot's client ID: the replies' senderID
	Initial string // the state of a room the bot has never answered
	// UnknownState is where a room goes whose botState names no state and no
	// alias (a state removed in a new deploy). Empty means Initial.
	UnknownState string
	States       []State
	// Global transitions apply in every state, except in states (and their
	// descendants) that set NoGlobals: "转人工", "菜单", "重新开始". A state's
	// own transitions, and its ancestors', are tried first.
	Global []Transition
	// Fallback answers a MESSAGE that no transition of the room's state, nor
	// the state's own fallback, matched.
	Fallback *Transition
	// ErrorReply is sent, with the state kept, when a handler fails, panics or
	// runs out of time. Empty means DefaultErrorReply.
	ErrorReply Reply
	// AnswerRobots lets messages from robots (including this one) trigger
	// transitions. Off by default so that two robots never talk forever.
	AnswerRobots bool
	// TimeZone is the IANA time zone ("Asia/Shanghai") in which guards see
	// the time of day and weekday. Empty means the machine's local zone.
	TimeZone string
	Pos      Pos
	// KeyPos holds the positions of the chart's own keys (initial,
	// unknown_state, error_reply, states, time_zone), so that problems with
	// them point at the right line. May be nil.
	KeyPos map[string]Pos
}

// State is one state of a chart. A state with child States is compound: the
// room is always in one of its leaves, and the botState the chat server keeps
// is the leaf's path, names joined by PathSeparator ("refund/ask_order").
type State struct {
	Name string
	// Aliases are former names or paths of this state: rooms whose botState
	// still says an alias continue here after a rename.
	Aliases []string
	// Reply is said when a transition enters the state, after OnEnter's
	// variables and handler, so it can show what they set.
	Reply Reply
	// OnEnter runs when a transition enters the state (outermost state first);
	// OnExit when one leaves it (innermost first).
	OnEnter Action
	OnExit  Action
	// On lists the transitions leaving the state; the first that matches wins.
	// A compound state's transitions apply in all its descendants, after the
	// descendants' own.
	On []Transition
	// Fallback answers a MESSAGE that none of On matched. Its Match may be
	// left zero: it then answers every such message.
	Fallback *Transition
	// States are the state's children; Initial names the one entered when a
	// transition targets this state (the first child when empty).
	States  []State
	Initial string
	// NoGlobals keeps the chart's Global transitions out of this state and
	// its descendants (a human handoff that must not react to "菜单").
	NoGlobals bool
	// History makes the state remember where the room came from when a
	// transition enters it from outside; a transition to History inside it
	// returns there (back to the question after a handoff).
	History bool
	// Form makes the state ask for values one by one; see Form.
	Form *Form
	Pos  Pos

	// lastResort is a second fallback, tried after Fallback: a form's slot
	// gives up there once it runs out of attempts.
	lastResort *Transition
}

// Action is what a transition, or entering or leaving a state, does beyond
// moving the room: set variables, call a Go handler, say something, in that
// order.
type Action struct {
	Set   []Assign
	Call  string
	Reply Reply
}

// IsZero reports whether a does nothing.
func (a Action) IsZero() bool { return len(a.Set) == 0 && a.Call == "" && len(a.Reply) == 0 }

// Assign sets the variable Name to Value, a template over the turn like a
// reply's text ("{{.Vars.order}}", "vip").
type Assign struct {
	Name  string
	Value string
}

// Path separators in a botState: "refund/ask_order" is the leaf ask_order of
// the compound state refund; "handoff/waiting<refund/ask_order" is in
// handoff/waiting and returns to refund/ask_order through History.
const (
	PathSeparator    = "/"
	HistorySeparator = "<"
)

// History is the target of a transition that returns to the state the room
// was in before it entered the nearest enclosing History state.
const History = "history"

// Transition moves a room from one state to another when its trigger matches.
type Transition struct {
	// Event is what triggers the transition; empty means MESSAGE.
	Event EventType
	// Match decides which events trigger it. A MESSAGE transition needs one
	// (AnyMessage for every message); other events match by default.
	Match Match
	// If is a guard: an expression (github.com/expr-lang/expr) over the turn
	// that must be true for the transition to fire, such as
	// `hour >= 9 && hour < 21` or `vars.order != ""`. See GuardEnv.
	If string
	// Guard names a Go guard (see Options.Guards) that must also hold.
	Guard string
	// To is the target state: a child, sibling or ancestor's sibling by name,
	// or a path from the top ("refund/ask_order"), or History. Empty stays in
	// the current state without re-entering it.
	To string
	// Set assigns variables when the transition fires, before Call.
	Set []Assign
	// Call names a Handler (see Options.Handlers) run when the transition
	// fires, after the states it leaves have exited.
	Call string
	// Reply is said when the transition fires, after Call (so it can show
	// what the handler set) and before the target's own reply.
	Reply Reply
	Pos   Pos
}

// action is the part of a transition that runs like an Action.
func (t Transition) action() Action { return Action{Set: t.Set, Call: t.Call, Reply: t.Reply} }

// Guard is a Go condition a transition names in Guard.
type Guard func(t *Turn) bool

// Handler is Go code a transition calls by name. It reads the turn, may set
// variables and add replies; an error keeps the room in its state and answers
// with the chart's error reply. It should honour ctx: the turn has a deadline.
type Handler func(ctx context.Context, t *Turn) error

// Pos is a position in a chart's source, for error messages.
type Pos struct {
	File      string
	Line, Col int
}

// String is "file:line:col", or as much of it as p knows.
func (p Pos) String() string {
	switch {
	case p.File == "" && p.Line == 0:
		return ""
	case p.Line == 0:
		return p.File
	default:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	}
}

// IsZero reports whether p names no position.
func (p Pos) IsZero() bool { return p == Pos{} }
