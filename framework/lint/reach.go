package lint

import (
	"fmt"
	"slices"

	"github.com/fsmbot/fsmbot/framework"
)

// unreachable reports states no room can ever be in: rule unreachable, a
// warning.
//
// Rooms start in the initial state's initial leaf, and in the unknown
// state's when their botState names nothing; rooms in a state's alias are in
// that state. From a leaf a room is in, every transition that can fire there
// (see shadowed) takes it on: to the target's initial leaf, or, through
// History, back to a leaf it was in when it entered the History state (or
// to the initial state, when nothing was remembered). A state is reachable
// when a room can be in one of its leaves.
func (l *linter) unreachable() {
	m := l.m
	reached := map[*node]bool{}
	enter := func(n *node) bool {
		leaf := n.leaf()
		if leaf == nil || reached[leaf] {
			return false
		}
		for s := leaf; s != nil; s = s.parent {
			reached[s] = true
		}
		return true
	}
	enter(m.initial)
	if u := m.unknownState(); u != nil {
		enter(u)
	}
	for _, n := range m.nodes {
		if len(n.info.Aliases) > 0 {
			enter(n)
			reached[n] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for _, leaf := range m.leaves {
			if !reached[leaf] {
				continue
			}
			p := m.plans[leaf]
			for i, t := range p.seq {
				x := m.target(t)
				if t.info.To == framework.History {
					// Back to where the room was when it entered the
					// History state: a leaf it was in, so reached
					// already; or, with nothing remembered, the initial
					// state.
					x = m.initial
				}
				if x != nil && p.live(i) && enter(x) {
					changed = true
				}
			}
		}
	}
	l.reached = reached

	for _, n := range m.nodes {
		switch {
		case reached[n]:
		case n.parent != nil && !reached[n.parent]:
			l.report(Warning, n.info.Pos, ruleUnreachable, "state %q is unreachable: it is inside %q, which is unreachable",
				n.info.Path, n.parent.info.Path)
		default:
			l.report(Warning, n.info.Pos, ruleUnreachable, "state %q is unreachable: %s (add a transition to it from a reachable state, or remove it)",
				n.info.Path, l.whyUnreachable(n))
		}
	}
}

// whyUnreachable explains why no room reaches n: no transition enters it,
// or those that do are in unreachable states or can never fire.
func (l *linter) whyUnreachable(n *node) string {
	var into []string
	fromUnreached, neverFire := false, false
	for _, t := range l.m.trans {
		x := l.m.target(t)
		if x == nil || !enters(x, n) {
			continue
		}
		if d := describe(t); !slices.Contains(into, d) {
			into = append(into, d)
		}
		// t does not fire in any reached leaf: either none has it, or it
		// is caught first in each that does.
		inReached := false
		for _, leaf := range l.m.leaves {
			if l.reached[leaf] && l.m.plans[leaf].index(t) >= 0 {
				inReached = true
			}
		}
		if inReached {
			neverFire = true
		} else {
			fromUnreached = true
		}
	}
	if len(into) == 0 {
		why := "no transition enters it"
		if p := n.parent; p != nil && p.initial != n {
			why += fmt.Sprintf(", and entering %q enters its initial child %q", p.info.Path, p.initial.info.Path)
		}
		return why
	}
	var how string
	switch {
	case fromUnreached && neverFire:
		how = "are in states no room reaches, or can never fire"
	case fromUnreached:
		how = "are in states no room reaches"
	default:
		how = "can never fire"
	}
	if len(into) == 1 {
		how = "is in a state no room reaches"
		if neverFire {
			how = "can never fire"
		}
		return fmt.Sprintf("the only transition into it, %s, %s", into[0], how)
	}
	return fmt.Sprintf("the only transitions into it, %s, %s", joinAnd(into), how)
}

// enters reports whether a transition to x enters n: n is x, one of its
// ancestors, or one of its initial descendants.
func enters(x, n *node) bool {
	if x.within(n) {
		return true
	}
	for s := n; s != x; s = s.parent {
		if s == nil || s.parent == nil || s.parent.initial != s {
			return false
		}
	}
	return true
}
