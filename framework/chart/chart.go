package chart

import (
	"cmp"
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/fsmbot/fsmbot/framework"
)

// Parse reads one bot's chart from YAML. name, usually the file's path, is
// used in positions (name:line:col) and as Chart.File. Every problem found
// is reported at once in a *framework.ChartError; the chart is then zero.
//
// Parse checks what the YAML says; what the chart means (that targets
// exist, regular expressions compile, handlers are registered) is checked
// by framework.New, or by Compile, which does both.
func Parse(name string, data []byte) (framework.Chart, error) {
	c, _, err := parse(name, data)
	return c, err
}

// Load reads and parses the chart in the file at path.
func Load(path string) (framework.Chart, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return framework.Chart{}, err
	}
	return Parse(path, data)
}

// LoadFS reads and parses the chart in file name of fsys, such as an
// embed.FS of charts.
func LoadFS(fsys fs.FS, name string) (framework.Chart, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return framework.Chart{}, err
	}
	return Parse(name, data)
}

// Compile parses a chart and compiles it with framework.New, so that both
// the problems of the YAML and those of the chart's meaning carry
// name:line:col. Problems of the YAML come first, alone: a chart that is
// half read would only add confusing problems of its meaning.
func Compile(name string, data []byte, opts framework.Options) (*framework.Bot, error) {
	c, at, err := parse(name, data)
	if err != nil {
		return nil, err
	}
	bot, err := framework.New(c, opts)
	if ce, ok := errors.AsType[*framework.ChartError](err); ok {
		return nil, pointAtKeys(ce, c.Pos, at)
	}
	return bot, err
}

// parse parses data and also returns where the chart-wide keys' values are.
func parse(name string, data []byte) (framework.Chart, map[string]framework.Pos, error) {
	p := &parser{file: name, at: make(map[string]framework.Pos)}
	var c framework.Chart
	if root := p.decode(data); root != nil && p.checkAliases(root) {
		c = p.chart(root)
	}
	if len(p.problems) > 0 {
		return framework.Chart{}, nil, &framework.ChartError{Problems: tidy(p.problems)}
	}
	return c, p.at, nil
}

// tidy orders problems as they appear in the file, which is how an author
// reads and fixes them, and drops repeats: a value reused through an alias
// (*name) would otherwise report its problems once for every use.
func tidy(problems []framework.Problem) []framework.Problem {
	seen := make(map[framework.Problem]bool, len(problems))
	out := problems[:0:0]
	for _, pr := range problems {
		if !seen[pr] {
			seen[pr] = true
			out = append(out, pr)
		}
	}
	slices.SortStableFunc(out, func(a, b framework.Problem) int {
		return cmp.Or(cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col))
	})
	return out
}

// chartWide tells, by how they start, framework.New's problems about a
// chart-wide key. New knows one position for the whole chart, Chart.Pos (the
// top of the file); the YAML knows where each key's value is.
var chartWide = []struct{ prefix, key string }{
	{"initial state ", "initial"},
	{"unknown_state ", "unknown_state"},
	{"error reply: ", "error_reply"},
	{"the chart has no states", "states"},
}

// pointAtKeys moves the problems framework.New reported at Chart.Pos to the
// key each is about, when the chart has that key.
func pointAtKeys(ce *framework.ChartError, chartPos framework.Pos, at map[string]framework.Pos) *framework.ChartError {
	problems := slices.Clone(ce.Problems)
	for i, pr := range problems {
		if pr.Pos != chartPos {
			continue
		}
		for _, w := range chartWide {
			if pos, ok := at[w.key]; ok && strings.HasPrefix(pr.What, w.prefix) {
				problems[i].Pos = pos
				break
			}
		}
	}
	return &framework.ChartError{Problems: tidy(problems)}
}
