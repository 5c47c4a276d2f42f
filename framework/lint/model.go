package lint

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/fsmbot/fsmbot/framework"
)

// model is a bot's Graph as a tree, with what the engine computes for each
// leaf: the transitions it tries, in order.
type model struct {
	bot     *framework.Bot
	g       framework.Graph
	nodes   []*node // every state, depth first, in chart order
	leaves  []*node
	byPath  map[string]*node
	initial *node
	trans   []*trans // every transition and fallback, in chart order
	plans   map[*node]*plan
	file    string // the chart's file, for findings about the whole chart
}

type node struct {
	info     *framework.StateInfo
	parent   *node // nil for a top-level state
	children []*node
	initial  *node // nil for a leaf
	depth    int
}

func (n *node) isLeaf() bool { return len(n.children) == 0 }

// leaf is the leaf a transition to n enters.
func (n *node) leaf() *node {
	for n != nil && !n.isLeaf() {
		n = n.initial
	}
	return n
}

// within reports whether n is a or one of its descendants.
func (n *node) within(a *node) bool {
	for ; n != nil; n = n.parent {
		if n == a {
			return true
		}
	}
	return false
}

// trans is one transition or fallback.
type trans struct {
	info *framework.TransitionInfo
	from *node // nil: a global transition or the chart's fallback
	alts []alt // the ways it can match
	// words are its words as written and normalized as the engine matches
	// them, for exact, keywords, all_of, command and type.
	words, norm []string
}

// plan is what the engine tries in a leaf: its own transitions, its
// ancestors', the global ones, then the fallbacks, deepest first.
type plan struct {
	seq []*trans
	nc  int // seq[:nc] are transitions, seq[nc:] fallbacks
	v   []verdict
}

// verdict says whether seq[i] of a plan can fire, and if not, why.
type verdict struct {
	// killer[k] is the earliest transition in the plan, before this one,
	// that catches every event alternative k of this one would match; nil
	// when none does. same[k] says it does so with the very same word.
	killer []*trans
	kidx   []int // killer's index in the plan
	same   []bool
	dead   bool // every alternative is caught: this never fires here
}

func newModel(bot *framework.Bot) *model {
	m := &model{bot: bot, g: bot.Graph(), byPath: map[string]*node{}, plans: map[*node]*plan{}}
	var add func(infos []framework.StateInfo, parent *node)
	add = func(infos []framework.StateInfo, parent *node) {
		for i := range infos {
			n := &node{info: &infos[i], parent: parent}
			if parent != nil {
				n.depth = parent.depth + 1
				parent.children = append(parent.children, n)
			}
			m.nodes = append(m.nodes, n)
			m.byPath[n.info.Path] = n
			add(infos[i].Children, n)
		}
	}
	add(m.g.States, nil)
	for _, n := range m.nodes {
		if n.isLeaf() {
			m.leaves = append(m.leaves, n)
		} else {
			n.initial = m.byPath[n.info.Initial]
		}
		if m.file == "" {
			m.file = n.info.Pos.File
		}
	}
	m.initial = m.byPath[m.g.Initial]

	byInfo := map[*framework.TransitionInfo]*trans{}
	newTrans := func(info *framework.TransitionInfo, from *node) *trans {
		t := &trans{info: info, from: from}
		t.alts, t.words, t.norm = alternatives(info.Match)
		m.trans = append(m.trans, t)
		byInfo[info] = t
		if m.file == "" {
			m.file = info.Pos.File
		}
		return t
	}
	for _, n := range m.nodes {
		for i := range n.info.On {
			newTrans(&n.info.On[i], n)
		}
		for i := range n.info.Fallbacks {
			newTrans(&n.info.Fallbacks[i], n)
		}
	}
	for i := range m.g.Global {
		newTrans(&m.g.Global[i], nil)
	}
	if m.g.Fallback != nil {
		newTrans(m.g.Fallback, nil)
	}

	for _, leaf := range m.leaves {
		p := &plan{}
		var fallbacks []*trans
		globals := true
		for s := leaf; s != nil; s = s.parent {
			for i := range s.info.On {
				p.seq = append(p.seq, byInfo[&s.info.On[i]])
			}
			for i := range s.info.Fallbacks {
				fallbacks = append(fallbacks, byInfo[&s.info.Fallbacks[i]])
			}
			globals = globals && !s.info.NoGlobals
		}
		if globals {
			for i := range m.g.Global {
				p.seq = append(p.seq, byInfo[&m.g.Global[i]])
			}
		}
		if m.g.Fallback != nil {
			fallbacks = append(fallbacks, byInfo[m.g.Fallback])
		}
		p.nc = len(p.seq)
		p.seq = append(p.seq, fallbacks...)
		p.judge()
		m.plans[leaf] = p
	}
	return m
}

// judge decides, for each transition of the plan, which of its alternatives
// an earlier transition for the same event, without a guard, already
// catches.
func (p *plan) judge() {
	p.v = make([]verdict, len(p.seq))
	for i, t := range p.seq {
		v := verdict{killer: make([]*trans, len(t.alts)), kidx: make([]int, len(t.alts)), same: make([]bool, len(t.alts))}
		for j, s := range p.seq[:i] {
			if s.info.Guard != "" || s.info.Event != t.info.Event {
				continue
			}
			for k, a := range t.alts {
				if v.killer[k] != nil {
					continue
				}
				if ok, same := kills(s, a); ok {
					v.killer[k], v.kidx[k], v.same[k] = s, j, same
				}
			}
		}
		v.dead = len(t.alts) > 0
		for _, k := range v.killer {
			v.dead = v.dead && k != nil
		}
		// The engine tries fallbacks for messages only.
		if i >= p.nc && t.info.Event != framework.MessageEvent {
			v.dead = true
		}
		p.v[i] = v
	}
}

// live reports whether seq[i] can fire in the plan's leaf.
func (p *plan) live(i int) bool { return !p.v[i].dead }

// index is where t is in the plan, -1 when it is not.
func (p *plan) index(t *trans) int {
	for i, s := range p.seq {
		if s == t {
			return i
		}
	}
	return -1
}

// target is the state a transition names, nil when it stays or returns
// through History.
func (m *model) target(t *trans) *node {
	switch t.info.To {
	case "", framework.History:
		return nil
	}
	return m.byPath[t.info.To]
}

// unreachableWarning is how framework.Bot.Warnings reports a state no
// transition enters.
var unreachableWarning = regexp.MustCompile(`^state ("(?:[^"\\]|\\.)*") is unreachable`)

// unknownState finds the state a room whose botState names nothing goes to
// (Chart.UnknownState), which the Graph does not show, when it matters:
// when no transition and not the initial state enter it. Bot.Warnings, whose
// simpler check counts it as entered, then does not list it although the
// model sees nothing entering it. Returns nil when that is not so.
func (m *model) unknownState() *node {
	warned := map[string]bool{}
	for _, w := range m.bot.Warnings() {
		if sub := unreachableWarning.FindStringSubmatch(w.What); sub != nil {
			if path, err := strconv.Unquote(sub[1]); err == nil {
				warned[path] = true
			}
		}
	}
	entered := map[*node]bool{}
	enter := func(n *node) {
		for s := n; s != nil; s = s.parent {
			entered[s] = true
		}
		for ; n != nil && !n.isLeaf(); n = n.initial {
			entered[n.initial] = true
		}
	}
	if m.initial != nil {
		enter(m.initial)
	}
	for _, t := range m.trans {
		if x := m.target(t); x != nil {
			enter(x)
		}
	}
	var deepest *node
	var rest []*node
	for _, n := range m.nodes {
		if entered[n] || len(n.info.Aliases) > 0 || warned[n.info.Path] {
			continue
		}
		rest = append(rest, n)
		if deepest == nil || n.depth > deepest.depth {
			deepest = n
		}
	}
	// They must lie on one path from the top: the unknown state, its
	// ancestors and its initial descendants. Anything else means the
	// warnings were not understood; then assume nothing.
	for _, n := range rest {
		if !deepest.within(n) {
			return nil
		}
	}
	return deepest
}

// describe names a transition for a message: its label and where it is.
func describe(t *trans) string {
	label := shortLabel(t.info)
	if t.info.Fallback {
		label = "fallback"
		if t.info.Match.Kind() != framework.MatchAny {
			label = "fallback " + shortLabel(t.info)
		}
		if t.from == nil {
			label = "the chart's " + label
		}
	}
	if !t.info.Pos.IsZero() {
		return fmt.Sprintf("%s (%s)", label, t.info.Pos)
	}
	return label + where(t)
}

// where is, for a transition with no position, the state it is in, so that
// a message about it can be found.
func where(t *trans) string {
	switch {
	case !t.info.Pos.IsZero():
		return ""
	case t.from != nil:
		return fmt.Sprintf(" in state %q", t.from.info.Path)
	case t.info.Global:
		return " (global)"
	}
	return ""
}

// subject names a transition as the subject of a message.
func subject(t *trans) string {
	if t.info.Fallback {
		if t.from == nil {
			return "the chart's fallback"
		}
		if t.info.Pos.IsZero() {
			return fmt.Sprintf("the fallback of state %q", t.from.info.Path)
		}
		return "this fallback"
	}
	s := shortLabel(t.info)
	if t.info.Global {
		s = "global transition " + s
	}
	return s + where(t)
}

// quoteList quotes names and joins them for a message: "a", "b" and "c";
// more than limit end with "and N more".
func quoteList(names []string, limit int) string {
	q := make([]string, 0, len(names))
	for i, n := range names {
		if i == limit && len(names) > limit+1 {
			q = append(q, fmt.Sprintf("%d more", len(names)-limit))
			break
		}
		q = append(q, strconv.Quote(n))
	}
	return joinAnd(q)
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// paths lists the states' paths.
func paths(ns []*node) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.info.Path
	}
	return out
}
