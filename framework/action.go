package framework

import (
	"context"
	"fmt"
	"strings"
	"text/template"
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
	return text{tmpl: t}, nil
}

func (x text) render(t *Turn) (string, error) {
	if x.tmpl == nil {
		return x.plain, nil
	}
	var b strings.Builder
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
