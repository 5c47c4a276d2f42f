package bottest

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/fsmbot/fsmbot/framework"
)

// Report is how much of a bot's chart a set of transcripts exercised: which
// of its transitions fired, and how often.
type Report struct {
	// Transitions is every transition of the bot, in chart order: each
	// state's own, then its fallbacks, then its children's (depth first),
	// then the global transitions and the chart's fallback.
	Transitions []TransitionCount
}

// TransitionCount is one transition and the number of steps that fired it.
type TransitionCount struct {
	framework.TransitionInfo
	Fired int
}

// Coverage counts, for every transition of bot (framework.Bot.Graph), the
// steps of results that fired it (Answer.Transition). Only targets that know
// which transition fired count: InProcess does, HTTP does not. A transition
// fired by a turn that then failed counts: it was taken.
//
//	var all []bottest.StepResult
//	for _, tr := range transcripts {
//		all = append(all, tr.Play(ctx, bottest.InProcess(bot))...)
//	}
//	report := bottest.Coverage(bot, all)
//	t.Log(report) // coverage: 87.5% of transitions (7/8)
func Coverage(bot *framework.Bot, results []StepResult) Report {
	fired := make(map[string]int)
	for _, r := range results {
		if r.Answer.Transition != "" {
			fired[r.Answer.Transition]++
		}
	}
	var rep Report
	add := func(t framework.TransitionInfo) {
		rep.Transitions = append(rep.Transitions, TransitionCount{TransitionInfo: t, Fired: fired[t.ID]})
	}
	var walk func(states []framework.StateInfo)
	walk = func(states []framework.StateInfo) {
		for _, s := range states {
			for _, t := range s.On {
				add(t)
			}
			for _, t := range s.Fallbacks {
				add(t)
			}
			walk(s.Children)
		}
	}
	g := bot.Graph()
	walk(g.States)
	for _, t := range g.Global {
		add(t)
	}
	if g.Fallback != nil {
		add(*g.Fallback)
	}
	return rep
}

// Total is the number of transitions of the bot.
func (r Report) Total() int { return len(r.Transitions) }

// Covered is the number of transitions that fired at least once.
func (r Report) Covered() int {
	n := 0
	for _, t := range r.Transitions {
		if t.Fired > 0 {
			n++
		}
	}
	return n
}

// Percent is the share of transitions that fired, 0 to 100; 100 for a bot
// without transitions, where nothing was left untested.
func (r Report) Percent() float64 {
	if r.Total() == 0 {
		return 100
	}
	return 100 * float64(r.Covered()) / float64(r.Total())
}

// Missed lists the transitions that never fired, in chart order.
func (r Report) Missed() []framework.TransitionInfo {
	var out []framework.TransitionInfo
	for _, t := range r.Transitions {
		if t.Fired == 0 {
			out = append(out, t.TransitionInfo)
		}
	}
	return out
}

// BySource groups the transitions by the place in the chart that declares
// them, in file order. A list of transitions shared through a YAML anchor
// (on: *common) is written once and compiled into every state that uses
// it: one group, with a transition for each of those states. Transitions
// without a position (built in Go) are a group each.
func (r Report) BySource() []SourceGroup {
	var groups []SourceGroup
	index := make(map[framework.Pos]int)
	for _, t := range r.Transitions {
		i, ok := index[t.Pos]
		if !ok || t.Pos.IsZero() {
			i = len(groups)
			index[t.Pos] = i
			groups = append(groups, SourceGroup{Pos: t.Pos, Transition: t.TransitionInfo})
		}
		groups[i].Total++
		if t.Fired > 0 {
			groups[i].Fired++
		} else {
			groups[i].Missed = append(groups[i].Missed, t.ID)
		}
	}
	slices.SortStableFunc(groups, func(a, b SourceGroup) int {
		return cmp.Or(cmp.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col))
	})
	return groups
}

// MissedBySource is BySource without the groups whose transitions all
// fired: where in the chart transcripts are missing.
func (r Report) MissedBySource() []SourceGroup {
	var out []SourceGroup
	for _, g := range r.BySource() {
		if len(g.Missed) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// SourceGroup is the transitions compiled from one place in a chart.
type SourceGroup struct {
	Pos        framework.Pos
	Transition framework.TransitionInfo // the first of them
	Total      int                      // how many there are
	Fired      int                      // how many fired
	Missed     []string                 // the IDs of those that never fired
}

// Sources counts the places in the chart that declare transitions, and
// those of them whose transitions fired from at least one state: the
// coverage of the chart's text, where Covered is that of the compiled bot.
func (r Report) Sources() (fired, total int) {
	for _, g := range r.BySource() {
		total++
		if g.Fired > 0 {
			fired++
		}
	}
	return fired, total
}

// String is the coverage line: `coverage: 87.5% of transitions (7/8)`.
func (r Report) String() string {
	return fmt.Sprintf("coverage: %.1f%% of transitions (%d/%d)", r.Percent(), r.Covered(), r.Total())
}

// Describe says what a transition reacts to and where it goes, for people:
// `keywords: 退货 | 退款 → return_policy`, `JOIN_ROOM → menu`, `fallback`.
func Describe(t framework.TransitionInfo) string {
	s := t.Label()
	switch {
	case t.Fallback && (s == "" || t.Match.Kind() == framework.MatchAny && t.Guard == ""):
		s = "fallback"
	case t.Fallback:
		s = "fallback: " + s
	case s == "":
		s = string(t.Event)
	}
	if t.To != "" {
		s += " → " + t.To
	}
	return s
}
