package chart

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/fsmbot/fsmbot/framework"
	"gopkg.in/yaml.v3"
)

// A flow is a file of the flow library that charts include with use:. Its
// states become the children of the state that says use:, so that a flow
// used twice has its states twice, under two names. Before its YAML is
// walked, ${name} in any of its scalars is replaced by the value of the
// parameter name: the with: of the use, else the default under params:.

// param is one parameter a flow declares under params:.
type param struct {
	name     string
	value    string // the default
	required bool   // no default: every use must give it in with:
}

// arg is one parameter a use gives under with:.
type arg struct {
	name  string
	value string
	ok    bool // the value is usable; its problem was reported otherwise
	kn    *yaml.Node
}

// paramName is what may be written between ${ and }.
var paramName = regexp.MustCompile(`^[\p{L}_][\p{L}\p{N}_]*$`)

// maxUses bounds how many times one chart may include flows, counting the
// flows included by flows: far above any real chart, far below what takes
// noticeable time.
const maxUses = 5000

// include reads the flow a state uses and returns the states it gives the
// state, and their initial one. path is the state's path.
func (p *parser) include(use pair, with *pair, path string) ([]framework.State, string) {
	name, ok := p.text(use)
	args := p.args(with)
	if !ok {
		return nil, ""
	}
	at := resolve(use.v)
	if p.ld.flows == nil {
		p.report(at, fmt.Sprintf(`load the chart with a chart.Loader whose Flows holds %s.yaml, such as chart.Loader{Flows: os.DirFS("statecharts")}; or remove use:`, name),
			"state %q uses the flow %s, but no flow library is configured", path, name)
		return nil, ""
	}
	file, ok := p.flowFile(at, name)
	if !ok {
		return nil, ""
	}
	var chain []string
	for i := p.inc; i != nil; i = i.parent {
		chain = append(chain, i.flow)
		if i.flow == name {
			slices.Reverse(chain)
			p.report(at, "remove this use:, or use another flow here",
				"flow %s uses itself: %s", name, strings.Join(append(chain, name), " → "))
			return nil, ""
		}
	}
	if p.ld.over {
		return nil, "" // reported where the flows became too many
	}
	inc := &inclusion{id: len(p.ld.incs), flow: name, file: file, at: p.pos(at), parent: p.inc}
	ff := p.readFlow(at, inc)
	if ff == nil {
		return nil, ""
	}
	p.ld.included++
	p.ld.size += ff.size
	switch {
	case p.ld.included > maxUses:
		p.ld.over = true
		p.report(at, "use flows fewer times: a flow that uses flows is copied into every state that uses it",
			"the chart includes flows more than %d times", maxUses)
		return nil, ""
	case p.ld.size > maxNodes:
		p.ld.over = true
		p.report(at, "use fewer flows, or smaller ones: a flow that uses flows is copied into every state that uses it",
			"the chart has more than %d values once its flows are included", maxNodes)
		return nil, ""
	}
	p.ld.incs = append(p.ld.incs, inc)
	sub := &parser{file: file, data: ff.data, starts: ff.starts, ld: p.ld, inc: inc}
	root := ff.root
	if ff.refs {
		// This use's parameters go into a copy: the tree serves every use.
		root = clone(root, map[*yaml.Node]*yaml.Node{})
	}
	params, paramsNode := sub.params(root)
	values := p.bind(name, params, args, at)
	if ff.refs {
		sub.substitute(root, ff, values, params, paramsNode)
	}
	return sub.flow(root, name, path)
}

// readFlow reads and decodes a flow's file from the library, once per
// load: each use then walks its own copy, with its own parameters. It
// returns nil when the file cannot be used, after reporting why; problems
// of its YAML are reported at its first use only.
func (p *parser) readFlow(at *yaml.Node, inc *inclusion) *flowFile {
	ff, ok := p.ld.files[inc.file]
	if !ok {
		ff = &flowFile{}
		p.ld.files[inc.file] = ff
		var data []byte
		if data, ff.err = fs.ReadFile(p.ld.flows, inc.file); ff.err == nil {
			sub := &parser{file: inc.file, ld: p.ld, inc: inc}
			if root := sub.decode(data); root != nil {
				if size, ok := sub.checkAliases(root); ok {
					ff.root, ff.size, ff.refs = root, size, hasRefs(root)
				}
			}
			ff.data, ff.starts = sub.data, sub.lineStarts()
		}
	}
	switch {
	case ff.err == nil:
		if ff.root == nil {
			return nil
		}
		return ff
	case errors.Is(ff.err, fs.ErrNotExist):
		names := p.ld.flowNames()
		fix := "add " + inc.file + " to the flow library"
		if n := closest(canonical(inc.flow), names); n != "" {
			fix = fmt.Sprintf("did you mean %s?", n)
		} else if len(names) > 0 {
			fix = "use one of: " + strings.Join(names, ", ")
		}
		p.report(at, fix, "there is no flow %s in the flow library (no file %s)", inc.flow, inc.file)
	default:
		p.report(at, "check that the flow library can be read", "the flow %s cannot be read: %v", inc.flow, ff.err)
	}
	return nil
}

// hasRefs reports whether a scalar of the tree holds ${.
func hasRefs(n *yaml.Node) bool {
	if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "${") {
		return true
	}
	return slices.ContainsFunc(n.Content, hasRefs)
}

// clone copies a tree of nodes, its aliases pointing into the copy. anchors
// maps the anchored nodes copied so far to their copies.
func clone(n *yaml.Node, anchors map[*yaml.Node]*yaml.Node) *yaml.Node {
	c := *n
	if n.Anchor != "" {
		anchors[n] = &c
	}
	if n.Alias != nil {
		if a, ok := anchors[n.Alias]; ok { // an anchor comes before its aliases
			c.Alias = a
		}
	}
	if len(n.Content) > 0 {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, child := range n.Content {
			c.Content[i] = clone(child, anchors)
		}
	}
	return &c
}

// flowFile returns the file a flow name stands for: NAME.yaml.
func (p *parser) flowFile(at *yaml.Node, name string) (string, bool) {
	for _, ext := range []string{".yaml", ".yml"} {
		if base, ok := strings.CutSuffix(name, ext); ok {
			p.report(at, fmt.Sprintf("write use: %s", base), "use: names a flow, not a file: %q ends with %s", name, ext)
			return "", false
		}
	}
	file := name + ".yaml"
	if !fs.ValidPath(file) {
		p.report(at, "write the flow's name: its file's name in the flow library, without .yaml, like use: handoff",
			"%q is not the name of a flow", name)
		return "", false
	}
	return file, true
}

// flowNames lists the flows at the top of the library, for hints.
func (ld *loading) flowNames() []string {
	files, _ := fs.Glob(ld.flows, "*.yaml")
	names := make([]string, 0, len(files))
	for _, f := range files {
		names = append(names, strings.TrimSuffix(f, ".yaml"))
	}
	return names
}

// args reads a use's with:, a mapping of parameter names to single values.
func (p *parser) args(with *pair) []arg {
	if with == nil {
		return nil
	}
	v, ok := p.value(*with)
	if !ok {
		return nil
	}
	v, ok = p.mapping(v, "with", "write each parameter as its name, a colon and its value, indented below with:, like with: {open: 9}")
	if !ok {
		return nil
	}
	var out []arg
	for _, e := range p.pairs(v, "parameter", "with") {
		a := arg{name: e.key, kn: e.kn}
		val := resolve(e.v)
		switch {
		case isNull(val):
			p.report(e.kn, fmt.Sprintf("write a value after %s:, or remove %s: to keep the flow's default", e.key, e.key), "with: %s has no value", e.key)
		case val.Kind != yaml.ScalarNode:
			p.report(val, "write one value: a text, a number, true or false", "with: %s must be a single value, not %s", e.key, describe(val))
		default:
			a.value, a.ok = val.Value, true
		}
		out = append(out, a)
	}
	return out
}

// params reads the parameters a flow declares, and returns the params:
// value, which ${…} are not replaced in.
func (p *parser) params(root *yaml.Node) ([]param, *yaml.Node) {
	root = resolve(root)
	if root.Kind != yaml.MappingNode {
		return nil, nil
	}
	var f *pair
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k := resolve(root.Content[i]); k.Kind == yaml.ScalarNode && k.Value == "params" {
			f = &pair{key: "params", kn: root.Content[i], v: root.Content[i+1]}
			break
		}
	}
	if f == nil {
		return nil, nil
	}
	raw, ok := p.value(*f)
	if !ok {
		return nil, nil
	}
	v, ok := p.mapping(raw, "params", "write each parameter as its name, a colon and its default value, indented below params:, like open: 9")
	if !ok {
		return nil, raw
	}
	var out []param
	for _, e := range p.pairs(v, "parameter", "params") {
		if !paramName.MatchString(e.key) {
			p.report(e.kn, "name it with letters, digits and _, starting with a letter", "parameter %q cannot be written as ${%s}", e.key, e.key)
			continue
		}
		d := resolve(e.v)
		switch {
		case isNull(d):
			out = append(out, param{name: e.key, required: true})
		case d.Kind != yaml.ScalarNode:
			p.report(d, "write one value: a text, a number, true or false", "the default of parameter %s must be a single value, not %s", e.key, describe(d))
		default:
			out = append(out, param{name: e.key, value: d.Value})
		}
	}
	return out, v
}

// bind gives each parameter of a flow its value for one use, reporting the
// with: keys the flow does not declare and the parameters it requires that
// with: leaves out.
func (p *parser) bind(flow string, params []param, args []arg, at *yaml.Node) map[string]string {
	values := make(map[string]string, len(params))
	names := make([]string, len(params))
	for i, pa := range params {
		names[i] = pa.name
		if !pa.required {
			values[pa.name] = pa.value
		}
	}
	given := make(map[string]bool, len(args))
	for _, a := range args {
		given[a.name] = true
		if !slices.Contains(names, a.name) {
			fix := "the flow declares no params: remove with:"
			if n := closest(canonical(a.name), names); n != "" {
				fix = fmt.Sprintf("did you mean %s?", n)
			} else if len(names) > 0 {
				fix = "use one of: " + strings.Join(names, ", ")
			}
			p.report(a.kn, fix, "flow %s has no parameter %q", flow, a.name)
			continue
		}
		if a.ok {
			values[a.name] = a.value
		}
	}
	for _, pa := range params {
		if pa.required && !given[pa.name] {
			p.report(at, fmt.Sprintf("add it below use:, like with: {%s: …}", pa.name), "flow %s needs a value for its parameter %s", flow, pa.name)
		}
	}
	return values
}

// substitute replaces ${name} in every scalar of a flow, keys included,
// except in params:. $${ is a literal ${. A ${name} the flow does not declare
// is reported where it is written.
func (p *parser) substitute(root *yaml.Node, ff *flowFile, values map[string]string, params []param, skip *yaml.Node) {
	declared := make([]string, len(params))
	for i, pa := range params {
		declared[i] = pa.name
	}
	marks, offsets := ff.layout(p)
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == skip || n.Kind == yaml.AliasNode { // an alias's value is walked where its anchor is
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
		if n.Kind != yaml.ScalarNode || !strings.Contains(n.Value, "${") {
			return
		}
		i, _ := slices.BinarySearchFunc(marks, mark{n.Line, n.Column}, mark.compare)
		start, end := offsets[i], len(p.data)
		if i+1 < len(offsets) {
			end = offsets[i+1] // where the next node starts
		}
		n.Value = p.expand(n, n.Value, values, declared, start, end)
		if n.Style&(yaml.TaggedStyle|yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
			n.Tag = "" // a plain ${open} that became 9 is a number, true a boolean
			n.Tag = n.ShortTag()
		}
	}
	walk(root)
}

// expand replaces the parameters in s, the value of scalar n, which is
// written between the offsets start and end of the file.
func (p *parser) expand(n *yaml.Node, s string, values map[string]string, declared []string, start, end int) string {
	from := start
	// at returns where text, written in s, is in the file: after the
	// previous reference, within the scalar; n's position when escapes
	// make it impossible to find.
	at := func(text string) framework.Pos {
		if i := bytes.Index(p.data[from:end], []byte(text)); i >= 0 {
			from += i + len(text)
			return p.posOf(from - len(text))
		}
		return p.pos(n)
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '$')
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		j += i
		b.WriteString(s[i:j])
		rest := s[j:]
		switch {
		case strings.HasPrefix(rest, "$${"):
			at("$${")
			b.WriteString("${")
			i = j + 3
		case strings.HasPrefix(rest, "${"):
			closing := strings.IndexByte(rest, '}')
			if closing < 0 {
				p.add(framework.Problem{Pos: at("${"), What: "${ is not closed", Fix: "write ${name} for a parameter, or $${ for a literal ${"})
				b.WriteString(rest)
				i = len(s)
				continue
			}
			ref, name := rest[:closing+1], rest[2:closing]
			pos := at(ref)
			i = j + len(ref)
			if v, ok := values[name]; ok {
				b.WriteString(v)
				continue
			}
			b.WriteString(ref)
			switch {
			case slices.Contains(declared, name): // required, and not given: reported at the use
			case !paramName.MatchString(name):
				p.add(framework.Problem{Pos: pos, What: fmt.Sprintf("%s is not a parameter: a parameter's name is letters, digits and _", clip(ref)),
					Fix: "write ${name} for a parameter, or $${ for a literal ${"})
			default:
				fix := "declare it under params:, with its default value"
				if near := closest(canonical(name), declared); near != "" {
					fix = fmt.Sprintf("did you mean ${%s}?", near)
				} else if len(declared) > 0 {
					fix = "declare it under params:, or use one of: ${" + strings.Join(declared, "}, ${") + "}"
				}
				p.add(framework.Problem{Pos: pos, What: fmt.Sprintf("${%s} is not a parameter of flow %s", name, p.inc.flow), Fix: fix})
			}
		default:
			b.WriteByte('$')
			i = j + 1
		}
	}
	return b.String()
}

// flow walks a flow file's top-level mapping and returns its states, which
// become the children of the state at path, and their initial one.
func (p *parser) flow(root *yaml.Node, name, path string) ([]framework.State, string) {
	root, ok := p.mapping(root, "the flow", "start the file with flow:, params: and states:, each at the start of a line")
	if !ok {
		return nil, ""
	}
	var (
		states                   []framework.State
		initial                  string
		initialNode, statesNode  *yaml.Node
		named, hasStates, listed bool
	)
	for _, f := range p.fields(root, "the flow", flowKeys) {
		switch f.key {
		case "flow":
			named = true
			if s, ok := p.text(f); ok && s != name {
				p.report(resolve(f.v), fmt.Sprintf("write flow: %s, the name of its file %s, or rename the file", name, p.file),
					"the flow says it is %s, but it is used as %s", s, name)
			}
		case "description":
			p.text(f)
		case "initial":
			initial, _ = p.text(f)
			initialNode = resolve(f.v)
		case "states":
			hasStates = true
			statesNode = resolve(f.v)
			states, listed = p.states(f, path)
		}
	}
	if !named {
		p.report(root, fmt.Sprintf("add flow: %s at the top of the file", name), "the flow has no flow: name")
	}
	switch {
	case !hasStates:
		p.report(root, "add states: with the flow's states, indented below it", "the flow has no states")
	case listed && len(states) == 0:
		p.report(statesNode, "add at least one state under states:", "the flow has no states")
	case listed && initial != "":
		p.checkInitial(initialNode, initial, states, "of the flow")
	}
	return states, initial
}

// layout returns where each node of the file starts, sorted, as marks and as
// offsets: a scalar ends before the next node starts.
func (ff *flowFile) layout(p *parser) ([]mark, []int) {
	if ff.marks == nil {
		var collect func(n *yaml.Node)
		collect = func(n *yaml.Node) {
			ff.marks = append(ff.marks, mark{n.Line, n.Column})
			for _, c := range n.Content {
				collect(c)
			}
		}
		collect(ff.root)
		slices.SortFunc(ff.marks, mark.compare)
		ff.marks = slices.Compact(ff.marks)
		ff.offsets = p.offsets(ff.marks)
	}
	return ff.marks, ff.offsets
}

// mark is a line and a column, counted in characters from 1 as yaml.v3
// counts them.
type mark struct{ line, col int }

func (a mark) compare(b mark) int {
	return cmp.Or(cmp.Compare(a.line, b.line), cmp.Compare(a.col, b.col))
}

// offsets returns where each of marks, sorted, is in the file, in one pass:
// a flow may hold a long line of many values.
func (p *parser) offsets(marks []mark) []int {
	starts := p.lineStarts()
	out := make([]int, len(marks))
	line, col, off := 0, 0, 0
	for i, m := range marks {
		if m.line < 1 || m.line > len(starts) {
			out[i] = len(p.data)
			continue
		}
		if m.line != line {
			line, col, off = m.line, 1, starts[m.line-1]
		}
		for ; col < m.col && off < len(p.data) && p.data[off] != '\n'; col++ {
			_, size := utf8.DecodeRune(p.data[off:])
			off += size
		}
		out[i] = off
	}
	return out
}

// posOf returns the position of a byte offset of the file. It counts the
// column on from the previous call when it can: the offsets asked for mostly
// grow, along lines that may be long.
func (p *parser) posOf(off int) framework.Pos {
	starts := p.lineStarts()
	line := sort.Search(len(starts), func(i int) bool { return starts[i] > off })
	c := &p.cursor
	if c.line != line || c.off > off {
		*c = struct{ off, line, col int }{starts[line-1], line, 1}
	}
	c.col += utf8.RuneCount(p.data[c.off:off])
	c.off = off
	return framework.Pos{File: p.file, Line: line, Col: c.col}
}

func (p *parser) lineStarts() []int {
	if p.starts == nil {
		p.starts = []int{0}
		for i, c := range p.data {
			if c == '\n' {
				p.starts = append(p.starts, i+1)
			}
		}
	}
	return p.starts
}
