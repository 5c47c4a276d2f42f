package framework

import (
	"errors"
	"fmt"
	"strings"
)

// ErrTimeout is returned (wrapped) when a turn runs past its deadline.
var ErrTimeout = errors.New("turn timed out")

// PanicError is a panic recovered from a handler or matcher, with the stack
// where it happened.
type PanicError struct {
	Value any
	Stack []byte
}

// Error says what the code panicked with.
func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Problem is one thing wrong with a chart, where it is and what to do.
type Problem struct {
	Pos  Pos
	What string // what is wrong
	Fix  string // what to do about it; may be empty
}

// String is "file:line:col: what (fix)".
func (p Problem) String() string {
	var b strings.Builder
	if s := p.Pos.String(); s != "" {
		b.WriteString(s)
		b.WriteString(": ")
	}
	b.WriteString(p.What)
	if p.Fix != "" {
		b.WriteString(" (")
		b.WriteString(p.Fix)
		b.WriteString(")")
	}
	return b.String()
}

// ChartError lists every problem that stops a chart from compiling, so that a
// chart author fixes them all in one go.
type ChartError struct {
	Problems []Problem
}

// Error lists the problems, one a line.
func (e *ChartError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// fixable is an error that knows what to do about it, for Problems.
type fixable struct{ what, fix string }

func (e *fixable) Error() string { return e.what + " (" + e.fix + ")" }
