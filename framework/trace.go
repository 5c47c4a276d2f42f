package framework

import (
	"bytes"
	"context"
	"encoding/json"
	"time"
)

// Trace explains one turn: which transitions were tried, why each that did
// not fire was passed over, what fired, what it set and said. Ask for one with
// WithTrace, or run Explain.
type Trace struct {
	From       string            `json:"from_state"`
	To         string            `json:"to_state"`
	Transition string            `json:"transition"`      // id of the transition that fired; empty when none
	Label      string            `json:"label,omitempty"` // its trigger, pattern and guard
	Reply      *string           `json:"reply"`           // the reply text, null for none
	Candidates []Candidate       `json:"candidates"`      // every transition tried, in order
	Set        []Assign          `json:"set,omitempty"`   // variables set by set:
	Vars       map[string]string `json:"vars,omitempty"`  // the turn's variables at the end
	Calls      []string          `json:"calls,omitempty"` // handlers called
	Skipped    string            `json:"skipped,omitempty"`
	Error      string            `json:"error,omitempty"`
	MatchTime  time.Duration     `json:"match_ns"`
	TotalTime  time.Duration     `json:"total_ns"`
	// Notes are what matchers and handlers noted with Turn.Note (a
	// knowledge base's best entry and score); in JSON they are top-level
	// keys.
	Notes map[string]any `json:"-"`
}

// MarshalJSON writes the trace with its notes as top-level keys.
func (tr *Trace) MarshalJSON() ([]byte, error) {
	type plain Trace
	if len(tr.Notes) == 0 {
		return marshalRaw((*plain)(tr))
	}
	data, err := json.Marshal((*plain)(tr))
	if err != nil {
		return nil, err
	}
	var merged map[string]any
	if err := json.Unmarshal(data, &merged); err != nil {
		return nil, err
	}
	for k, v := range tr.Notes {
		if _, taken := merged[k]; !taken {
			merged[k] = v
		}
	}
	return marshalRaw(merged)
}

// marshalRaw is json.Marshal without HTML escaping: a botState's "<" stays
// readable, and a caller's encoder cannot undo escaping done here.
func marshalRaw(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// Tracing reports whether the turn records a trace: Go code can skip
// preparing notes nobody will read.
func (t *Turn) Tracing() bool { return t.trace != nil }

// Note records something about the turn in its trace, when it has one.
func (t *Turn) Note(key string, value any) {
	if t.trace == nil {
		return
	}
	if t.trace.Notes == nil {
		t.trace.Notes = map[string]any{}
	}
	t.trace.Notes[key] = value
}

// Candidate is one transition a turn tried.
type Candidate struct {
	ID      string `json:"id"`
	Label   string `json:"label"`
	Outcome string `json:"outcome"` // fired, pattern missed, guard false, guard failed: …
}

// The outcomes of a Candidate.
const (
	OutcomeFired         = "fired"
	OutcomePatternMissed = "pattern missed"
	OutcomeGuardFalse    = "guard false"
)

type traceKey struct{}

// WithTrace asks Run to record a Trace of the turn in Result.Trace.
func WithTrace(ctx context.Context) context.Context {
	return context.WithValue(ctx, traceKey{}, true)
}

func tracing(ctx context.Context) bool {
	on, _ := ctx.Value(traceKey{}).(bool)
	return on
}

// Explain runs a turn without side effects, handlers not called, and
// returns its Result with a Trace: what the bot would do with ev.
func (b *Bot) Explain(ctx context.Context, ev *Event) Result {
	return b.run(ctx, ev, true, true, nil)
}

// candidate records a transition tried; a nil Trace records nothing.
func (tr *Trace) candidate(t *transition, outcome string) {
	if tr == nil {
		return
	}
	tr.Candidates = append(tr.Candidates, Candidate{ID: t.id, Label: t.label(), Outcome: outcome})
}

func (tr *Trace) finish(res *Result, start time.Time) *Trace {
	tr.From = res.From
	tr.To = res.To
	tr.Transition = res.Transition
	for _, c := range tr.Candidates {
		if c.Outcome == OutcomeFired {
			tr.Label = c.Label
		}
	}
	if res.Reply != nil {
		text := res.Reply.Text
		tr.Reply = &text
	}
	tr.Vars = res.Vars
	tr.Skipped = res.Skipped
	if res.Err != nil {
		tr.Error = res.Err.Error()
	}
	tr.TotalTime = time.Since(start)
	return tr
}
