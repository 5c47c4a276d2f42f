package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fsmbot/fsmbot/framework"
)

// shadowed reports transitions, and words of transitions, that an earlier
// transition always catches first: rules shadowed and duplicate-pattern.
//
// A transition is judged in every leaf it may fire from, against what that
// leaf tries before it: its own transitions, its ancestors', the global
// ones. One that can never fire in any of them is an error; one that cannot
// fire in some (a child state's catch-all overriding a parent's or a global
// transition) and words that can never match are warnings.
func (l *linter) shadowed() {
	for _, t := range l.m.trans {
		var appear, dead, live []*node
		for _, leaf := range l.m.leaves {
			p := l.m.plans[leaf]
			i := p.index(t)
			if i < 0 {
				continue
			}
			appear = append(appear, leaf)
			if p.v[i].dead {
				dead = append(dead, leaf)
			} else {
				live = append(live, leaf)
			}
		}
		if len(appear) == 0 {
			continue // a global transition every state opts out of
		}
		if t.info.Fallback {
			l.shadowedFallback(t, dead, len(appear))
			continue
		}
		if len(dead) > 0 {
			l.deadTransition(t, dead, len(live) == 0)
		}
		l.deadWords(t, live)
	}
}

// deadTransition reports t, which never fires in the leaves dead; everywhere
// when all is set.
func (l *linter) deadTransition(t *trans, dead []*node, all bool) {
	var killers []string
	same := true
	for _, leaf := range dead {
		p := l.m.plans[leaf]
		v := p.v[p.index(t)]
		for k, s := range v.killer {
			if d := describe(s); !slices.Contains(killers, d) {
				killers = append(killers, d)
			}
			same = same && v.same[k]
		}
	}
	verb := "comes first"
	if len(killers) > 1 {
		verb = "come first"
	}
	switch {
	case all && same:
		l.report(Error, t.info.Pos, ruleDuplicatePattern,
			"%s can never fire: %s %s with the same %s (remove one of them)",
			subject(t), joinAnd(killers), verb, plural(len(t.alts), "word", "words"))
	case all:
		l.report(Error, t.info.Pos, ruleShadowed,
			"%s can never fire: %s %s and %s everything it would match (move it above, narrow the earlier pattern, or remove it)",
			subject(t), joinAnd(killers), verb, plural(len(killers), "catches", "catch"))
	default:
		l.report(Warning, t.info.Pos, ruleShadowed,
			"%s never fires in %s %s: %s %s there and %s everything it would match (narrow the earlier pattern if this one should work there too)",
			subject(t), plural(len(dead), "state", "states"), quoteList(paths(dead), 3), joinAnd(killers), verb, plural(len(killers), "catches", "catch"))
	}
}

// deadWords reports the words of t that can never match in the leaves where
// t itself may fire.
func (l *linter) deadWords(t *trans, live []*node) {
	if len(live) == 0 || !isWordKind(t.info.Match.Kind()) || len(t.alts) < 2 {
		return // a single word that never matches is a dead transition
	}
	type key struct {
		k      int
		killer string
		same   bool
	}
	var keys []key
	in := map[key][]*node{}
	for _, leaf := range live {
		p := l.m.plans[leaf]
		v := p.v[p.index(t)]
		for k, s := range v.killer {
			if s == nil {
				continue
			}
			kk := key{k, describe(s), v.same[k]}
			if _, ok := in[kk]; !ok {
				keys = append(keys, kk)
			}
			in[kk] = append(in[kk], leaf)
		}
	}
	slices.SortStableFunc(keys, func(a, b key) int { return a.k - b.k })
	for _, kk := range keys {
		states := ""
		if leaves := in[kk]; len(leaves) < len(live) {
			states = fmt.Sprintf(" in %s %s", plural(len(leaves), "state", "states"), quoteList(paths(leaves), 3))
		}
		word := t.alts[kk.k].raw
		if kk.same {
			l.report(Warning, t.info.Pos, ruleDuplicatePattern,
				"%q in %s is already matched%s by %s, which comes first (remove it here or there)",
				word, subject(t), states, kk.killer)
		} else {
			l.report(Warning, t.info.Pos, ruleShadowed,
				"%q in %s can never match%s: %s comes first and catches it (remove the word, or move this transition above that one)",
				word, subject(t), states, kk.killer)
		}
	}
}

// shadowedFallback reports a fallback that a transition always answers
// first. A fallback overridden by a deeper one, or the chart's fallback in
// a state with a catch-all, is how fallbacks work, and is not reported.
func (l *linter) shadowedFallback(t *trans, dead []*node, appear int) {
	if len(dead) < appear || t.info.Event != framework.MessageEvent {
		return
	}
	var killers []string
	for _, leaf := range dead {
		p := l.m.plans[leaf]
		v := p.v[p.index(t)]
		for k, s := range v.killer {
			if v.kidx[k] >= p.nc {
				return // a deeper fallback answers first somewhere
			}
			if d := describe(s); !slices.Contains(killers, d) {
				killers = append(killers, d)
			}
		}
	}
	verb := "comes first and catches"
	if len(killers) > 1 {
		verb = "come first and catch"
	}
	l.report(Error, t.info.Pos, ruleShadowed,
		"%s can never answer: %s %s every message it would (remove it, or narrow the earlier pattern)",
		subject(t), joinAnd(killers), verb)
}

// duplicateWords reports a word listed twice in one transition.
func (l *linter) duplicateWords() {
	for _, t := range l.m.trans {
		for j, n := range t.norm {
			i := slices.Index(t.norm, n)
			if i == j || slices.Index(t.norm[i+1:], n)+i+1 != j {
				continue // first occurrence, or a third one
			}
			if t.words[i] == t.words[j] {
				l.report(Warning, t.info.Pos, ruleDuplicatePattern,
					"%q appears twice in %s (remove one)", t.words[i], subject(t))
			} else {
				l.report(Warning, t.info.Pos, ruleDuplicatePattern,
					"%q and %q are the same word once normalized, in %s (remove one)", t.words[i], t.words[j], subject(t))
			}
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// shortLabel is a transition's label with long word lists cut, for
// messages: FAQ charts list dozens of keywords.
func shortLabel(info *framework.TransitionInfo) string {
	const keep = 3
	words := info.Match.Words()
	if len(words) <= keep+1 {
		return info.Label()
	}
	kind, _, _ := strings.Cut(info.Match.String(), ": ")
	sep := " | "
	if info.Match.Kind() == framework.MatchAllOf {
		sep = " + "
	}
	var parts []string
	if info.Event != framework.MessageEvent {
		parts = append(parts, string(info.Event))
	}
	parts = append(parts, kind+": "+strings.Join(words[:keep], sep)+sep+"…")
	if info.Guard != "" {
		parts = append(parts, "["+info.Guard+"]")
	}
	return strings.Join(parts, " ")
}
