package diagram

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/fsmbot/fsmbot/framework"
)

// Mermaid renders the bot as a Mermaid stateDiagram-v2: compound states drawn
// as nested composite states, transition labels showing the trigger, pattern
// and guard. See the package documentation for how global transitions,
// history and fallbacks are drawn.
func Mermaid(g framework.Graph) string {
	v := newView(g)
	m := &mermaid{v: v, ids: mermaidIDs(v)}
	return m.render()
}

type mermaid struct {
	v   *view
	ids map[string]string // state path → Mermaid id
	b   strings.Builder
}

// Mermaid ids of the pseudo-states. State ids start with a letter, so these,
// starting with "_", never collide with one.
const (
	mermaidGlobal  = "_global"
	mermaidHistory = "_history" // the chart's; a state's is _history_ + its id
)

func (m *mermaid) line(depth int, format string, args ...any) {
	m.b.WriteString(strings.Repeat("    ", depth))
	fmt.Fprintf(&m.b, format, args...)
	m.b.WriteByte('\n')
}

func (m *mermaid) render() string {
	v := m.v
	if v.g.Name != "" {
		m.b.WriteString("---\ntitle: " + strconv.Quote(oneLine(v.g.Name)) + "\n---\n")
	}
	m.b.WriteString("stateDiagram-v2\n")
	if v.g.Initial != "" {
		m.line(1, "[*] --> %s", m.ids[v.g.Initial])
	}
	m.states(1, v.g.States)
	if v.global {
		m.line(1, "state %q as %s", globalLabel, mermaidGlobal)
	}
	if v.history[""] {
		m.line(1, "state %q as %s", v.historyLabel(""), mermaidHistory)
	}
	// Edges come after every state is declared: Mermaid puts a state in the
	// composite where it first appears.
	for _, e := range m.edges() {
		m.line(1, "%s --> %s : %s", e.from, e.to, e.label)
	}
	var calls []string
	for _, p := range v.order {
		if s := v.states[p]; len(s.Children) == 0 && (s.Enter.Call != "" || s.Exit.Call != "") {
			calls = append(calls, m.ids[p])
		}
	}
	pseudo := []string{}
	if v.global {
		pseudo = append(pseudo, mermaidGlobal)
	}
	for _, p := range append([]string{""}, v.order...) {
		if v.history[p] {
			pseudo = append(pseudo, m.historyID(p))
		}
	}
	if len(pseudo) > 0 {
		m.line(1, "classDef pseudo fill:#f4f4f4,stroke:#888,stroke-dasharray:4 3")
		m.line(1, "class %s pseudo", strings.Join(pseudo, ","))
	}
	if len(calls) > 0 {
		m.line(1, "classDef calls stroke-width:3px")
		m.line(1, "class %s calls", strings.Join(calls, ","))
	}
	return m.b.String()
}

// states declares list at depth, composite states with their children.
func (m *mermaid) states(depth int, list []framework.StateInfo) {
	for i := range list {
		s := &list[i]
		id := m.ids[s.Path]
		label := mermaidText(s.Name)
		if len(s.Children) == 0 {
			m.line(depth, "state \"%s\" as %s", label, id)
			for _, n := range stateNotes(s) {
				m.line(depth, "%s : %s", id, mermaidText(n))
			}
			if m.v.history[s.Path] {
				m.line(depth, "state \"%s\" as %s", mermaidText(m.v.historyLabel(s.Path)), m.historyID(s.Path))
			}
			continue
		}
		if notes := stateNotes(s); len(notes) > 0 {
			label += " (" + mermaidText(strings.Join(notes, ", ")) + ")"
		}
		m.line(depth, "state \"%s\" as %s {", label, id)
		m.line(depth+1, "[*] --> %s", m.ids[s.Initial])
		m.states(depth+1, s.Children)
		if m.v.history[s.Path] {
			m.line(depth+1, "state \"%s\" as %s", mermaidText(m.v.historyLabel(s.Path)), m.historyID(s.Path))
		}
		m.line(depth, "}")
	}
}

// mermaidEdge is an edge as Mermaid draws it: ids and an escaped label.
type mermaidEdge struct{ from, to, label string }

// edges turns the view's edges into what Mermaid can draw. Its layout
// loses or garbles edges that end at a composite state, edges between a
// composite state and a state inside it, and all but one loop on a state;
// so:
//
//   - an edge to a compound state is drawn to the leaf the room lands in
//     (following the initial states), which is where it goes: entering a
//     compound state from outside is entering its initial leaf. When the
//     edge comes from inside the compound state, which it leaves and enters
//     anew, its label says "(re-enters NAME)";
//   - an edge from a compound state to a state inside it (a transition
//     declared on the compound state that stays within it) is a loop on the
//     compound state, labelled "→ NAME";
//   - the loops on one state are one loop whose label has a line per
//     transition.
func (m *mermaid) edges() []mermaidEdge {
	v := m.v
	var out []mermaidEdge
	loops := map[string]int{} // node id → its loop's index in out
	for _, e := range v.edges {
		from, to, label := e.from, e.to, e.label
		if to.kind == endState && v.compound(to.path) && from != to {
			if v.inside(from, to.path) {
				label += " (re-enters " + v.states[to.path].Name + ")"
			}
			to = end{endState, v.leaf(to.path)}
		}
		if from.kind == endState && v.compound(from.path) && from != to && v.inside(to, from.path) {
			label += " → " + v.name(to)
			to = from
		}
		f, t, text := m.end(from), m.end(to), mermaidText(label)
		if f == t {
			if i, ok := loops[f]; ok {
				out[i].label += "<br>" + text
				continue
			}
			loops[f] = len(out)
		}
		out = append(out, mermaidEdge{f, t, text})
	}
	return out
}

func (m *mermaid) end(e end) string {
	switch e.kind {
	case endGlobal:
		return mermaidGlobal
	case endHistory:
		return m.historyID(e.path)
	}
	if id, ok := m.ids[e.path]; ok {
		return id
	}
	return "s_" + mermaidName(e.path) // not in the graph's tree: a hand-made Graph
}

func (m *mermaid) historyID(owner string) string {
	if owner == "" {
		return mermaidHistory
	}
	return mermaidHistory + "_" + m.ids[owner]
}

// mermaidReserved are words Mermaid's state diagram grammar gives a meaning;
// a state so named gets an "s_" prefix.
var mermaidReserved = map[string]bool{
	"state": true, "note": true, "end": true, "direction": true, "class": true,
	"classdef": true, "style": true, "click": true, "as": true, "left": true,
	"right": true, "of": true, "tb": true, "bt": true, "lr": true, "rl": true,
	"accdescr": true, "acctitle": true, "title": true, "default": true,
}

// mermaidIDs gives every state a Mermaid id: its path's names joined by
// "__", ASCII letters, digits and "_" kept, any other rune written as u and
// its hex code ("退货" → u9000_u8d27). An id that does not start with a
// letter, or is a word of the grammar, gets an "s_" prefix; one already
// taken (a state named "a__b" beside the path "a/b") gets "_2", "_3", … in
// chart order.
func mermaidIDs(v *view) map[string]string {
	ids := make(map[string]string, len(v.order))
	taken := map[string]bool{}
	for _, p := range v.order {
		parts := strings.Split(p, framework.PathSeparator)
		for i, name := range parts {
			parts[i] = mermaidName(name)
		}
		base := strings.Join(parts, "__")
		if c := base[0]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') || mermaidReserved[strings.ToLower(base)] {
			base = "s_" + base
		}
		id := base
		for n := 2; taken[id]; n++ {
			id = base + "_" + strconv.Itoa(n)
		}
		taken[id] = true
		ids[p] = id
	}
	return ids
}

// mermaidName escapes one state name for an id.
func mermaidName(name string) string {
	var b strings.Builder
	escaped := false // the last thing written was an escape
	for _, r := range name {
		if r < 0x80 && (r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			if escaped {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			escaped = false
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('_')
		}
		fmt.Fprintf(&b, "u%x", r)
		escaped = true
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

// mermaidText escapes text for a label: line breaks become spaces, and
// characters that Mermaid's grammar, its HTML labels or the Markdown it
// renders labels with would take for syntax become entity codes (#58; for
// ':'), which Mermaid turns back into the characters when it draws. An
// underscore inside a word (ask_order) and a backslash before a letter
// (\d) stay as they are, for readable diagram sources.
func mermaidText(s string) string {
	rs := []rune(oneLine(s))
	alnum := func(i int) bool {
		return i >= 0 && i < len(rs) && (unicode.IsLetter(rs[i]) || unicode.IsDigit(rs[i]))
	}
	var b strings.Builder
	for i, r := range rs {
		escape := false
		switch r {
		case ':', ';', '#', '"', '{', '}', '<', '>', '&', '`', '*':
			escape = true
		case '\\': // a Markdown escape before ASCII punctuation
			escape = i+1 == len(rs) || rs[i+1] < 0x80 && unicode.IsPunct(rs[i+1]) || rs[i+1] < 0x80 && unicode.IsSymbol(rs[i+1])
		case '_': // emphasis, unless inside a word
			j, k := i, i
			for j > 0 && rs[j-1] == '_' {
				j--
			}
			for k+1 < len(rs) && rs[k+1] == '_' {
				k++
			}
			escape = !alnum(j-1) || !alnum(k+1)
		}
		if escape {
			fmt.Fprintf(&b, "#%d;", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
