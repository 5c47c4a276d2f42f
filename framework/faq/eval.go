package faq

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Query is a question with the entry that should answer it.
type Query struct {
	Text     string
	Expected string // an entry id, or "none" for a question no entry answers
	Line     int
}

// OutOfScope is the Expected of a question that no entry answers.
const OutOfScope = "none"

// LoadQueries reads evaluation questions from a TSV file: one question a
// line, a tab, and the id of the entry that answers it, or none when no
// entry should (the weather, a joke, "你是谁"). Blank lines and lines
// starting with # are skipped:
//
//	# refunds
//	退款怎么还没到	refund_time
//	退貨怎麼申請？	return_policy
//	今天天气怎么样	none
//
// Errors name file:line.
func LoadQueries(name string, data []byte) ([]Query, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	l := &loader{file: name}
	var qs []Query
	for i, line := range strings.Split(string(data), "\n") {
		n := i + 1
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if !utf8.ValidString(line) {
			l.add(n, 1, "save the file with the UTF-8 encoding", "the line is not UTF-8 text")
			continue
		}
		text, id, ok := strings.Cut(line, "\t")
		text, id = strings.TrimSpace(text), strings.TrimSpace(id)
		switch {
		case !ok:
			l.add(n, 1, "separate the question and the entry id with a tab", "the line has no tab")
			continue
		case strings.Contains(id, "\t"):
			l.add(n, 1, "write the question, a tab, and one entry id", "the line has more than two fields")
			continue
		case text == "":
			l.add(n, 1, "write the question before the tab", "the question is blank")
			continue
		case id == "":
			l.add(n, len(text)+2, `write the id of the entry that answers it, or "none"`, "the entry id is blank")
			continue
		}
		qs = append(qs, Query{Text: text, Expected: id, Line: n})
	}
	if err := l.err(); err != nil {
		return nil, err
	}
	return qs, nil
}

// Report measures an index against evaluation questions.
type Report struct {
	InScope    int // questions that an entry answers
	OutOfScope int // questions that none does

	Correct        int // in scope, answered with the expected entry
	Wrong          int // in scope, answered with another entry
	Suggested      int // in scope, the expected entry among the suggestions
	SuggestedWrong int // in scope, suggestions without the expected entry
	Unanswered     int // in scope, decision None
	Rejected       int // out of scope, decision None
	OutSuggested   int // out of scope, suggestions
	OutAnswered    int // out of scope, answered: the worst outcome

	// Precision is the share of in-scope questions answered with the
	// expected entry (top-1).
	Precision float64
	// Recall is the share of in-scope questions whose expected entry is the
	// answer or among the suggestions.
	Recall float64
	// Rejection is the share of out-of-scope questions that got None.
	// Suggestions count as a failure: the bot should have said it does not
	// know.
	Rejection float64
	// WrongAnswers is the share of all answers given that were wrong,
	// out-of-scope questions included: what a customer suffers most.
	WrongAnswers float64

	Misses  []Miss
	Unknown []Query // questions expecting an id the knowledge base lacks
}

// Miss is a question whose outcome was not the ideal one: the expected
// answer, or None for an out-of-scope question.
type Miss struct {
	Query    Query
	Decision Decision
	Got      []string // the answer's id, or the suggested ids; nil for None
	Score    float64
	Best     string // the best hit's id and phrasing, for None
}

// Evaluate runs every question through the index.
func Evaluate(ix *Index, qs []Query) Report {
	var r Report
	answers := 0
	ids := make(map[string]bool, len(ix.kb.Entries))
	for _, e := range ix.kb.Entries {
		ids[e.ID] = true
	}
	for _, q := range qs {
		if q.Expected != OutOfScope && !ids[q.Expected] {
			r.Unknown = append(r.Unknown, q)
			continue
		}
		res := ix.Search(q.Text)
		ok := false
		if res.Decision == Answer {
			answers++
		}
		if q.Expected == OutOfScope {
			r.OutOfScope++
			switch res.Decision {
			case None:
				r.Rejected++
				ok = true
			case Suggest:
				r.OutSuggested++
			case Answer:
				r.OutAnswered++
			}
		} else {
			r.InScope++
			switch res.Decision {
			case Answer:
				if res.Best.ID == q.Expected {
					r.Correct++
					ok = true
				} else {
					r.Wrong++
				}
			case Suggest:
				found := false
				for _, e := range res.Suggestions() {
					found = found || e.ID == q.Expected
				}
				if found {
					r.Suggested++
				} else {
					r.SuggestedWrong++
				}
			default:
				r.Unanswered++
			}
		}
		if !ok {
			m := Miss{Query: q, Decision: res.Decision, Score: res.Score}
			switch res.Decision {
			case Answer:
				m.Got = []string{res.Best.ID}
			case Suggest:
				for _, e := range res.Suggestions() {
					m.Got = append(m.Got, e.ID)
				}
			}
			if len(res.Hits) > 0 {
				m.Best = fmt.Sprintf("%s %.2f %q", res.Hits[0].Entry.ID, res.Hits[0].Score, res.Hits[0].Phrasing)
			}
			r.Misses = append(r.Misses, m)
		}
	}
	r.Precision = ratio(r.Correct, r.InScope)
	r.Recall = ratio(r.Correct+r.Suggested, r.InScope)
	r.Rejection = ratio(r.Rejected, r.OutOfScope)
	r.WrongAnswers = ratio(r.Wrong+r.OutAnswered, answers)
	return r
}

func ratio(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// String is the report for a person: the measures, then every miss.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "in scope: %d questions\n", r.InScope)
	fmt.Fprintf(&b, "  top-1 precision   %5.1f%%  (%d answered right, %d wrong, %d suggested, %d suggested without it, %d unanswered)\n",
		100*r.Precision, r.Correct, r.Wrong, r.Suggested, r.SuggestedWrong, r.Unanswered)
	fmt.Fprintf(&b, "  suggestion recall %5.1f%%  (answered right or among the suggestions)\n", 100*r.Recall)
	fmt.Fprintf(&b, "out of scope: %d questions\n", r.OutOfScope)
	fmt.Fprintf(&b, "  rejection         %5.1f%%  (%d none, %d suggested, %d answered)\n",
		100*r.Rejection, r.Rejected, r.OutSuggested, r.OutAnswered)
	fmt.Fprintf(&b, "wrong answers       %5.1f%%  of all answers given\n", 100*r.WrongAnswers)
	if len(r.Misses) > 0 {
		fmt.Fprintf(&b, "misses:\n")
		for _, m := range r.Misses {
			got := strings.Join(m.Got, ", ")
			if got == "" {
				got = "-"
			}
			fmt.Fprintf(&b, "  line %d: %q expected %s, got %s %s (score %.2f)", m.Query.Line, m.Query.Text, m.Query.Expected, m.Decision, got, m.Score)
			if m.Best != "" {
				fmt.Fprintf(&b, "; best %s", m.Best)
			}
			b.WriteByte('\n')
		}
	}
	for _, q := range r.Unknown {
		fmt.Fprintf(&b, "line %d: %q expects %s, which is not an entry\n", q.Line, q.Text, q.Expected)
	}
	return b.String()
}
