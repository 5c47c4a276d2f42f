package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/fsmbot/fsmbot/framework/diagram"
)

const graphHelp = `
Prints the chart as a diagram: a Mermaid state diagram (paste it in Markdown
on GitHub, or in mermaid.live), or Graphviz DOT (dot -Tsvg).`

func (r *runner) graph(ctx context.Context, args []string) error {
	fl := r.flagSet("graph", graphHelp)
	chartPath := r.chartFlag(fl)
	format := fl.String("format", "mermaid", "the diagram's `format`: mermaid or dot")
	rest, err := r.parse(fl, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q (the chart is given with --chart)", rest[0])
	}
	render := diagram.Mermaid
	switch strings.ToLower(*format) {
	case "mermaid":
	case "dot", "graphviz":
		render = diagram.DOT
	default:
		return usagef("unknown format %q: use mermaid or dot", *format)
	}
	bot, err := r.loadTool(*chartPath)
	if err != nil {
		return err
	}
	out := render(bot.Graph())
	if !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	_, err = fmt.Fprint(r.io.Out, out)
	return err
}
