package chart

import (
	"cmp"
	"errors"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/faq"
	"gopkg.in/yaml.v3"
)

// Loader reads charts that may include reusable flows (use: NAME) from a
// library of flow files. The zero Loader has no library: a chart that says
// use: is then an error. The package functions Parse, Load, LoadFS and
// Compile are those of the zero Loader.
type Loader struct {
	// Flows is the library of reusable flows that `use:` names: NAME.yaml
	// files, such as os.DirFS("statecharts") or an embed.FS. Problems inside
	// a flow are reported at the flow's file name within Flows
	// ("handoff.yaml").
	Flows fs.FS
	// Files holds the data files charts name, such as the knowledge bases
	// of faq: patterns ("kb/faq.yaml").
	Files fs.FS
}

// Parse reads one bot's chart from YAML. name, usually the file's path, is
// used in positions (name:line:col) and as Chart.File. Every problem found
// is reported at once in a *framework.ChartError; the chart is then zero.
//
// Parse checks what the YAML says; what the chart means (that targets
// exist, regular expressions and guards compile, handlers are registered) is
// checked by framework.New, or by Compile, which does both.
func (l Loader) Parse(name string, data []byte) (framework.Chart, error) {
	c, _, err := l.parse(name, data)
	return untag(c), err
}

// Load reads and parses the chart in the file at path.
func (l Loader) Load(path string) (framework.Chart, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return framework.Chart{}, err
	}
	return l.Parse(path, data)
}

// LoadFS reads and parses the chart in file name of fsys, such as an
// embed.FS of charts.
func (l Loader) LoadFS(fsys fs.FS, name string) (framework.Chart, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return framework.Chart{}, err
	}
	return l.Parse(name, data)
}

// Compile parses a chart and compiles it with framework.New, so that both
// the problems of the YAML and those of the chart's meaning carry
// name:line:col. Problems of the YAML come first, alone: a chart that is
// half read would only add confusing problems of its meaning.
func (l Loader) Compile(name string, data []byte, opts framework.Options) (*framework.Bot, error) {
	tagged, ld, err := l.parse(name, data)
	if err != nil {
		return nil, err
	}
	bot, err := framework.New(untag(tagged), opts)
	ce, ok := errors.AsType[*framework.ChartError](err)
	if !ok {
		return bot, err
	}
	if len(ld.incs) > 0 {
		// Again, with the positions in flows telling which use of the flow
		// each problem is about. New is deterministic: the problems are the
		// same.
		if _, err := framework.New(tagged, opts); err != nil {
			ce, _ = errors.AsType[*framework.ChartError](err)
		}
	}
	for _, pr := range ce.Problems {
		ld.entries = append(ld.entries, ld.placed(pr))
	}
	return nil, &framework.ChartError{Problems: ld.tidy()}
}

// Parse reads a chart that uses no flows: Loader{}.Parse.
func Parse(name string, data []byte) (framework.Chart, error) { return Loader{}.Parse(name, data) }

// Load reads and parses the chart in the file at path: Loader{}.Load.
func Load(path string) (framework.Chart, error) { return Loader{}.Load(path) }

// LoadFS reads and parses the chart in file name of fsys: Loader{}.LoadFS.
func LoadFS(fsys fs.FS, name string) (framework.Chart, error) { return Loader{}.LoadFS(fsys, name) }

// Compile parses and compiles a chart that uses no flows: Loader{}.Compile.
func Compile(name string, data []byte, opts framework.Options) (*framework.Bot, error) {
	return Loader{}.Compile(name, data, opts)
}

// loading is what one Parse shares between the chart and the flows it
// includes.
type loading struct {
	flows   fs.FS
	files2  fs.FS                   // Loader.Files
	kbs     map[string]*faq.Trigger // knowledge bases by file and thresholds: each is indexed once
	chart   string                  // the chart's file name
	entries []entry                 // every problem, where it was found
	// files caches the flow files read, by file name: a flow used twice is
	// read and decoded once (and walked twice, as each use has its own
	// parameters).
	files map[string]*flowFile
	// incs are the uses of flows, by id.
	incs []*inclusion
	// size counts the values of the chart and of every flow it includes,
	// included the uses of flows, to stop flows that use flows that use
	// flows … before they take the machine's memory; over says they did.
	size, included int
	over           bool
}

// flowFile is a flow's file, read and decoded.
type flowFile struct {
	err    error      // reading it
	root   *yaml.Node // nil when it cannot be used
	size   int        // its values, aliases expanded
	data   []byte     // as UTF-8
	starts []int      // where its lines start
	refs   bool       // a scalar holds ${
	// Where its nodes start, once a use needs to know: see layout.
	marks   []mark
	offsets []int
}

// inclusion is one use: of a flow.
type inclusion struct {
	id     int           // its index in loading.incs
	flow   string        // the flow's name, as written after use:
	file   string        // its file in the library
	at     framework.Pos // the use: value that includes it
	parent *inclusion    // the inclusion of the file that says use:; nil for the chart
}

// entry is a problem and the use of the flow it is in; nil when it is in
// the chart.
type entry struct {
	problem framework.Problem
	inc     *inclusion
}

func (l Loader) parse(name string, data []byte) (framework.Chart, *loading, error) {
	ld := &loading{flows: l.Flows, files2: l.Files, chart: name, files: map[string]*flowFile{}, kbs: map[string]*faq.Trigger{}}
	p := &parser{file: name, ld: ld}
	var c framework.Chart
	if root := p.decode(data); root != nil {
		if size, ok := p.checkAliases(root); ok {
			ld.size = size
			c = p.chart(root)
		}
	}
	if len(ld.entries) > 0 {
		return framework.Chart{}, nil, &framework.ChartError{Problems: ld.tidy()}
	}
	return c, ld, nil
}

// placed files a problem framework.New found, in the chart or in a flow
// whose file name is tagged with the use that included it.
func (ld *loading) placed(pr framework.Problem) entry {
	pr.What, pr.Fix = untagText(pr.What), untagText(pr.Fix) // "first at …"
	file, id, tagged := untagFile(pr.Pos.File)
	if !tagged || id < 0 || id >= len(ld.incs) {
		return entry{problem: pr}
	}
	pr.Pos.File = file
	return entry{problem: pr, inc: ld.incs[id]}
}

// tidy turns the entries into the problems an author reads. A problem in a
// flow says where the flow was used: at each use that has it. Problems are
// ordered as they appear in the chart, a flow's where it is used, which is
// how an author reads and fixes them. Repeats are dropped: a value reused
// through an alias (*name) would otherwise report its problems once for
// every use.
func (ld *loading) tidy() []framework.Problem {
	type group struct {
		problem framework.Problem
		incs    []*inclusion
		key     []framework.Pos // the uses, from the chart, then the problem
	}
	var groups []*group
	index := make(map[framework.Problem]*group, len(ld.entries))
	for _, e := range ld.entries {
		g := index[e.problem]
		if g == nil {
			g = &group{problem: e.problem}
			index[e.problem] = g
			groups = append(groups, g)
		}
		if e.inc != nil && !slices.Contains(g.incs, e.inc) {
			g.incs = append(g.incs, e.inc)
		}
	}
	for _, g := range groups {
		if len(g.incs) > 0 {
			for i := g.incs[0]; i != nil; i = i.parent {
				g.key = append(g.key, i.at)
			}
			slices.Reverse(g.key)
			g.problem.What = usedAt(g.incs) + ": " + g.problem.What
		}
		g.key = append(g.key, g.problem.Pos)
	}
	slices.SortStableFunc(groups, func(a, b *group) int {
		for i := 0; i < len(a.key) && i < len(b.key); i++ {
			if c := cmp.Or(cmp.Compare(a.key[i].Line, b.key[i].Line), cmp.Compare(a.key[i].Col, b.key[i].Col)); c != 0 {
				return c
			}
		}
		return cmp.Compare(len(a.key), len(b.key))
	})
	out := make([]framework.Problem, len(groups))
	for i, g := range groups {
		out[i] = g.problem
	}
	return out
}

// usedAt says where a flow was used: "in flow handoff used at c.yaml:9:10",
// through the flows that use it ("… used at handoff.yaml:5:10 via
// c.yaml:9:10"), and at every place when there are several.
func usedAt(incs []*inclusion) string {
	chains := make([]string, len(incs))
	for i, inc := range incs {
		var sites []string
		for s := inc; s != nil; s = s.parent {
			sites = append(sites, s.at.String())
		}
		chains[i] = strings.Join(sites, " via ")
	}
	return "in flow " + incs[0].flow + " used at " + strings.Join(chains, " and ")
}

// The positions of the states and transitions of a flow are tagged, until
// Parse returns the chart, with the use of the flow they come from: their
// file name is followed by tagMark and the use's id.
const tagMark = "\x00"

func tag(file string, id int) string { return file + tagMark + strconv.Itoa(id) }

// untagFile returns a tagged file name's file and use.
func untagFile(s string) (file string, id int, tagged bool) {
	file, n, tagged := strings.Cut(s, tagMark)
	if !tagged {
		return s, 0, false
	}
	id, err := strconv.Atoi(n)
	return file, id, err == nil
}

// tags are tagged file names in a message ("first at handoff.yaml\x002:3:3"):
// a flow's file name always ends with .yaml, and a chart's text may hold a
// NUL of its own ("\0" in double quotes), which must stay as written.
var tags = regexp.MustCompile(`\.yaml` + tagMark + `[0-9]+`)

func untagText(s string) string { return tags.ReplaceAllString(s, ".yaml") }

// untag returns c with the positions of its flows' states and transitions
// as they are in the flows' files.
func untag(c framework.Chart) framework.Chart {
	c.States = untagStates(c.States)
	return c
}

func untagStates(states []framework.State) []framework.State {
	if states == nil {
		return nil
	}
	out := make([]framework.State, len(states))
	for i, s := range states {
		s.Pos = untagPos(s.Pos)
		if s.On != nil {
			on := make([]framework.Transition, len(s.On))
			for j, t := range s.On {
				t.Pos = untagPos(t.Pos)
				on[j] = t
			}
			s.On = on
		}
		if s.Fallback != nil {
			fb := *s.Fallback
			fb.Pos = untagPos(fb.Pos)
			s.Fallback = &fb
		}
		if s.Form != nil {
			s.Form = untagForm(s.Form)
		}
		s.States = untagStates(s.States)
		out[i] = s
	}
	return out
}

// untagForm returns a copy of f with its positions untagged: the tagged
// chart, which f belongs to, is compiled again.
func untagForm(f *framework.Form) *framework.Form {
	out := *f
	if f.Slots != nil {
		out.Slots = make([]framework.Slot, len(f.Slots))
		for i, s := range f.Slots {
			s.Pos = untagPos(s.Pos)
			if s.OnFail != nil {
				t := *s.OnFail
				t.Pos = untagPos(t.Pos)
				s.OnFail = &t
			}
			out.Slots[i] = s
		}
	}
	out.OnCancel.Pos = untagPos(f.OnCancel.Pos)
	out.OnComplete.Pos = untagPos(f.OnComplete.Pos)
	out.OnFail.Pos = untagPos(f.OnFail.Pos)
	return &out
}

func untagPos(p framework.Pos) framework.Pos {
	p.File, _, _ = untagFile(p.File)
	return p
}
