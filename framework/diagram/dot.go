package diagram

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/fsmbot/fsmbot/framework"
)

// DOT renders the bot for Graphviz: compound states as clusters. See the
// package documentation for how global transitions, history and fallbacks
// are drawn.
func DOT(g framework.Graph) string {
	d := &dot{v: newView(g)}
	d.anchors = d.shownAnchors()
	return d.render()
}

type dot struct {
	v       *view
	anchors map[string]bool // compound states whose anchor is drawn
	b       strings.Builder
}

// DOT ids: a state's is its path; a compound state's is that of the
// invisible anchor node in its cluster. Pseudo-states contain "<", which no
// state name may, so they never collide with a state.
const (
	dotStart   = "<start>"   // the chart's; a compound state's is PATH/<start>
	dotGlobal  = "<global>"  // where global transitions start
	dotHistory = "<history>" // the chart's; a state's is PATH/<history>
)

func (d *dot) line(depth int, format string, args ...any) {
	d.b.WriteString(strings.Repeat("\t", depth))
	fmt.Fprintf(&d.b, format, args...)
	d.b.WriteByte('\n')
}

func (d *dot) render() string {
	v := d.v
	d.line(0, "digraph %s {", dotQuote(v.g.Name))
	d.line(1, "compound=true;")
	d.line(1, "rankdir=LR;")
	if v.g.Name != "" {
		d.line(1, "label=%s;", dotLabel(v.g.Name))
		d.line(1, "labelloc=t;")
	}
	d.line(1, `fontname="sans-serif";`)
	d.line(1, `node [shape=box, style=rounded, fontname="sans-serif"];`)
	d.line(1, `edge [fontname="sans-serif", fontsize=10];`)
	if v.g.Initial != "" {
		d.line(1, "%s [shape=point, width=0.15, label=\"\"];", dotQuote(dotStart))
	}
	d.states(1, v.g.States)
	if v.global {
		d.line(1, "%s [label=%s, style=\"rounded,dashed\"];", dotQuote(dotGlobal), dotLabel(globalLabel))
	}
	if v.history[""] {
		d.historyNode(1, "")
	}
	if v.g.Initial != "" {
		d.edge(end{kind: endState, path: dotStart}, end{endState, v.g.Initial}, "")
	}
	for _, p := range v.order {
		if s := v.states[p]; len(s.Children) > 0 {
			d.edge(end{kind: endState, path: p + "/" + dotStart}, end{endState, s.Initial}, "")
		}
	}
	for _, e := range v.edges {
		var attrs []string
		if e.label != "" {
			attrs = append(attrs, "label="+dotLabel(e.label))
		}
		if e.t.Fallback {
			attrs = append(attrs, "style=dashed")
		}
		if e.from.kind == endGlobal {
			attrs = append(attrs, `color="#888888"`)
		}
		d.edge(e.from, e.to, strings.Join(attrs, ", "))
	}
	d.line(0, "}")
	return d.b.String()
}

func (d *dot) states(depth int, list []framework.StateInfo) {
	for i := range list {
		s := &list[i]
		label := s.Name
		if notes := stateNotes(s); len(notes) > 0 {
			label += "\n" + strings.Join(notes, "\n")
		}
		if len(s.Children) == 0 {
			attrs := "label=" + dotLabel(label)
			if s.Enter.Call != "" || s.Exit.Call != "" {
				attrs += `, style="rounded,bold"`
			}
			d.line(depth, "%s [%s];", dotQuote(s.Path), attrs)
			if d.v.history[s.Path] {
				d.historyNode(depth, s.Path)
			}
			continue
		}
		d.line(depth, "subgraph %s {", dotQuote("cluster_"+s.Path))
		d.line(depth+1, "label=%s;", dotLabel(label))
		d.line(depth+1, "style=rounded;")
		if d.anchors[s.Path] {
			d.line(depth+1, "%s [shape=plaintext, label=%s, fontsize=9, fontcolor=\"#888888\", width=0, height=0, margin=0.02];", dotQuote(s.Path), dotLabel(s.Name))
		} else {
			d.line(depth+1, "%s [shape=point, style=invis, width=0, height=0, label=\"\"];", dotQuote(s.Path))
		}
		d.line(depth+1, "%s [shape=point, width=0.12, label=\"\"];", dotQuote(s.Path+"/"+dotStart))
		d.states(depth+1, s.Children)
		if d.v.history[s.Path] {
			d.historyNode(depth+1, s.Path)
		}
		d.line(depth, "}")
	}
}

func (d *dot) historyNode(depth int, owner string) {
	shape := "circle" // H
	if label := d.v.historyLabel(owner); label != "H" {
		shape = "ellipse" // H (name)
	}
	d.line(depth, "%s [label=%s, shape=%s, width=0.3, height=0.3];", dotQuote(d.id(end{endHistory, owner})), dotLabel(d.v.historyLabel(owner)), shape)
}

// edge draws an edge, clipped at the border of a compound state's cluster
// unless the other end is inside it.
func (d *dot) edge(from, to end, attrs string) {
	var clip []string
	tail, head := d.clip(from, to)
	if tail {
		clip = append(clip, "ltail="+dotQuote("cluster_"+from.path))
	}
	if head {
		clip = append(clip, "lhead="+dotQuote("cluster_"+to.path))
	}
	if len(clip) > 0 {
		if attrs != "" {
			attrs += ", "
		}
		attrs += strings.Join(clip, ", ")
	}
	if attrs != "" {
		attrs = " [" + attrs + "]"
	}
	d.line(1, "%s -> %s%s;", dotQuote(d.id(from)), dotQuote(d.id(to)), attrs)
}

// clip tells whether an edge is clipped at the border of its tail's and its
// head's clusters: it is when that end is a compound state and the other end
// is outside it (Graphviz cannot clip at a cluster the other end is in).
func (d *dot) clip(from, to end) (tail, head bool) {
	tail = from.kind == endState && d.compound(from.path) && !(to.kind != endGlobal && d.v.within(d.owner(to), from.path))
	head = to.kind == endState && d.compound(to.path) && !(from.kind != endGlobal && d.v.within(d.owner(from), to.path))
	return tail, head
}

// shownAnchors are the compound states some edge starts or ends at without
// being clipped at the border (a loop, an edge to or from inside): their
// anchor is drawn, as the state's name in small grey type, so that the edge
// does not hang in the air.
func (d *dot) shownAnchors() map[string]bool {
	shown := map[string]bool{}
	for _, e := range d.v.edges {
		tail, head := d.clip(e.from, e.to)
		if e.from.kind == endState && d.compound(e.from.path) && !tail {
			shown[e.from.path] = true
		}
		if e.to.kind == endState && d.compound(e.to.path) && !head {
			shown[e.to.path] = true
		}
	}
	return shown
}

func (d *dot) compound(path string) bool { return d.v.compound(path) }

// owner is the state whose cluster an edge end is in, for clipping: the
// state itself, or the owner of a history node.
func (d *dot) owner(e end) string {
	if e.kind == endHistory && e.path != "" && !d.compound(e.path) {
		return d.v.parent[e.path] // a leaf's history node sits beside it
	}
	return e.path
}

func (d *dot) id(e end) string {
	switch e.kind {
	case endGlobal:
		return dotGlobal
	case endHistory:
		if e.path == "" {
			return dotHistory
		}
		return e.path + "/" + dotHistory
	}
	return e.path
}

// dotLabel quotes s as a DOT label: as dotQuote, with '&' written as
// "&amp;", since Graphviz decodes HTML entities in labels.
func dotLabel(s string) string { return dotQuote(strings.ReplaceAll(s, "&", "&amp;")) }

// dotQuote quotes s as a DOT string. Backslashes are doubled so that
// Graphviz shows them (a regex's \d) instead of reading escapes such as \N;
// line breaks become Graphviz's centred line breaks.
func dotQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			if unicode.IsControl(r) {
				r = ' '
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
