package framework

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Match decides which events trigger a transition. Build one with Exact,
// Keywords, AllOf, Regex, Command, MessageType, AnyMessage, RobotAdded or
// Custom. Text patterns see the message after Normalize, and are normalized
// themselves, so "ＶＩＰ" in a chart matches "vip" typed by a customer.
type Match struct {
	kind    MatchKind
	words   []string
	pattern string
	custom  Matcher
	name    string
}

// MatchKind tells the kinds of Match apart.
type MatchKind int

// The kinds of Match.
const (
	MatchDefault    MatchKind = iota // the zero Match: every non-MESSAGE event
	MatchExact                       // the whole text equals a word
	MatchKeywords                    // the text contains any of the words
	MatchAllOf                       // the text contains all the words
	MatchRegex                       // a regular expression finds the text
	MatchCommand                     // the text is a command such as /help
	MatchType                        // the message type is one of the words
	MatchAny                         // every message
	MatchRobotAdded                  // ADD_MEMBERS added this robot
	MatchCustom                      // a Go Matcher
)

// Matcher is a pattern written in Go. Match may record turn variables with
// t.Set; it must not otherwise change the turn.
type Matcher interface {
	Match(t *Turn) bool
}

// Answerer is a Matcher that also answers: when its transition fires,
// Answer runs after the transition's handler and before its reply. A
// knowledge-base matcher finds the entry in Match and says its answer here.
type Answerer interface {
	Matcher
	Answer(ctx context.Context, t *Turn) error
}

// Router is a Matcher that may choose its transition's target when it
// fires: a knowledge-base entry that leads to a state of its own. Route
// returns a state's path, or "" for the transition's own target. Targets
// lists every path Route may return, checked when the chart compiles.
type Router interface {
	Matcher
	Route(t *Turn) string
	Targets() []string
}

// Exact matches a message whose whole text is one of words, ignoring
// punctuation around it ("退货！" matches "退货").
func Exact(words ...string) Match { return Match{kind: MatchExact, words: words} }

// Keywords matches a message that contains any of words. It matches
// substrings, which is what Chinese text without spaces needs.
func Keywords(words ...string) Match { return Match{kind: MatchKeywords, words: words} }

// AllOf matches a message that contains every one of words.
func AllOf(words ...string) Match { return Match{kind: MatchAllOf, words: words} }

// Regex matches a message that the regular expression finds. Its named groups
// become turn variables: `(?P<order>\d{6,})` sets .Vars.order.
func Regex(pattern string) Match { return Match{kind: MatchRegex, pattern: pattern} }

// Command matches a message that starts with one of the commands ("/help",
// or "help" for the same), followed by nothing or a space. What follows the
// command becomes the turn variable "args".
func Command(names ...string) Match { return Match{kind: MatchCommand, words: names} }

// MessageType matches a message of one of types: image, location, sticker, …
func MessageType(types ...string) Match { return Match{kind: MatchType, words: types} }

// AnyMessage matches every message: a catch-all.
func AnyMessage() Match { return Match{kind: MatchAny} }

// RobotAdded matches an ADD_MEMBERS event that added this robot: the member
// whose ID is the robot ID, or, with no robot ID configured, any robot.
func RobotAdded() Match { return Match{kind: MatchRobotAdded} }

// Custom matches with Go code; name labels it in diagrams and traces.
func Custom(name string, m Matcher) Match { return Match{kind: MatchCustom, custom: m, name: name} }

// Kind returns what kind of Match m is.
func (m Match) Kind() MatchKind { return m.kind }

// Words returns the words, commands or types m matches.
func (m Match) Words() []string { return slices.Clone(m.words) }

// Pattern returns the regular expression of a Regex match.
func (m Match) Pattern() string { return m.pattern }

// IsZero reports whether m is the zero Match.
func (m Match) IsZero() bool { return m.kind == MatchDefault }

// String describes m for diagrams, traces and error messages.
func (m Match) String() string {
	switch m.kind {
	case MatchExact:
		return "exact: " + strings.Join(m.words, " | ")
	case MatchKeywords:
		return "keywords: " + strings.Join(m.words, " | ")
	case MatchAllOf:
		return "all_of: " + strings.Join(m.words, " + ")
	case MatchRegex:
		return "regex: " + m.pattern
	case MatchCommand:
		return "command: " + strings.Join(m.words, " | ")
	case MatchType:
		return "type: " + strings.Join(m.words, " | ")
	case MatchAny:
		return "any"
	case MatchRobotAdded:
		return "robot_added"
	case MatchCustom:
		return "custom: " + m.name
	}
	return ""
}

// matcher is a compiled Match. One struct with a switch, not an interface per
// kind, keeps a turn free of allocations and indirect calls.
type matcher struct {
	kind   MatchKind
	words  []string
	masks  []runeMask // keywords and all_of: the runes of each word, see prefilter.go
	re     *regexp.Regexp
	filter regexFilter // tells cheaply that re cannot match, see prefilter.go
	names  []string    // regex group names, "" for unnamed
	custom Matcher
}

func compileMatch(m Match) (matcher, error) {
	c := matcher{kind: m.kind, custom: m.custom}
	switch m.kind {
	case MatchExact, MatchKeywords, MatchAllOf, MatchCommand:
		if len(m.words) == 0 {
			return c, fmt.Errorf("%s needs at least one word", kindName(m.kind))
		}
		for _, w := range m.words {
			n := NormalizeWord(m.kind, w)
			if n == "" || n == "/" {
				return c, fmt.Errorf("%s has an empty word %q", kindName(m.kind), w)
			}
			c.words = append(c.words, n)
			if m.kind == MatchKeywords || m.kind == MatchAllOf {
				c.masks = append(c.masks, maskOf(n))
			}
		}
	case MatchType:
		if len(m.words) == 0 {
			return c, fmt.Errorf("type needs at least one message type")
		}
		c.words = slices.Clone(m.words) // the Bot must not share the chart's slice
	case MatchRegex:
		re, err := regexp.Compile(m.pattern)
		if err != nil {
			return c, fmt.Errorf("regex %q does not compile: %v", m.pattern, err)
		}
		c.re = re
		c.filter = compileRegexFilter(m.pattern)
		c.names = re.SubexpNames()
	case MatchCustom:
		if m.custom == nil {
			return c, fmt.Errorf("custom match %q has no Matcher", m.name)
		}
	}
	return c, nil
}

// NormalizeWord returns a word of a pattern of kind as the engine compares
// it with a customer's text: normalized (Normalize), without the punctuation
// around it for exact patterns, with its slash for commands; message types
// as written. Forms compare choices and cancel words as exact patterns do.
func NormalizeWord(kind MatchKind, w string) string {
	switch kind {
	case MatchExact:
		return trimPunct(Normalize(w))
	case MatchKeywords, MatchAllOf:
		return Normalize(w)
	case MatchCommand:
		return "/" + strings.TrimPrefix(Normalize(w), "/")
	}
	return w
}

func startsCJK(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isCJK(r)
}

func kindName(k MatchKind) string {
	return strings.TrimSuffix(Match{kind: k}.String(), ": ")
}

// setsVars reports whether matching may set turn variables.
func (c *matcher) setsVars() bool {
	return c.kind == MatchRegex && len(c.names) > 1 || c.kind == MatchCommand || c.kind == MatchCustom
}

// match reports whether the turn's event triggers a transition with this
// pattern on event type ev.
func (c *matcher) match(t *Turn) bool {
	switch c.kind {
	case MatchDefault:
		return true
	case MatchExact:
		return slices.Contains(c.words, t.bareText())
	case MatchKeywords:
		// A word with a rune the text lacks cannot be in it: the mask
		// says so for most words without a search.
		text, mask := t.Normalized(), t.textMask()
		for i, w := range c.words {
			if mask.containsAll(&c.masks[i]) && strings.Contains(text, w) {
				return true
			}
		}
		return false
	case MatchAllOf:
		text, mask := t.Normalized(), t.textMask()
		for i, w := range c.words {
			if !mask.containsAll(&c.masks[i]) || !strings.Contains(text, w) {
				return false
			}
		}
		return true
	case MatchRegex:
		if !c.filter.mayMatch(t) {
			return false
		}
		text := t.Normalized()
		if len(c.names) == 1 { // no groups: no captures to allocate
			return c.re.MatchString(text)
		}
		sub := c.re.FindStringSubmatch(text)
		if sub == nil {
			return false
		}
		for i, name := range c.names {
			if name != "" && sub[i] != "" {
				t.Set(name, sub[i])
			}
		}
		return true
	case MatchCommand:
		text := t.Normalized()
		for _, w := range c.words {
			// Normalize drops the space between a command and Chinese
			// arguments ("/order 退款" → "/order退款"), so a CJK rune also
			// ends the command.
			if rest, ok := strings.CutPrefix(text, w); ok && (rest == "" || rest[0] == ' ' || startsCJK(rest)) {
				if rest = strings.TrimSpace(rest); rest != "" {
					t.Set("args", rest)
				}
				return true
			}
		}
		return false
	case MatchType:
		return slices.Contains(c.words, t.Event.Message.MessageType())
	case MatchAny:
		return true
	case MatchRobotAdded:
		for _, m := range t.Event.Members {
			if t.bot.robotID != "" && m.ID == t.bot.robotID || t.bot.robotID == "" && m.IsRobot {
				return true
			}
		}
		return false
	case MatchCustom:
		return c.custom.Match(t)
	}
	return false
}
