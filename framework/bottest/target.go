package bottest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/store/memory"
	"github.com/fsmbot/fsmbot/framework/webhook"
)

// Answer is what a bot answered to one event.
type Answer struct {
	State      string             // toBotState
	Reply      *framework.Message // nil when the bot said nothing
	Transition string             // the transition that fired, when known
	Err        error              // the turn's own error, when known
	// Trace explains the turn, when the target can: InProcess asks the
	// engine for one (framework.WithTrace); HTTP cannot.
	Trace *framework.Trace
}

// Target is a bot a transcript talks to: in process, or over HTTP.
type Target interface {
	Send(ctx context.Context, ev *framework.Event) (Answer, error)
}

// InProcess talks to bot directly, handlers and all, through
// framework.Rooms with a store in memory, as a served bot runs turns: a
// room's variables (a form's answers) last from step to step, and a message
// delivered again gets its first answer back. It records a Trace of every
// turn so that a failing step can say why the bot did what it did. The
// store lives as long as the Target.
func InProcess(bot *framework.Bot) Target {
	store := memory.New(framework.StoreOptions{})
	p := &inProcess{bot: bot, rooms: framework.Rooms{Store: store, Encode: encode}}
	runtime.AddCleanup(p, func(s *memory.Store) { s.Close() }, store)
	return p
}

type inProcess struct {
	bot   *framework.Bot
	rooms framework.Rooms
}

func (p *inProcess) Send(ctx context.Context, ev *framework.Event) (Answer, error) {
	h, err := p.rooms.Handle(framework.WithTrace(ctx), p.bot, ev)
	if err != nil {
		return Answer{}, err
	}
	if h.Replayed { // what the chat server would get: the first answer's bytes
		return decodeAnswer(h.Body)
	}
	res := h.Result
	return Answer{State: res.To, Reply: res.Reply, Transition: res.Transition, Err: res.Err, Trace: res.Trace}, nil
}

// encode is the answer as the webhook sends it, kept for redeliveries.
func encode(bot *framework.Bot, res framework.Result) ([]byte, error) {
	return webhook.NewResponse(bot.RobotID(), res).AppendJSON(nil), nil
}

// HTTP talks to a webhook at url as the chat server does, with the extra
// headers given (the robot's requestHeaders).
func HTTP(url string, header http.Header) Target {
	return httpTarget{url: url, header: header, client: &http.Client{}}
}

type httpTarget struct {
	url    string
	header http.Header
	client *http.Client
}

func (h httpTarget) Send(ctx context.Context, ev *framework.Event) (Answer, error) {
	body, err := json.Marshal(RequestBody(ev))
	if err != nil {
		return Answer{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return Answer{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, vs := range h.header {
		req.Header[k] = vs
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return Answer{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return Answer{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return Answer{}, fmt.Errorf("webhook answered %s: %s", resp.Status, data)
	}
	return decodeAnswer(data)
}

// decodeAnswer reads a webhook's answer.
func decodeAnswer(data []byte) (Answer, error) {
	var out struct {
		ToBotState *string `json:"toBotState"`
		Data       *struct {
			Message     string `json:"message"`
			MessageType string `json:"messageType"`
			OriginalURL string `json:"originalUrl"`
			Sticker     string `json:"sticker"`
		} `json:"data"`
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return Answer{}, fmt.Errorf("webhook answered invalid JSON %q: %v", data, err)
	}
	if out.ToBotState == nil {
		return Answer{}, fmt.Errorf("webhook answer has no toBotState: %s", data)
	}
	a := Answer{State: *out.ToBotState}
	if out.Data != nil {
		a.Reply = &framework.Message{Text: out.Data.Message, Type: out.Data.MessageType, OriginalURL: out.Data.OriginalURL, Sticker: out.Data.Sticker}
	}
	return a, nil
}

// RequestBody is the JSON the chat server would POST for ev, shaped as in
// its webhook document.
func RequestBody(ev *framework.Event) map[string]any {
	client := func(c framework.Client) map[string]any {
		return map[string]any{"_id": c.ID, "id": c.ID, "nickname": c.Nickname, "isRobot": c.IsRobot, "lastLoginTimeMS": 0}
	}
	data := map[string]any{"room": ev.Room, "sender": client(ev.Sender)}
	if ev.Type == framework.MessageEvent {
		m := ev.Message
		data["_id"], data["id"] = m.ID, m.ID
		data["message"] = m.Text
		data["messageType"] = m.MessageType()
		data["appID"] = ev.AppID
		if m.OriginalURL != "" {
			data["originalUrl"] = m.OriginalURL
		}
	} else {
		members := make([]any, len(ev.Members))
		for i, c := range ev.Members {
			members[i] = client(c)
		}
		data["members"] = members
	}
	return map[string]any{
		"appID":    ev.AppID,
		"clientID": ev.ClientID,
		"roomID":   ev.RoomID,
		"event":    string(ev.Type),
		"botState": ev.State,
		"data":     data,
	}
}
