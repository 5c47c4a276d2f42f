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
	// Fallback answers a MESSAGE that no transition of the room's state, nor
	// the state's own fallback, matched.
	Fallback *Transition
	// ErrorReply is sent, with the state kept, when a handler fails, panics or
	// runs out of time. Empty means DefaultErrorReply.
	ErrorReply Reply
	// AnswerRobots lets messages from robots (including this one) trigger
	// transitions. Off by default so that two robots never talk forever.
	AnswerRobots bool
	Pos          Pos
}

// State is one state of a chart.
type State struct {
	Name string
	// Aliases are former names of this state: rooms whose botState still says
	// an alias continue here after a rename.
	Aliases []string
	// Reply is said when a transition enters the state (and again when a
	// transition to the same state carries no reply of its own: a re-prompt).
	Reply Reply
	// On lists the transitions leaving the state; the first that matches wins.
	On []Transition
	// Fallback answers a MESSAGE that none of On matched. Its Match may be
	// left zero: it then answers every such message.
	Fallback *Transition
	Pos      Pos
}

// Transition moves a room from one state to another when its trigger matches.
type Transition struct {
	// Event is what triggers the transition; empty means MESSAGE.
	Event EventType
	// Match decides which events trigger it. A MESSAGE transition needs one
	// (AnyMessage for every message); other events match by default.
	Match Match
	// To is the target state; empty stays in the current state.
	To string
	// Reply is said when the transition fires, before the target's own reply.
	Reply Reply
	// Call names a Handler (see Options.Handlers) run when the transition fires.
	Call string
	Pos  Pos
}

// Handler is Go code a transition calls by name. It reads the turn, may set
// variables and add replies; an error keeps the room in its state and answers
// with the chart's error reply. It should honour ctx: the turn has a deadline.
type Handler func(ctx context.Context, t *Turn) error

// Pos is a position in a chart's source, for error messages.
type Pos struct {
	File      string
	Line, Col int
}

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
