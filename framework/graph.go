package framework

import (
	"slices"
	"strings"
	"text/template"
	"text/template/parse"
)

// Graph is a read-only view of a compiled bot: its state tree and
// transitions, for diagrams, lint and coverage.
type Graph struct {
	Name     string
	Initial  string      // path of the chart's initial state
	Unknown  string      // path of the state rooms in an unknown botState go to
	States   []StateInfo // the top-level states, children nested
	Global   []TransitionInfo
	Fallback *TransitionInfo
}

// StateInfo describes one state.
type StateInfo struct {
	Path     string
	Name     string
	Aliases  []string
	Initial  string // path of the initial child; empty for a leaf
	Children []StateInfo
	On       []TransitionInfo
	// Fallbacks answer messages nothing else took, in order: the state's
	// Fallback, then, for a form's slot, where it goes out of attempts.
	Fallbacks []TransitionInfo
	Enter     ActionInfo
	Exit      ActionInfo
	History   bool
	NoGlobals bool
	Pos       Pos
}

// TransitionInfo describes one transition.
type TransitionInfo struct {
	ID       string
	From     string // path of the declaring state; empty for global ones and the chart's fallback
	Event    EventType
	Match    Match
	Guard    string // the If expression and Go guard name, as in labels
	To       string // path of the target state; empty when it stays; History
	Global   bool
	Fallback bool
	Action   ActionInfo
	// Captures are the variables the pattern sets: regex group names, "args"
	// for a command.
	Captures []string
	// GuardReads are the variables the guard reads.
	GuardReads []string
	Pos        Pos
}

// Label is the trigger, pattern and guard of t, for diagrams and traces:
// `keywords: 退货 | 退款 [hour >= 9]`.
func (t TransitionInfo) Label() string { return label(t.Event, t.Match, t.Guard) }

// ActionInfo describes what an action does.
type ActionInfo struct {
	Sets    []string // variables assigned
	Call    string   // handler name
	Replies []string // reply texts (the templates' source), one per variant
	// Reads are the variables the reply and set templates read, as
	// .Vars.NAME.
	Reads []string
}

// Graph returns the bot's structure.
func (b *Bot) Graph() Graph {
	g := Graph{Name: b.name, Initial: b.initial.path, Unknown: b.unknown.path}
	for _, c := range b.root.children {
		g.States = append(g.States, b.stateInfo(c))
	}
	for _, t := range b.global {
		g.Global = append(g.Global, t.info())
	}
	if b.fallback != nil {
		fb := b.fallback.info()
		g.Fallback = &fb
	}
	return g
}

func (b *Bot) stateInfo(st *state) StateInfo {
	info := StateInfo{
		Path: st.path, Name: st.name, Aliases: slices.Clone(st.aliases),
		Enter: st.enter.info(), Exit: st.exit.info(),
		History: st.history, NoGlobals: st.noGlobals, Pos: st.pos,
	}
	if st.initial != nil {
		info.Initial = st.initial.path
	}
	for _, c := range st.children {
		info.Children = append(info.Children, b.stateInfo(c))
	}
	for _, t := range st.on {
		info.On = append(info.On, t.info())
	}
	for _, t := range st.ownFallbacks {
		info.Fallbacks = append(info.Fallbacks, t.info())
	}
	return info
}

func (t *transition) info() TransitionInfo {
	info := TransitionInfo{
		ID: t.id, Event: t.event, Match: t.pattern, Global: t.global, Fallback: t.fallback,
		Action: t.action.info(), Pos: t.pos,
	}
	if t.from != nil && t.from.parent != nil {
		info.From = t.from.path
	}
	if t.guard != nil {
		info.Guard = t.guard.String()
		info.GuardReads = slices.Clone(t.guard.reads)
	}
	switch {
	case t.history:
		info.To = History
	case t.to != nil:
		info.To = t.to.path
	}
	switch t.match.kind {
	case MatchRegex:
		for _, n := range t.match.names {
			if n != "" {
				info.Captures = append(info.Captures, n)
			}
		}
	case MatchCommand:
		info.Captures = []string{"args"}
	case MatchCustom:
		if p, ok := t.match.custom.(*slotParser); ok {
			info.Captures = []string{p.slot.Name}
		}
	}
	return info
}

// Transitions returns every transition of the bot, in chart order: each
// state's own and fallbacks, the global ones, the chart's fallback.
func (b *Bot) Transitions() []TransitionInfo {
	infos := make([]TransitionInfo, len(b.transitions))
	for i, t := range b.transitions {
		infos[i] = t.info()
	}
	return infos
}

func (t *transition) label() string {
	g := ""
	if t.guard != nil {
		g = t.guard.String()
	}
	return label(t.event, t.pattern, g)
}

func label(ev EventType, m Match, guard string) string {
	var parts []string
	if ev != MessageEvent && ev != "" {
		parts = append(parts, string(ev))
	}
	if s := m.String(); s != "" {
		parts = append(parts, s)
	}
	if guard != "" {
		parts = append(parts, "["+guard+"]")
	}
	return strings.Join(parts, " ")
}

func (a *action) info() ActionInfo {
	if a == nil {
		return ActionInfo{}
	}
	var info ActionInfo
	for _, as := range a.set {
		info.Sets = append(info.Sets, as.name)
		info.Reads = append(info.Reads, templateReads(as.value.tmpl)...)
	}
	info.Call = a.callName
	if a.reply != nil {
		for _, v := range a.reply.variants {
			info.Replies = append(info.Replies, v.msg.Text)
			info.Reads = append(info.Reads, templateReads(v.text.tmpl)...)
		}
	}
	slices.Sort(info.Reads)
	info.Reads = slices.Compact(info.Reads)
	return info
}

// templateReads lists the NAMEs of .Vars.NAME in a template.
func templateReads(t *template.Template) []string {
	if t == nil {
		return nil
	}
	var names []string
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			if n == nil {
				return
			}
			for _, c := range n.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.FieldNode:
			if len(n.Ident) >= 2 && n.Ident[0] == "Vars" {
				names = append(names, n.Ident[1])
			}
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		}
	}
	walk(t.Root)
	return names
}
