package framework

import (
	"context"
	"fmt"
	"strings"
	"text/template"
	"text/template/parse"
)

// action is a compiled Action.
type action struct {
	set      []assign
	call     Handler
	callName string
	inline   bool // the compiler's own handler: no goroutine, no deadline
	answer   Answerer
	reply    *compiledReply
}

type assign struct {
	name  string
	value text
}

// text is a compiled template, or plain text that needs no execution.
type text struct {
	plain string
	tmpl  *template.Template
	// parts, when set, render tmpl without text/template: most replies only
	// put fields in text ("订单 {{.Vars.order}} 已发货"), and executing a
	// template costs a dozen allocations a turn.
	parts []part
}

// part is literal text, or a field of the turn when field is set.
type part struct {
	lit   string
	field []string // .Vars.order → ["Vars", "order"]
}

func compileText(s string) (text, error) {
	if !strings.Contains(s, "{{") {
		return text{plain: s}, nil
	}
	t, err := template.New("text").Option("missingkey=zero").Parse(s)
	if err != nil {
		return text{}, fmt.Errorf("template: %v", strings.TrimPrefix(err.Error(), "template: text:"))
	}
	if isPlain(t) {
		return text{plain: plainText(t)}, nil
	}
	return text{tmpl: t, parts: fieldParts(t)}, nil
}

// fieldParts splits a template made only of text and fields the turn always
// has into parts; nil for any other template.
func fieldParts(t *template.Template) []part {
	var parts []part
	for _, n := range t.Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			parts = append(parts, part{lit: string(n.Text)})
		case *parse.ActionNode:
			if len(n.Pipe.Decl) > 0 || len(n.Pipe.Cmds) != 1 || len(n.Pipe.Cmds[0].Args) != 1 {
				return nil
			}
			f, ok := n.Pipe.Cmds[0].Args[0].(*parse.FieldNode)
			if !ok || !knownField(f.Ident) {
				return nil
			}
			parts = append(parts, part{field: f.Ident})
		default:
			return nil
		}
	}
	return parts
}

func knownField(f []string) bool {
	switch len(f) {
	case 1:
		return f[0] == "Text" || f[0] == "Room" || f[0] == "From"
	case 2:
		return f[0] == "Vars" || f[0] == "Session" || f[0] == "Sender" && (f[1] == "Nickname" || f[1] == "ID")
	}
	return false
}

// field is the value of a known field, as text/template would print it.
func (t *Turn) field(f []string) string {
	switch f[0] {
	case "Text":
		return t.Text
	case "Room":
		return t.Room
	case "From":
		return t.From
	case "Vars":
		return t.Vars[f[1]]
	case "Session":
		return t.Session[f[1]]
	case "Sender":
		if f[1] == "ID" {
			return t.Sender.ID
		}
		return t.Sender.Nickname
	}
	return ""
}

func (x text) render(t *Turn) (string, error) {
	if x.tmpl == nil {
		return x.plain, nil
	}
	var b strings.Builder
	if x.parts != nil {
		n := 0
		for _, p := range x.parts {
			if p.field == nil {
				n += len(p.lit)
			} else {
				n += len(t.field(p.field))
			}
		}
		b.Grow(n)
		for _, p := range x.parts {
			if p.field == nil {
				b.WriteString(p.lit)
			} else {
				b.WriteString(t.field(p.field))
			}
		}
		return b.String(), nil
	}
	if err := x.tmpl.Execute(&b, t); err != nil {
		return "", fmt.Errorf("template: %v", strings.TrimPrefix(err.Error(), "template: text:"))
	}
	return b.String(), nil
}

// run sets the variables, calls the handler, then renders the reply, so the
// reply shows what the handler set.
func (a *action) run(ctx context.Context, t *Turn) error {
	if a == nil {
		return nil
	}
	for _, as := range a.set {
		v, err := as.value.render(t)
		if err != nil {
			return fmt.Errorf("set %s: %w", as.name, err)
		}
		t.Set(as.name, v)
		if t.trace != nil {
			t.trace.Set = append(t.trace.Set, Assign{Name: as.name, Value: v})
		}
	}
	if a.call != nil {
		if t.dryRun {
			if t.trace != nil {
				t.trace.Calls = append(t.trace.Calls, a.callName+" (not run)")
			}
		} else {
			if t.trace != nil {
				t.trace.Calls = append(t.trace.Calls, a.callName)
			}
			if err := t.call(ctx, a); err != nil {
				return err
			}
		}
	}
	if a.answer != nil {
		if err := a.answer.Answer(ctx, t); err != nil {
			return err
		}
	}
	if a.reply != nil {
		msg, err := a.reply.render(t)
		if err != nil {
			return err
		}
		t.replies = append(t.replies, msg)
	}
	return nil
}

// ReplyTemplate is a Reply compiled for rendering in turns, for Go code that
// answers with replies it holds (a knowledge base's answers).
type ReplyTemplate struct{ c *compiledReply }

// CompileReply parses r's templates once.
func CompileReply(r Reply) (*ReplyTemplate, error) {
	c, err := compileReply(r)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, fmt.Errorf("empty reply")
	}
	return &ReplyTemplate{c}, nil
}

// Render says one of rt's variants, rendered over the turn.
func (t *Turn) Render(rt *ReplyTemplate) error {
	msg, err := rt.c.render(t)
	if err != nil {
		return err
	}
	t.replies = append(t.replies, msg)
	return nil
}
