package diagram

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fsmbot/fsmbot/framework"
)

// Limits on the parts of an edge label, in runes: a long keyword list or
// regular expression is cut with "…" so that the diagram stays readable.
const (
	maxTrigger = 40
	maxGuard   = 40
)

// endKind tells what an edge end is.
type endKind int

const (
	endState   endKind = iota // a state, leaf or compound
	endGlobal                 // the "any state" node of global transitions
	endHistory                // the history node of a state, or of the chart
)

// end is one end of an edge. For endState, path is the state; for
// endHistory, the state that owns the history ("" for the chart).
type end struct {
	kind endKind
	path string
}

// edge is one transition to draw.
type edge struct {
	from, to end
	label    string
	t        framework.TransitionInfo
}

// view is a Graph prepared for drawing: the states by path, and the edges in
// chart order (each state's transitions then its fallback, depth first; then
// the global transitions and the chart's fallback).
type view struct {
	g       framework.Graph
	states  map[string]*framework.StateInfo
	parent  map[string]string // "" for a top-level state
	order   []string          // every path, depth first, in chart order
	edges   []edge
	global  bool            // some edge starts at the global node
	history map[string]bool // owners ("" for the chart) whose history node is drawn
}

func newView(g framework.Graph) *view {
	v := &view{
		g:       g,
		states:  map[string]*framework.StateInfo{},
		parent:  map[string]string{},
		history: map[string]bool{},
	}
	var walk func(parent string, list []framework.StateInfo)
	walk = func(parent string, list []framework.StateInfo) {
		for i := range list {
			s := &list[i]
			v.states[s.Path] = s
			v.parent[s.Path] = parent
			v.order = append(v.order, s.Path)
			walk(s.Path, s.Children)
		}
	}
	walk("", g.States)

	for _, p := range v.order {
		s := v.states[p]
		for _, t := range s.On {
			v.add(end{endState, p}, t)
		}
		for _, t := range s.Fallbacks {
			v.add(end{endState, p}, t)
		}
	}
	for _, t := range g.Global {
		v.add(end{kind: endGlobal}, t)
	}
	if g.Fallback != nil {
		v.add(end{kind: endGlobal}, *g.Fallback)
	}
	return v
}

// add records the edge of t, declared on from.
func (v *view) add(from end, t framework.TransitionInfo) {
	e := edge{from: from, label: edgeLabel(t), t: t}
	switch t.To {
	case "":
		e.to = from // stays: a loop on the declaring state
	case framework.History:
		owner := v.historyOwner(from)
		v.history[owner] = true
		e.to = end{endHistory, owner}
	default:
		e.to = end{endState, t.To}
	}
	if from.kind == endGlobal {
		v.global = true
	}
	v.edges = append(v.edges, e)
}

// historyOwner is the innermost History state around from, the declaring
// state of a transition to History; "" (the chart) when there is none or the
// transition is global.
func (v *view) historyOwner(from end) string {
	if from.kind != endState {
		return ""
	}
	for p := from.path; p != ""; p = v.parent[p] {
		if s := v.states[p]; s != nil && s.History {
			return p
		}
	}
	return ""
}

// within reports whether path is a or one of its descendants.
func (v *view) within(path, a string) bool {
	for ; path != ""; path = v.parent[path] {
		if path == a {
			return true
		}
	}
	return false
}

// compound reports whether path is a compound state.
func (v *view) compound(path string) bool {
	s := v.states[path]
	return s != nil && len(s.Children) > 0
}

// inside reports whether e is strictly inside the compound state c: a state
// within it, or the history node of one.
func (v *view) inside(e end, c string) bool {
	switch e.kind {
	case endState:
		return e.path != c && v.within(e.path, c)
	case endHistory:
		return e.path != "" && v.within(e.path, c)
	}
	return false
}

// leaf follows the initial children from path down to the leaf a room
// entering path lands in.
func (v *view) leaf(path string) string {
	for v.compound(path) {
		path = v.states[path].Initial
	}
	return path
}

// name is what a reader calls e: a state's name, a history node's label.
func (v *view) name(e end) string {
	switch e.kind {
	case endGlobal:
		return globalLabel
	case endHistory:
		return v.historyLabel(e.path)
	}
	return v.states[e.path].Name
}

// historyLabel is the label of owner's history node: "H" inside a compound
// state or the chart, "H (name)" beside a leaf, where it cannot be inside.
func (v *view) historyLabel(owner string) string {
	if s := v.states[owner]; s != nil && len(s.Children) == 0 {
		return "H (" + s.Name + ")"
	}
	return "H"
}

// globalLabel is the label of the node global transitions start from.
const globalLabel = "any state (global)"

// edgeLabel is t's label as drawn: TransitionInfo.Label with the trigger and
// the guard each cut to a readable length, "fallback" for a fallback, and
// "/ handler()" for a transition that calls one.
func edgeLabel(t framework.TransitionInfo) string {
	trigger, guard := oneLine(t.Label()), oneLine(t.Guard)
	if g := "[" + guard + "]"; guard != "" && strings.HasSuffix(trigger, g) {
		trigger = strings.TrimSuffix(strings.TrimSuffix(trigger, g), " ")
	} else {
		guard = ""
	}
	if t.Fallback {
		switch trigger {
		case "any", "":
			trigger = "fallback"
		default:
			trigger = "fallback " + trigger
		}
	}
	label := truncate(trigger, maxTrigger)
	if guard != "" {
		label += " [" + truncate(guard, maxGuard) + "]"
	}
	if t.Action.Call != "" {
		label += " / " + t.Action.Call + "()"
	}
	return label
}

// truncate cuts s to at most n runes, at a space when one is near the end,
// and marks the cut with "…".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = strings.TrimRight(cut[:i], " |+,")
		return cut + " …"
	}
	return cut + "…"
}

// stateNote lists what a state does on entry and exit beyond replying: the
// handlers it calls, and that globals do not apply in it.
func stateNotes(s *framework.StateInfo) []string {
	var notes []string
	if s.Enter.Call != "" {
		notes = append(notes, "entry / "+s.Enter.Call+"()")
	}
	if s.Exit.Call != "" {
		notes = append(notes, "exit / "+s.Exit.Call+"()")
	}
	if s.NoGlobals {
		notes = append(notes, "no globals")
	}
	return notes
}

// oneLine replaces line breaks, and any other control character, with
// spaces.
func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}
