package chart

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fsmbot/fsmbot/framework"
	"gopkg.in/yaml.v3"
)

// parser walks one chart's YAML tree by hand, rather than decoding it into
// structs, so that it knows the position of every node, keeps the states in
// the order they are written, and collects every problem instead of stopping
// at the first: an author fixes them all in one go.
type parser struct {
	file string
	data []byte // the file as UTF-8, for positions yaml.v3 does not give
	// starts are the offsets where data's lines start, once needed; cursor
	// is the last position posOf found.
	starts []int
	cursor struct{ off, line, col int }
	ld     *loading
	// inc is the use: that included this file, when it is a flow; nil for
	// the chart itself.
	inc *inclusion
}

// kind names what the file holds, for messages: "the chart" or "the flow".
func (p *parser) kind() string {
	if p.inc != nil {
		return "the flow"
	}
	return "the chart"
}

// add records a problem found in this file.
func (p *parser) add(pr framework.Problem) {
	p.ld.entries = append(p.ld.entries, entry{problem: pr, inc: p.inc})
}

func problem(file string, line, col int, what, fix string) framework.Problem {
	return framework.Problem{Pos: framework.Pos{File: file, Line: line, Col: col}, What: what, Fix: fix}
}

func (p *parser) pos(n *yaml.Node) framework.Pos {
	return framework.Pos{File: p.file, Line: n.Line, Col: n.Column}
}

// modelPos is the position of a state or transition in the chart the
// parser returns. Inside a flow, until the chart is returned, its file name
// is tagged with the use that included it (see tag), so that Compile can
// tell which use framework.New's problems are about.
func (p *parser) modelPos(n *yaml.Node) framework.Pos {
	pos := p.pos(n)
	if p.inc != nil {
		pos.File = tag(pos.File, p.inc.id)
	}
	return pos
}

// report records a problem at node n.
func (p *parser) report(n *yaml.Node, fix, format string, args ...any) {
	p.add(problem(p.file, n.Line, n.Column, fmt.Sprintf(format, args...), fix))
}

// pair is one "key: value" of a mapping.
type pair struct {
	key   string
	kn, v *yaml.Node // the key's node and the value's node, aliases not yet followed
}

// resolve follows an alias (*name) to the node its anchor (&name) marks.
// checkAliases has already made sure that this ends.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	n = resolve(n)
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names what a node is, for "must be …, not …" messages.
func describe(n *yaml.Node) string {
	n = resolve(n)
	switch {
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.MappingNode:
		return "keys with values"
	case isNull(n):
		return "empty"
	}
	return strconv.Quote(clip(n.Value))
}

// clip shortens long text quoted in messages.
func clip(s string) string {
	const limit = 40
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	return string([]rune(s)[:limit]) + "…"
}

// pairs returns the pairs of mapping n in order. It reports, and leaves out,
// keys that are not plain text, merge keys and repeated keys; noun names the
// keys in messages ("key", "state") and where names the mapping.
func (p *parser) pairs(n *yaml.Node, noun, where string) []pair {
	var out []pair
	first := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn := n.Content[i]
		k := resolve(kn)
		switch {
		case k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge":
			p.report(kn, "write the keys out, or reuse a whole value with an alias (*name)",
				"merge keys (<<) are not supported")
			continue
		case k.Kind != yaml.ScalarNode:
			p.report(kn, "a key is a single word or name followed by a colon", "a %s in %s is %s, not a name", noun, where, describe(k))
			continue
		case isNull(k) || strings.TrimSpace(k.Value) == "":
			p.report(kn, `write the name before the colon (in quotes if it is "null" or "~")`, "a %s in %s has no name", noun, where)
			continue
		}
		if prev, dup := first[k.Value]; dup {
			p.report(kn, "remove one of them, or merge them into one", "%s %q appears twice in %s (first at line %d)", noun, k.Value, where, prev.Line)
			continue
		}
		first[k.Value] = kn
		out = append(out, pair{key: k.Value, kn: kn, v: n.Content[i+1]})
	}
	return out
}

// mapping returns n with aliases followed when it is a mapping; otherwise it
// reports that what must be one.
func (p *parser) mapping(n *yaml.Node, what, fix string) (*yaml.Node, bool) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		p.report(n, fix, "%s must be a mapping of keys with values, not %s", what, describe(n))
		return nil, false
	}
	return n, true
}

// value returns f's value with aliases followed, or reports a key with
// nothing after it: "reply:" alone is almost always a forgotten value or a
// wrong indentation, never a wish for nothing.
func (p *parser) value(f pair) (*yaml.Node, bool) {
	v := resolve(f.v)
	if isNull(v) {
		p.report(f.kn, fmt.Sprintf("write a value after %s: or indent what belongs to it below it; or remove %s:", f.key, f.key),
			"%s has no value", f.key)
		return nil, false
	}
	return v, true
}

// nouns say what a key's value is, for messages.
var nouns = map[string]string{
	"bot":           "the bot's name",
	"robot_id":      "the robot's ID",
	"initial":       "a state name",
	"unknown_state": "a state name",
	"to":            "a state name",
	"call":          "a handler name",
	"event":         "an event name",
	"regex":         "one regular expression",
	"type":          "a message type",
	"text":          "text",
	"original_url":  "a URL",
	"thumbnail_url": "a URL",
	"url":           "a URL",
	"sticker":       "a sticker name",
	"time_zone":     "a time zone name",
	"if":            "an expression",
	"guard":         "a guard name",
	"use":           "a flow name",
	"flow":          "the flow's name",
	"name":          "the slot's name",
	"pattern":       "one regular expression",
	"value":         "the choice's text",
}

func noun(key string) string {
	if n, ok := nouns[key]; ok {
		return n
	}
	return "text"
}

// text returns f's value as a single, non-blank text.
func (p *parser) text(f pair) (string, bool) {
	v, ok := p.value(f)
	if !ok {
		return "", false
	}
	if v.Kind != yaml.ScalarNode {
		fix := fmt.Sprintf("write %s: followed by %s on the same line", f.key, noun(f.key))
		if f.key == "regex" {
			fix = "write one expression; to match either of two, join them with |, like (退货|退款)"
		}
		p.report(v, fix, "%s must be %s, not %s", f.key, noun(f.key), describe(v))
		return "", false
	}
	if strings.TrimSpace(v.Value) == "" {
		p.report(v, fmt.Sprintf("write %s after %s:, or remove %s:", noun(f.key), f.key, f.key), "%s is blank", f.key)
		return "", false
	}
	return v.Value, true
}

// listNouns say what a key's list holds, for messages.
var listNouns = map[string]string{
	"exact":    "a word or a list of words",
	"keywords": "a word or a list of words",
	"all_of":   "a word or a list of words",
	"command":  "a command or a list of commands",
	"type":     "a message type or a list of them",
	"aliases":  "a state name or a list of them",
	"cancel":   "a word or a list of words",
	"synonyms": "a word or a list of words",
}

// texts returns f's value as a list of non-blank texts: a single text or a
// list of them, since a one-word list is the common case and "[退货]" is
// easy to forget.
func (p *parser) texts(f pair) ([]string, bool) {
	v, ok := p.value(f)
	if !ok {
		return nil, false
	}
	switch v.Kind {
	case yaml.ScalarNode:
		s, ok := p.text(f)
		return []string{s}, ok
	case yaml.SequenceNode:
	default:
		p.report(v, fmt.Sprintf("write one on the same line, or a list like %s: [a, b]", f.key), "%s must be %s, not %s", f.key, listNouns[f.key], describe(v))
		return nil, false
	}
	if len(v.Content) == 0 {
		p.report(v, fmt.Sprintf("write at least one inside [ ], or remove %s:", f.key), "%s is an empty list", f.key)
		return nil, false
	}
	out := make([]string, 0, len(v.Content))
	ok = true
	for _, item := range v.Content {
		item = resolve(item)
		switch {
		case item.Kind != yaml.ScalarNode || isNull(item):
			p.report(item, "each item of the list is one word, in quotes if it contains , [ ] or :", "an item of %s is %s, not a word", f.key, describe(item))
			ok = false
		case strings.TrimSpace(item.Value) == "":
			p.report(item, "remove the empty item", "an item of %s is blank", f.key)
			ok = false
		default:
			out = append(out, item.Value)
		}
	}
	return out, ok
}

// boolean returns f's value as true or false.
func (p *parser) boolean(f pair) (bool, bool) {
	v, ok := p.value(f)
	if !ok {
		return false, false
	}
	var b bool
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" || v.Decode(&b) != nil {
		p.report(v, fmt.Sprintf("write %s: true or %s: false", f.key, f.key), "%s must be true or false, not %s", f.key, describe(v))
		return false, false
	}
	return b, true
}

// integer returns f's value as a whole number of at least 0. A number in
// quotes is taken too: the author meant the number.
func (p *parser) integer(f pair) (int, bool) {
	v, ok := p.value(f)
	if !ok {
		return 0, false
	}
	var i int
	if v.Kind == yaml.ScalarNode && v.Decode(&i) != nil {
		var err error
		i, err = strconv.Atoi(strings.TrimSpace(v.Value))
		ok = err == nil
	}
	if !ok || v.Kind != yaml.ScalarNode || i < 0 {
		p.report(v, fmt.Sprintf("write a number of 0 or more, like %s: 640", f.key), "%s must be a whole number, not %s", f.key, describe(v))
		return 0, false
	}
	return i, true
}

// number returns f's value as a finite number between lo and hi.
func (p *parser) number(f pair, lo, hi float64) (float64, bool) {
	v, ok := p.value(f)
	if !ok {
		return 0, false
	}
	var x float64
	if v.Kind == yaml.ScalarNode && v.Decode(&x) != nil {
		var err error
		x, err = strconv.ParseFloat(strings.TrimSpace(v.Value), 64)
		ok = err == nil
	}
	if !ok || v.Kind != yaml.ScalarNode || math.IsNaN(x) || x < lo || x > hi {
		want := fmt.Sprintf("a number from %g to %g", lo, hi)
		if hi == math.MaxFloat64 {
			want = fmt.Sprintf("a number of %g or more", lo)
		}
		p.report(v, "write "+want, "%s must be %s, not %s", f.key, want, describe(v))
		return 0, false
	}
	return x, true
}

// maxNodes bounds how many nodes a chart may have once its aliases are
// expanded: far above any real chart, far below what takes noticeable time.
const maxNodes = 1_000_000

// checkAliases reports an alias used inside its own anchor's value, and a
// chart that grows huge once its aliases are expanded (the "billion laughs":
// ten aliases of ten aliases of …). yaml.v3 leaves both to the code that
// walks its nodes, which would otherwise never finish.
func (p *parser) checkAliases(root *yaml.Node) (int, bool) {
	sizes := make(map[*yaml.Node]int)
	open := make(map[*yaml.Node]bool) // nodes whose size is being counted
	var size func(n *yaml.Node) int
	size = func(n *yaml.Node) int {
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			if open[n.Alias] {
				p.report(n, fmt.Sprintf("an anchor's value cannot contain its own alias: remove *%s here", n.Value),
					"the alias *%s is inside the value of &%s itself", n.Value, n.Value)
				return maxNodes + 1
			}
			return size(n.Alias)
		}
		if s, ok := sizes[n]; ok {
			return s
		}
		open[n] = true
		s := 1
		for _, c := range n.Content {
			if s = min(s+size(c), maxNodes+1); s > maxNodes {
				break
			}
		}
		delete(open, n)
		sizes[n] = s
		return s
	}
	before := len(p.ld.entries)
	if n := size(root); n <= maxNodes {
		return n, true
	}
	if len(p.ld.entries) == before {
		p.report(root, "use fewer aliases (*name), or aliases of smaller values",
			"%s has more than %d values once its aliases are expanded", p.kind(), maxNodes)
	}
	return 0, false
}
