package faq

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/fsmbot/fsmbot/framework"
)

// Trigger makes a knowledge base a chart pattern: a transition with it fires
// when the index answers the question or has suggestions, says the answer (or
// offers the suggestions, numbered), and, for an entry with a Next state, goes
// there. A question the index has no answer for does not match, so the
// state's fallback (which offers a person) takes it.
//
// Suggestions are remembered in the variable faq_suggestions; in the next turn
// "1", "2", "3" (or 第一个…) picks one. The variables faq_id and faq_score say
// which entry answered; traces note faq_id, faq_score, faq_suggestions and
// faq_hits.
type Trigger struct {
	ix      *Index
	name    string
	answers map[string]*framework.ReplyTemplate
	entries map[string]*Entry
	targets []string
}

// The variables a Trigger sets.
const (
	VarID          = "faq_id"
	VarScore       = "faq_score"
	VarSuggestions = "faq_suggestions"
)

// NewTrigger compiles the answers of ix's knowledge base; name labels the
// pattern in diagrams and traces.
func NewTrigger(name string, ix *Index) (*Trigger, error) {
	tr := &Trigger{ix: ix, name: name, answers: map[string]*framework.ReplyTemplate{}, entries: map[string]*Entry{}}
	var problems []framework.Problem
	for i := range ix.KnowledgeBase().Entries {
		e := &ix.KnowledgeBase().Entries[i]
		tr.entries[e.ID] = e
		rt, err := framework.CompileReply(e.Answer)
		if err != nil {
			problems = append(problems, framework.Problem{Pos: e.Pos, What: fmt.Sprintf("entry %q: answer: %v", e.ID, err)})
			continue
		}
		tr.answers[e.ID] = rt
		if e.Next != "" && !slices.Contains(tr.targets, e.Next) {
			tr.targets = append(tr.targets, e.Next)
		}
	}
	if len(problems) > 0 {
		return nil, &Error{Problems: problems}
	}
	return tr, nil
}

// Pattern is the Trigger as a chart pattern.
func (tr *Trigger) Pattern() framework.Match { return framework.Custom("faq "+tr.name, tr) }

// Match implements framework.Matcher.
func (tr *Trigger) Match(t *framework.Turn) bool {
	if e := tr.pick(t); e != nil {
		tr.answer(t, e, 1)
		return true
	}
	r := tr.ix.search(t.Normalized(), true)
	if len(r.Hits) > 0 && t.Tracing() {
		hits := make([]map[string]any, len(r.Hits))
		for i, h := range r.Hits {
			hits[i] = map[string]any{"id": h.Entry.ID, "score": round(h.Score), "phrasing": h.Phrasing}
		}
		t.Note("faq_hits", hits)
	}
	switch r.Decision {
	case Answer:
		tr.answer(t, r.Best, r.Score)
		return true
	case Suggest:
		ids := make([]string, 0, 3)
		for _, e := range r.Suggestions() {
			ids = append(ids, e.ID)
		}
		t.Set(VarID, "")
		t.Set(VarScore, "")
		t.Set(VarSuggestions, strings.Join(ids, ","))
		if t.Tracing() {
			t.Note("faq_suggestions", ids)
		}
		return true
	}
	return false
}

func (tr *Trigger) answer(t *framework.Turn, e *Entry, score float64) {
	t.Set(VarID, e.ID)
	t.Set(VarScore, strconv.FormatFloat(round(score), 'f', -1, 64))
	if _, offered := t.Vars[VarSuggestions]; offered { // a variable never set reads "" already
		t.Set(VarSuggestions, "")
	}
	if t.Tracing() {
		t.Note("faq_id", e.ID)
		t.Note("faq_score", round(score))
	}
}

// pick is the suggestion a numbered answer chooses, if the last turn offered
// suggestions.
func (tr *Trigger) pick(t *framework.Turn) *Entry {
	ids := t.Vars[VarSuggestions]
	if ids == "" {
		return nil
	}
	choice := strings.Trim(t.Normalized(), "。.!！?？ 第个")
	n, err := strconv.Atoi(choice)
	if err != nil {
		n = strings.Index("一二三四五", choice)/3 + 1 // runes are 3 bytes
		if n == 0 || len(choice) != 3 {
			return nil
		}
	}
	list := strings.Split(ids, ",")
	if n < 1 || n > len(list) {
		return nil
	}
	return tr.entries[list[n-1]]
}

// Answer implements framework.Answerer: the entry's answer, or the
// suggestions.
func (tr *Trigger) Answer(_ context.Context, t *framework.Turn) error {
	if id := t.Vars[VarID]; id != "" {
		return t.Render(tr.answers[id])
	}
	var b strings.Builder
	b.WriteString("您是想问：")
	for i, id := range strings.Split(t.Vars[VarSuggestions], ",") {
		if e := tr.entries[id]; e != nil {
			fmt.Fprintf(&b, "\n%d. %s", i+1, e.Question)
		}
	}
	b.WriteString("\n请回复编号。")
	t.Say(b.String())
	return nil
}

// Route implements framework.Router: an entry's Next state.
func (tr *Trigger) Route(t *framework.Turn) string {
	if e := tr.entries[t.Vars[VarID]]; e != nil {
		return e.Next
	}
	return ""
}

// Targets implements framework.Router.
func (tr *Trigger) Targets() []string { return tr.targets }

func round(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }
