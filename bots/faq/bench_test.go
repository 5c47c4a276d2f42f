package main

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/chart"
	"github.com/fsmbot/fsmbot/statecharts"
)

// The FAQ chart is nested: answers/…, refund_help/received/ask (a flow in a
// compound state), handoff/waiting, csat/…, with global transitions. Does
// nesting cost anything per turn? BenchmarkTurnNested runs turns on it,
// BenchmarkTurnFlat the same turns on the same chart flattened (flat,
// below): every leaf a top-level state, with the transitions of its
// parents copied into it, the same global transitions, the same fallbacks.
// Both try the same transitions in the same order and say the same things.
//
//	go test -run '^$' -bench 'Turn(Nested|Flat)' -benchmem ./bots/faq

// benchTurns are the turns both benchmarks run: the room's botState, the
// message, and where the nested chart goes.
var benchTurns = []struct {
	name, state, text, to string
}{
	// A question from an answer: the answers' own transition and 24 global
	// ones tried before the knowledge base's, which searches its 40 entries
	// and answers; one state left, one entered, under answers.
	{"topic", "answers/return_policy", "请问运费多少钱？满多少包邮", "answers/kb"},
	// A yes in the first question of refund_help: the flow's own
	// transition; two levels left, two entered.
	{"refund_step", "refund_help/received/ask", "是的", "refund_help/in_7_days/ask"},
	// Nothing matches: every transition of the leaf, its parents and the
	// chart is tried (the knowledge base searched, and no entry close
	// enough), then the fallbacks.
	{"fallback", "answers/points", "今天天气怎么样", "answers/points"},
	// Into the handoff, which remembers where the room was.
	{"handoff", "answers/invoice", "转人工", "handoff/waiting<answers/invoice"},
}

func BenchmarkTurnNested(b *testing.B) { benchTurn(b, nestedChart(b)) }

func BenchmarkTurnFlat(b *testing.B) { benchTurn(b, flat(nestedChart(b))) }

func benchTurn(b *testing.B, c framework.Chart) {
	bot, err := framework.New(c, benchOptions())
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range benchTurns {
		ev := &framework.Event{Type: framework.MessageEvent, RoomID: "r", State: tc.state,
			Sender: framework.Client{ID: "u", Nickname: "顾客"}, Message: framework.Message{ID: "m", Type: "text", Text: tc.text}}
		want := strings.ReplaceAll(tc.to, "/", flatSep)
		if c.Name == "faq" {
			want = tc.to
		}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res := bot.Run(ctx, ev)
				if res.To != want || res.Reply == nil {
					b.Fatalf("%q in %s: went to %q, want %q (reply %v)", tc.text, tc.state, res.To, want, res.Reply)
				}
			}
		})
	}
}

// The flat chart is the nested one flattened: its turns go to the same
// states, and say the same, as the nested chart's.
func TestFlatChartBehavesAsTheNested(t *testing.T) {
	nested, err := framework.New(nestedChart(t), benchOptions())
	if err != nil {
		t.Fatal(err)
	}
	c := flat(nestedChart(t))
	flatBot, err := framework.New(c, benchOptions())
	if err != nil {
		t.Fatal(err)
	}
	if n, f := len(nested.States()), len(flatBot.States()); n != f {
		t.Errorf("the nested chart has %d leaves, the flat one %d", n, f)
	}
	for _, s := range c.States {
		if len(s.States) > 0 {
			t.Errorf("flat state %s has children", s.Name)
		}
	}
	for _, tc := range benchTurns {
		ev := &framework.Event{Type: framework.MessageEvent, RoomID: "r", State: tc.state,
			Sender: framework.Client{ID: "u"}, Message: framework.Message{ID: "m", Type: "text", Text: tc.text}}
		a, b := nested.Run(t.Context(), ev), flatBot.Run(t.Context(), ev)
		if a.To != tc.to || b.To != strings.ReplaceAll(a.To, "/", flatSep) {
			t.Errorf("%s: nested went to %q, flat to %q; want %q", tc.name, a.To, b.To, tc.to)
		}
		if a.Reply == nil || b.Reply == nil || a.Reply.Text != b.Reply.Text {
			t.Errorf("%s: nested said %v, flat %v", tc.name, a.Reply, b.Reply)
		}
	}
}

func benchOptions() framework.Options {
	return framework.Options{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Rand:   rand.New(rand.NewPCG(1, 2)),
		Now:    func() time.Time { return time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC) }, // 10:00 in Shanghai
	}
}

func nestedChart(tb testing.TB) framework.Chart {
	tb.Helper()
	data, err := statecharts.FS.ReadFile("faq.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	c, err := chart.Loader{Flows: statecharts.FS, Files: statecharts.FS}.Parse("faq.yaml", data)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// flatSep joins the names of a nested path in a flat state's name:
// answers/points is answers__points.
const flatSep = "__"

// flat flattens a chart: each leaf becomes a top-level state named by its
// path, whose transitions are its own followed by its parents' (innermost
// first), whose fallback is the innermost of theirs, which keeps the
// chart's global transitions out if it or a parent did, and which remembers
// where the room came from if a parent did (to: history). Targets, written
// relative to the state that declared them, become the flat names of the
// leaves they lead to. The leaf's nested path is an alias, so that the same
// botStates work in both charts. A compound state's own entry reply
// (refund_help's) and exit action (answers', which forgets the knowledge
// base's suggestions) are not kept: no leaf could do them only when the
// room comes in from outside, or goes out.
func flat(c framework.Chart) framework.Chart {
	type node struct {
		s      *framework.State
		path   string
		parent *node
	}
	nodes := map[string]*node{}
	var order []*node
	var walk func(states []framework.State, parent *node)
	walk = func(states []framework.State, parent *node) {
		for i := range states {
			n := &node{s: &states[i], path: states[i].Name, parent: parent}
			if parent != nil {
				n.path = parent.path + "/" + n.path
			}
			nodes[n.path] = n
			order = append(order, n)
			walk(states[i].States, n)
		}
	}
	walk(c.States, nil)

	// leafOf is the leaf a transition to n enters.
	leafOf := func(n *node) *node {
		for len(n.s.States) > 0 {
			initial := n.s.Initial
			if initial == "" {
				initial = n.s.States[0].Name
			}
			n = nodes[n.path+"/"+initial]
		}
		return n
	}
	// target resolves a target written in the state at from ("" for the
	// chart), as the engine does.
	target := func(from *node, to string) string {
		if to == "" || to == framework.History {
			return to
		}
		for s := from; ; s = s.parent {
			path := to
			if s != nil {
				path = s.path + "/" + to
			}
			if n, ok := nodes[path]; ok {
				return strings.ReplaceAll(leafOf(n).path, "/", flatSep)
			}
			if s == nil {
				panic("flat: no state " + to)
			}
		}
	}
	retarget := func(from *node, ts []framework.Transition) []framework.Transition {
		out := make([]framework.Transition, len(ts))
		for i, t := range ts {
			t.To = target(from, t.To)
			out[i] = t
		}
		return out
	}

	out := c
	out.Name = "faq-flat"
	out.States = nil
	out.Global = retarget(nil, c.Global)
	if c.Fallback != nil {
		fb := retarget(nil, []framework.Transition{*c.Fallback})[0]
		out.Fallback = &fb
	}
	out.Initial = target(nil, c.Initial)
	if c.UnknownState != "" {
		out.UnknownState = target(nil, c.UnknownState)
	}
	for _, n := range order {
		if len(n.s.States) > 0 {
			continue
		}
		s := *n.s
		s.Name = strings.ReplaceAll(n.path, "/", flatSep)
		s.Aliases = append([]string{}, n.s.Aliases...)
		if s.Name != n.path {
			s.Aliases = append(s.Aliases, n.path)
		}
		s.On = nil
		s.Fallback = nil
		for a := n; a != nil; a = a.parent {
			s.On = append(s.On, retarget(a, a.s.On)...)
			if s.Fallback == nil && a.s.Fallback != nil {
				fb := retarget(a, []framework.Transition{*a.s.Fallback})[0]
				s.Fallback = &fb
			}
			s.NoGlobals = s.NoGlobals || a.s.NoGlobals
			s.History = s.History || a.s.History
		}
		out.States = append(out.States, s)
	}
	return out
}
