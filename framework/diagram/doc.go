// Package diagram draws a compiled bot's state chart, from its
// framework.Graph, for people: Mermaid renders it as a Mermaid
// stateDiagram-v2 (for Markdown on GitHub, GitLab and the Mermaid live
// editor), DOT renders it for Graphviz (`dot -Tsvg`).
//
//	bot, err := framework.New(chart, opts)
//	...
//	os.WriteFile("shop.mmd", []byte(diagram.Mermaid(bot.Graph())), 0o644)
//
// Both are deterministic, the same graph giving the same bytes, with states
// and edges in chart order, so that diagrams can be committed beside their
// charts and their diffs read in review.
//
// # What is drawn
//
// A state is a box labelled with its name; a compound state is a Mermaid
// composite state or a Graphviz cluster, with its children inside and a
// start dot pointing at its initial child. The chart's start dot points at
// the chart's initial state.
//
// A transition is an edge labelled with TransitionInfo.Label, its trigger,
// pattern and guard ("keywords: 退货 | 退款 [hour >= 9]"), then
// " / handler()" when it calls a handler. A long pattern or guard is cut
// at about 40 characters with "…". A fallback's label starts with
// "fallback", and Graphviz draws it dashed. The reply texts are not drawn.
//
//   - A transition that stays (To == "") is a loop on the state that
//     declares it.
//   - A transition declared on a compound state, which applies in every
//     state inside it, starts at the compound state: the composite state's
//     border in Mermaid, the cluster's border in Graphviz (an edge to a state
//     inside the compound state starts at a small grey label with the
//     compound state's name, inside the cluster).
//   - Global transitions start at one pseudo-state, "any state (global)",
//     drawn dashed, so that each is drawn once rather than from every
//     state. States that keep them out (NoGlobals) say "no globals". The
//     chart's fallback starts there too; it applies in every state.
//   - A transition to History ends at a history pseudo-state "H": inside the
//     History state that owns it when that state is compound, beside it,
//     as "H (name)", when it is a leaf, and at the chart's top level for
//     transitions with no History state around them (global ones). The
//     state it leads to is known only at run time: the one the room was in
//     before it entered the History state.
//   - A state whose entry or exit calls a handler shows
//     "entry / handler()" and "exit / handler()" under its name (after it,
//     in parentheses, for a Mermaid composite state); a leaf that does is
//     drawn with a thick border.
//
// # Mermaid
//
// State ids are the states' paths with "/" written "__" (refund/ask_order
// is refund__ask_order); a rune other than an ASCII letter, digit or "_"
// is written as u and its hex code, joined by "_" ("退货" is u9000_u8d27),
// and an id that would not start with a letter, or is a word of Mermaid's
// grammar ("end"), starts with "s_". Should two paths still meet (a state
// named "a__b" beside a compound state a with a child b), the later one in
// chart order gets "_2". Pseudo-states start with "_" (_global, _history).
// Labels show the state's name; characters Mermaid would read as syntax (: ;
// # " { } < > & ` * and some \ and _) are written as Mermaid's entity codes
// (#58;), which it draws as the characters; line breaks become spaces.
//
// Mermaid's layout loses or garbles some edges of nested states, which are
// drawn differently than in DOT, without changing what they mean:
//
//   - an edge to a compound state ends at the leaf the room lands in (its
//     initial state's initial state…), which is where it goes; when it comes
//     from inside the compound state, its label adds "(re-enters NAME)";
//   - an edge from a compound state to a state inside it is a loop on the
//     compound state, its label ending "→ NAME";
//   - several loops on one state are one loop with a line per transition.
//
// # Graphviz
//
// Node ids are the states' paths, quoted; a compound state is a cluster
// "cluster_PATH" holding an anchor node whose id is the compound state's
// path, so that edges to and from the compound state attach to the anchor
// and are clipped at the cluster's border (compound=true, lhead, ltail).
// Pseudo-states' ids contain "<", which no state name may: "<start>",
// "PATH/<start>", "<global>", "<history>", "PATH/<history>". Labels are
// UTF-8; quotes and backslashes are escaped, '&' is written "&amp;".
package diagram
