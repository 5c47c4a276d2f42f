package lint

import (
	"regexp"
	"slices"
	"strings"

	"github.com/fsmbot/fsmbot/framework"
)

// alt is one way a transition can match: one word of exact, keywords,
// command and type, all the words of all_of, or the whole of any other
// pattern. A transition never fires when an earlier one catches every one of
// its alternatives.
type alt struct {
	kind  framework.MatchKind
	word  string         // normalized as the engine matches it
	words []string       // all_of: every word, normalized
	raw   string         // as written, for messages
	re    *regexp.Regexp // regex
}

// alternatives splits a Match into its alternatives, and returns its words
// as written and as the engine compares them.
func alternatives(m framework.Match) (alts []alt, words, norm []string) {
	kind := m.Kind()
	words = m.Words()
	for _, w := range words {
		norm = append(norm, framework.NormalizeWord(kind, w))
	}
	switch kind {
	case framework.MatchExact, framework.MatchKeywords, framework.MatchCommand, framework.MatchType:
		for i, w := range words {
			alts = append(alts, alt{kind: kind, word: norm[i], raw: w})
		}
	case framework.MatchAllOf:
		alts = []alt{{kind: kind, words: norm}}
	case framework.MatchRegex:
		re, _ := regexp.Compile(m.Pattern()) // New compiled it already
		alts = []alt{{kind: kind, re: re}}
	default:
		alts = []alt{{kind: kind}}
	}
	return alts, words, norm
}

// isWordKind reports whether a pattern of kind lists words.
func isWordKind(kind framework.MatchKind) bool {
	switch kind {
	case framework.MatchExact, framework.MatchKeywords, framework.MatchAllOf, framework.MatchCommand, framework.MatchType:
		return true
	}
	return false
}

// textOnly reports whether a can only match a text message: only text
// messages carry text, and these patterns need some.
func textOnly(a alt) bool {
	switch a.kind {
	case framework.MatchExact, framework.MatchKeywords, framework.MatchAllOf, framework.MatchCommand:
		return true
	case framework.MatchRegex:
		return a.re != nil && !a.re.MatchString("")
	}
	return false
}

// kills reports whether s, an earlier unguarded transition for the same
// event, matches every event a would, so that a can never be what fires;
// same says it does so with the very same word.
func kills(s *trans, a alt) (ok, same bool) {
	switch s.info.Match.Kind() {
	case framework.MatchAny, framework.MatchDefault:
		// Every message; every event of a non-message type.
		return true, false
	case framework.MatchType:
		for _, sa := range s.alts {
			if a.kind == framework.MatchType && sa.word == a.word {
				return true, true
			}
		}
		if textOnly(a) && slices.ContainsFunc(s.alts, func(sa alt) bool { return sa.word == "text" }) {
			return true, false
		}
	case framework.MatchExact:
		for _, sa := range s.alts {
			if a.kind == framework.MatchExact && sa.word == a.word {
				return true, true
			}
		}
	case framework.MatchKeywords:
		// The text contains sa.word whenever it is, contains, or starts
		// with a word that contains sa.word.
		for _, sa := range s.alts {
			switch a.kind {
			case framework.MatchExact, framework.MatchKeywords, framework.MatchCommand:
				if strings.Contains(a.word, sa.word) {
					return true, a.word == sa.word && a.kind != framework.MatchCommand
				}
			case framework.MatchAllOf:
				for _, w := range a.words {
					if strings.Contains(w, sa.word) {
						return true, false
					}
				}
			}
		}
	case framework.MatchAllOf:
		need := s.alts[0].words
		switch a.kind {
		case framework.MatchExact, framework.MatchKeywords, framework.MatchCommand:
			if containsAll([]string{a.word}, need) {
				return true, false
			}
		case framework.MatchAllOf:
			if containsAll(a.words, need) {
				return true, sameSet(a.words, need)
			}
		}
	case framework.MatchCommand:
		for _, sa := range s.alts {
			if a.kind == framework.MatchCommand && sa.word == a.word {
				return true, true
			}
		}
	case framework.MatchRobotAdded:
		if a.kind == framework.MatchRobotAdded {
			return true, false
		}
	}
	return false, false
}

// containsAll reports whether each of need is inside one of have: a text
// that contains all of have then contains all of need.
func containsAll(have, need []string) bool {
	for _, n := range need {
		if !slices.ContainsFunc(have, func(h string) bool { return strings.Contains(h, n) }) {
			return false
		}
	}
	return true
}

// sameSet reports whether a and b hold the same words.
func sameSet(a, b []string) bool {
	in := func(x, y []string) bool {
		return !slices.ContainsFunc(x, func(w string) bool { return !slices.Contains(y, w) })
	}
	return in(a, b) && in(b, a)
}
