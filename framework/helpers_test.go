package framework

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// customer is the member who talks to the bot in most tests.
var customer = Client{ID: "u1", Nickname: "小明"}

// quiet is a logger for tests that do not look at the log.
var quiet = slog.New(slog.DiscardHandler)

// mustNew compiles c or fails the test; a nil Logger is made quiet.
func mustNew(tb testing.TB, c Chart, opts ...Options) *Bot {
	tb.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Logger == nil {
		o.Logger = quiet
	}
	b, err := New(c, o)
	require.NoError(tb, err)
	return b
}

// say is a text MESSAGE from customer in a room in state.
func say(state, text string) *Event {
	return &Event{
		Type:    MessageEvent,
		RoomID:  "room-1",
		State:   state,
		Room:    "room-1",
		Sender:  customer,
		Message: Message{ID: "m1", Type: "text", Text: text},
	}
}

// event is a non-message event of type typ in a room in state.
func event(typ EventType, state string, members ...Client) *Event {
	return &Event{Type: typ, RoomID: "room-1", State: state, Room: "room-1", Sender: customer, Members: members}
}

// replyText is the reply's text, "" for none.
func replyText(res Result) string {
	if res.Reply == nil {
		return ""
	}
	return res.Reply.Text
}

// logBuffer is a slog handler's output that several goroutines may write.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// capture returns a logger writing text lines to the returned buffer.
func capture() (*slog.Logger, *logBuffer) {
	var buf logBuffer
	return slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})), &buf
}
