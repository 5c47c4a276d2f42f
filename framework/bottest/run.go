package bottest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsmbot/fsmbot/framework"
)

// playRun and plays make each Play's room unique.
var (
	playRun = strconv.FormatUint(rand.Uint64()&0xffffffffff, 36)
	plays   atomic.Uint64
)

// StepResult is how one step went.
type StepResult struct {
	Step    Step
	Answer  Answer
	Failure string // empty when the step passed
}

// Play runs a transcript against target, carrying the room's state from step
// to step as the chat server does, and stops at the first failing step.
// Each Play talks in a room of its own ("bottest-NAME-…"), its messages
// with IDs of their own, so that a bot that remembers rooms (sessions,
// answers to redeliveries) never mixes one play with another, of this
// process or of an earlier one.
func (tr Transcript) Play(ctx context.Context, target Target) []StepResult {
	room := fmt.Sprintf("bottest-%s-%s-%d", tr.Name, playRun, plays.Add(1))
	state := ""
	var results []StepResult
	for i, st := range tr.Steps {
		if st.State != "" {
			state = st.State
		}
		ev := st.event(room, state, i)
		ans, err := target.Send(ctx, ev)
		r := StepResult{Step: st, Answer: ans}
		if err != nil {
			r.Failure = err.Error()
		} else {
			r.Failure = st.Expect.check(ans)
		}
		results = append(results, r)
		if r.Failure != "" {
			break
		}
		state = ans.State
	}
	return results
}

func (st Step) event(room, state string, i int) *framework.Event {
	sender := Customer
	if st.Sender != nil {
		sender = *st.Sender
	}
	ev := &framework.Event{
		AppID:    "bottest",
		ClientID: sender.ID,
		RoomID:   room,
		Room:     room,
		Type:     st.Event,
		State:    state,
		Sender:   sender.client(),
	}
	for _, m := range st.Members {
		ev.Members = append(ev.Members, m.client())
	}
	if len(ev.Members) == 0 && st.Event != framework.MessageEvent {
		ev.Members = []framework.Client{sender.client()}
	}
	if st.Event == framework.MessageEvent {
		ev.Message = framework.Message{ID: room + "-" + strconv.Itoa(i), Type: st.Type, Text: st.Say}
		if ev.Message.Type == "" {
			ev.Message.Type = "text"
		}
		if ev.Message.Type != "text" {
			ev.Message.Text = ""
		}
	}
	return ev
}

func (m Member) client() framework.Client {
	return framework.Client{ID: m.ID, Nickname: m.Nickname, IsRobot: m.IsRobot}
}

// check returns what is wrong with ans, or "".
func (e Expect) check(ans Answer) string {
	var problems []string
	if e.State != "" && ans.State != e.State {
		problems = append(problems, fmt.Sprintf("state %q, want %q", ans.State, e.State))
	}
	text := ""
	if ans.Reply != nil {
		text = ans.Reply.Text
	}
	switch {
	case e.NoReply && ans.Reply != nil:
		problems = append(problems, fmt.Sprintf("a reply %q, want none", text))
	case !e.NoReply && ans.Reply == nil && (e.Reply != "" || len(e.ReplyContains) > 0 || e.Type != ""):
		problems = append(problems, "no reply")
	case ans.Reply != nil:
		if e.Reply != "" && text != e.Reply {
			problems = append(problems, fmt.Sprintf("reply %q, want %q", text, e.Reply))
		}
		for _, w := range e.ReplyContains {
			if !strings.Contains(text, w) {
				problems = append(problems, fmt.Sprintf("reply %q does not contain %q", text, w))
			}
		}
		if e.Type != "" && ans.Reply.MessageType() != e.Type {
			problems = append(problems, fmt.Sprintf("reply type %q, want %q", ans.Reply.MessageType(), e.Type))
		}
	}
	if ans.Err != nil {
		problems = append(problems, "turn failed: "+ans.Err.Error())
	}
	return strings.Join(problems, "; ")
}

// Describe names a step in failure messages: `say "转人工"`, `send image`,
// `JOIN_ROOM`.
func (st Step) Describe() string {
	switch {
	case st.Event == framework.MessageEvent && st.Say != "":
		return fmt.Sprintf("say %q", st.Say)
	case st.Event == framework.MessageEvent:
		return "send " + st.Type
	}
	return string(st.Event)
}

// FormatFailure says what went wrong in a failed step, as
// `file:line: step: what`, followed, when the target recorded one, by the
// trace of the turn (see FormatTrace), indented: which transitions were
// tried and why the one expected did not fire.
func FormatFailure(tr Transcript, r StepResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: %s: %s", tr.File, r.Step.Line, r.Step.Describe(), r.Failure)
	if r.Answer.Trace != nil {
		b.WriteString("\n")
		b.WriteString(indent(FormatTrace(r.Answer.Trace), "    "))
	}
	return strings.TrimRight(b.String(), "\n")
}

// Run plays each transcript as a subtest of t.
func Run(t *testing.T, target Target, transcripts []Transcript) {
	t.Helper()
	if len(transcripts) == 0 {
		t.Fatal("no transcripts to run")
	}
	for _, tr := range transcripts {
		t.Run(tr.Name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			for _, r := range tr.Play(ctx, target) {
				if r.Failure != "" {
					t.Error(FormatFailure(tr, r))
				}
			}
		})
	}
}

// RunFiles loads transcripts from paths and runs them against target.
func RunFiles(t *testing.T, target Target, paths ...string) {
	t.Helper()
	transcripts, err := Load(paths...)
	if err != nil {
		t.Fatal(err)
	}
	Run(t, target, transcripts)
}
