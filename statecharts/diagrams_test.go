package statecharts

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/chart"
	"github.com/fsmbot/fsmbot/framework/diagram"
	"gopkg.in/yaml.v3"
)

var update = flag.Bool("update", false, "rewrite each chart's diagram NAME.md from NAME.yaml (make charts)")

// Every chart and flow NAME.yaml here has its Mermaid diagram beside it, in
// NAME.md, rendered from the file as it is now: a chart as it compiles, a
// flow inside a tiny chart that uses it. The test fails when a diagram is
// stale or missing; go test ./statecharts -run TestDiagrams -update (make
// charts) rewrites them.
func TestDiagrams(t *testing.T) {
	files, err := fs.Glob(FS, "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no charts embedded")
	}
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			data, err := fs.ReadFile(FS, file)
			if err != nil {
				t.Fatal(err)
			}
			want, err := render(file, data)
			if err != nil {
				// The orders chart uses form:, which the chart package is
				// being taught: until it is, the chart has no diagram.
				if strings.Contains(err.Error(), `unknown key "form"`) {
					t.Skipf("skipping %s: it does not compile yet, as the chart package does not know form: (%v)", file, firstLine(err))
				}
				t.Fatalf("%s does not compile, so it has no diagram:\n%v", file, err)
			}
			md := strings.TrimSuffix(file, ".yaml") + ".md"
			got, err := os.ReadFile(md)
			switch {
			case *update:
				if !bytes.Equal(got, want) {
					if err := os.WriteFile(md, want, 0o644); err != nil {
						t.Fatal(err)
					}
					t.Logf("wrote %s", md)
				}
			case errors.Is(err, fs.ErrNotExist):
				t.Errorf("%s has no diagram: run make charts to write %s", file, md)
			case err != nil:
				t.Fatal(err)
			case !bytes.Equal(got, want):
				t.Errorf("%s is stale: it is not what %s draws now (the chart, a flow it uses, or how the framework compiles or draws it changed); run make charts to redraw it.\n%s", md, file, firstDiff(string(got), string(want)))
			}
		})
	}

	// A diagram whose chart is gone goes too.
	mds, _ := fs.Glob(os.DirFS("."), "*.md")
	for _, md := range mds {
		if !slices.Contains(files, strings.TrimSuffix(md, ".md")+".yaml") {
			t.Errorf("%s is the diagram of a chart that no longer exists: remove it", md)
		}
	}
}

// render returns the Markdown page of the chart or flow in file: a heading,
// a sentence, and the Mermaid diagram.
func render(file string, data []byte) ([]byte, error) {
	kind, name, params, err := sniff(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	var b bytes.Buffer
	switch kind {
	case "bot":
		bot, err := compile(file, data)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "# %s\n\nThe state diagram of the chart [%s](%s) (bot %s), drawn from it by `make charts`: edit the chart, not this file.\n\n", file, file, file, name)
		return mermaid(&b, bot), nil
	default: // a flow
		wrapper := wrap(name, params)
		bot, err := compile(name+"-diagram.yaml", wrapper)
		if err != nil {
			return nil, fmt.Errorf("%s, used by a tiny chart that draws it:\n%v\nthe chart:\n%s", file, err, wrapper)
		}
		required := ""
		if slices.ContainsFunc(params, func(p param) bool { return p.required }) {
			required = " (its required parameters lead to the chart's state done)"
		}
		fmt.Fprintf(&b, "# %s\n\nThe state diagram of the flow [%s](%s), drawn by `make charts` inside a tiny chart whose state %s uses it with its defaults%s: edit the flow, not this file.\n\n", file, file, file, name, required)
		return mermaid(&b, bot), nil
	}
}

func mermaid(b *bytes.Buffer, bot *framework.Bot) []byte {
	b.WriteString("```mermaid\n")
	b.WriteString(strings.TrimSuffix(diagram.Mermaid(bot.Graph()), "\n"))
	b.WriteString("\n```\n")
	return b.Bytes()
}

// sniff reads the top of a file: "bot" or "flow", its name, and, for a
// flow, its parameters' names and whether each has a default.
func sniff(data []byte) (kind, name string, params []param, err error) {
	var top yaml.Node
	if err := yaml.Unmarshal(data, &top); err != nil {
		return "", "", nil, err
	}
	if len(top.Content) == 0 || top.Content[0].Kind != yaml.MappingNode {
		return "", "", nil, errors.New("not a chart or a flow: the file is not a mapping")
	}
	m := top.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i].Value, m.Content[i+1]
		switch k {
		case "bot", "flow":
			kind, name = k, v.Value
		case "params":
			for j := 0; j+1 < len(v.Content); j += 2 {
				params = append(params, param{name: v.Content[j].Value, required: v.Content[j+1].Tag == "!!null"})
			}
		}
	}
	if kind == "" {
		return "", "", nil, errors.New("not a chart or a flow: it starts with neither bot: nor flow:")
	}
	return kind, name, params, nil
}

type param struct {
	name     string
	required bool
}

// wrap is a chart that uses the flow name in its state name, with history
// (a flow's done is often history), and a state done for the parameters
// that have no default, if any.
func wrap(name string, params []param) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "bot: %s (flow)\ninitial: %s\nstates:\n  %s:\n    use: %s\n    history: true\n", name, name, name, name)
	var with []string
	for _, p := range params {
		if p.required {
			with = append(with, p.name+": done")
		}
	}
	if len(with) > 0 {
		fmt.Fprintf(&b, "    with: {%s}\n  done:\n    reply: done\n", strings.Join(with, ", "))
	}
	return b.Bytes()
}

// compile compiles a chart with the flow library and the data files it
// names (faq.yaml's kb/faq.yaml), and stand-ins for the Go handlers and
// guards it names: a diagram needs only their names.
func compile(name string, data []byte) (*framework.Bot, error) {
	l := chart.Loader{Flows: FS, Files: FS}
	c, err := l.Parse(name, data)
	if err != nil {
		return nil, err
	}
	opts := framework.Options{
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		Handlers: map[string]framework.Handler{},
		Guards:   map[string]framework.Guard{},
	}
	names(reflect.ValueOf(c), func(field, value string) {
		switch field {
		case "Call":
			opts.Handlers[value] = func(context.Context, *framework.Turn) error { return nil }
		case "Guard":
			opts.Guards[value] = func(*framework.Turn) bool { return true }
		}
	})
	return l.Compile(name, data, opts)
}

// names calls fn with every non-empty string field named Call or Guard in
// v, however deep: the handlers and guards of transitions, actions, forms.
func names(v reflect.Value, fn func(field, value string)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			names(v.Elem(), fn)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if (f.Name == "Call" || f.Name == "Guard") && f.Type.Kind() == reflect.String {
				if s := v.Field(i).String(); s != "" {
					fn(f.Name, s)
				}
				continue
			}
			names(v.Field(i), fn)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			names(v.Index(i), fn)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			names(v.MapIndex(k), fn)
		}
	}
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// firstDiff shows the first line where a stale diagram and the fresh one
// differ.
func firstDiff(old, fresh string) string {
	a, b := strings.Split(old, "\n"), strings.Split(fresh, "\n")
	for i := range max(len(a), len(b)) {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  was: %s\n  now: %s", i+1, x, y)
		}
	}
	return ""
}
