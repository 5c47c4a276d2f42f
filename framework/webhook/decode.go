package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/fsmbot/fsmbot/framework"
)

// DecodeError says why a webhook request cannot be decoded. It is always the
// sender's fault: answer it with HTTP 400 and Error() as the message.
type DecodeError struct {
	// Field is the request field at fault ("roomID"); empty when the body as
	// a whole is.
	Field string
	// Msg is the whole human message, e.g. "roomID is required".
	Msg string
	// Err is the underlying JSON error, if any.
	Err error
}

// Error is the message answered with 400.
func (e *DecodeError) Error() string { return e.Msg }

// Unwrap returns the JSON error behind e, if any.
func (e *DecodeError) Unwrap() error { return e.Err }

// The wire structs mirror the chat server's JSON. They hold only plain types,
// with json.RawMessage where a value's type varies by design, so that
// encoding/json decodes them without a custom UnmarshalJSON per field: that
// is what keeps a webhook call about as cheap as decoding into plain structs.
// A field tagged loose:"ref" may hold a bare ID instead of the object, as the
// chat server's database does before it populates a reference (see loose.go).

type wireRequest struct {
	AppID    string      `json:"appID"`
	ClientID string      `json:"clientID"`
	RobotID  string      `json:"robotID"` // the robot-events page's name for clientID
	RoomID   string      `json:"roomID"`
	Event    string      `json:"event"`
	BotState string      `json:"botState"`
	Data     wireMessage `json:"data"`
}

// wireClient is the chat server's Client model.
type wireClient struct {
	UnderscoreID    string `json:"_id"`
	ID              string `json:"id"`
	Nickname        string `json:"nickname"`
	AvatarURL       string `json:"avatarUrl"`
	Description     string `json:"description"`
	IsRobot         bool   `json:"isRobot"`
	LastLoginTime   string `json:"lastLoginTime"`
	LastLoginTimeMS int64  `json:"lastLoginTimeMS"`
}

// wireMessage is the chat server's Message model, plus the members of the
// membership events: one struct serves as the data of every event and as a
// message's reply, so that there is one mapping to keep right.
type wireMessage struct {
	UnderscoreID  string          `json:"_id"`
	ID            string          `json:"id"`
	Room          string          `json:"room"`
	Sender        wireClient      `json:"sender" loose:"ref"`
	Members       []wireClient    `json:"members" loose:"ref"`
	Message       json.RawMessage `json:"message"` // text, object, number, null: see messageText
	MessageType   string          `json:"messageType"`
	AppID         string          `json:"appID"`
	MessageTime   string          `json:"messageTime"`
	MessageTimeMS int64           `json:"messageTimeMS"`
	OriginalURL   string          `json:"originalUrl"`
	ThumbnailURL  string          `json:"thumbnailUrl"`
	URL           string          `json:"url"`
	Sticker       string          `json:"sticker"`
	Width         int             `json:"width"`
	Height        int             `json:"height"`
	Duration      float64         `json:"duration"`
	Latitude      float64         `json:"latitude"`
	Longitude     float64         `json:"longitude"`
	Extra         json.RawMessage `json:"extra"` // object or JSON-encoded string
	Reply         *wireMessage    `json:"reply" loose:"ref"`
}

// decoded keeps the wire struct and the Event it becomes in one allocation.
// The Event's strings share their memory with the wire struct's anyway, so
// this costs no memory that would not be kept alive, and saves an allocation
// per call.
type decoded struct {
	wire wireRequest
	ev   framework.Event
}

var bom = []byte("\xef\xbb\xbf")

// Decode decodes the body of a webhook POST into an Event. It fails, with a
// *DecodeError, only when the body is not a JSON object or when roomID or
// event is missing, empty or not a string (or botState is not a string): an
// event that cannot be routed to a room. Anything else odd is tolerated (see
// the package documentation). The Event shares no memory with body, which the
// caller may reuse.
func Decode(body []byte) (*framework.Event, error) {
	// Some clients prefix a UTF-8 byte order mark, which encoding/json rejects.
	skipped := 0
	if bytes.HasPrefix(body, bom) {
		body, skipped = body[len(bom):], len(bom)
	}

	d := new(decoded)
	err := json.Unmarshal(body, &d.wire)
	if err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return nil, &DecodeError{
				Msg: fmt.Sprintf("request body is not valid JSON: %v (at byte %d)", err, syntax.Offset+int64(skipped)),
				Err: err,
			}
		}
	}
	// null and other non-objects can decode into a struct without an error.
	if !isObject(body) {
		return nil, &DecodeError{Msg: "request body must be a JSON object"}
	}
	if err != nil {
		var typ *json.UnmarshalTypeError
		if !errors.As(err, &typ) {
			return nil, &DecodeError{Msg: "request body cannot be decoded: " + err.Error(), Err: err}
		}
		// Some field has an odd type: a rare request, worth a slower path.
		if derr := checkKeys(body); derr != nil {
			return nil, derr
		}
		d.wire = wireRequest{}
		_ = decodeLoose(body, &d.wire) // best effort; tests check it leaves no error

	}

	switch {
	case d.wire.RoomID == "":
		return nil, &DecodeError{Field: "roomID", Msg: "roomID is required"}
	case d.wire.Event == "":
		return nil, &DecodeError{Field: "event", Msg: "event is required"}
	}
	d.wire.toEvent(&d.ev)
	return &d.ev, nil
}

// isObject reports whether the JSON value in b is an object. b is valid JSON.
func isObject(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c == '{'
	}
	return false
}

// checkKeys rejects a request whose roomID, event or botState is not a string:
// coercing those would route an event to a room or state nobody named.
func checkKeys(body []byte) error {
	var keys struct {
		RoomID   json.RawMessage `json:"roomID"`
		Event    json.RawMessage `json:"event"`
		BotState json.RawMessage `json:"botState"`
	}
	if err := json.Unmarshal(body, &keys); err != nil {
		return &DecodeError{Msg: "request body cannot be decoded: " + err.Error(), Err: err}
	}
	for _, k := range []struct {
		name string
		raw  json.RawMessage
	}{{"roomID", keys.RoomID}, {"event", keys.Event}, {"botState", keys.BotState}} {
		if len(k.raw) > 0 && k.raw[0] != '"' && k.raw[0] != 'n' { // absent, string or null
			return &DecodeError{Field: k.name, Msg: fmt.Sprintf("%s must be a string, not %s", k.name, kind(k.raw))}
		}
	}
	return nil
}

// kind names the type of a JSON value for error messages.
func kind(raw []byte) string {
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case '"':
		return "a string"
	case 'n':
		return "null"
	}
	return "a number"
}

func (w *wireRequest) toEvent(ev *framework.Event) {
	ev.AppID = first(w.AppID, w.Data.AppID)
	ev.ClientID = first(w.ClientID, w.RobotID)
	ev.RoomID = w.RoomID
	ev.Type = framework.EventType(w.Event)
	ev.State = w.BotState
	ev.Room = w.Data.Room
	w.Data.Sender.toClient(&ev.Sender)
	if len(w.Data.Members) > 0 {
		ev.Members = make([]framework.Client, len(w.Data.Members))
		for i := range w.Data.Members {
			w.Data.Members[i].toClient(&ev.Members[i])
		}
	}
	w.Data.toMessage(&ev.Message, 0)
}

func (w *wireClient) toClient(c *framework.Client) {
	*c = framework.Client{
		ID:              first(w.UnderscoreID, w.ID),
		Nickname:        w.Nickname,
		AvatarURL:       w.AvatarURL,
		Description:     w.Description,
		IsRobot:         w.IsRobot,
		LastLoginTime:   w.LastLoginTime,
		LastLoginTimeMS: w.LastLoginTimeMS,
	}
}

// maxReplyDepth is how deep a chain of replies to replies is kept: the chat
// server sends one level, and a bound keeps the slow path's work linear.
const maxReplyDepth = 8

// toMessage converts w, itself a reply to depth messages.
func (w *wireMessage) toMessage(m *framework.Message, depth int) {
	*m = framework.Message{
		ID:           first(w.UnderscoreID, w.ID),
		Type:         w.MessageType,
		Text:         messageText(w.Message, w.MessageType),
		Raw:          w.Message,
		OriginalURL:  w.OriginalURL,
		ThumbnailURL: w.ThumbnailURL,
		URL:          w.URL,
		Sticker:      w.Sticker,
		Width:        w.Width,
		Height:       w.Height,
		Duration:     w.Duration,
		Latitude:     w.Latitude,
		Longitude:    w.Longitude,
		Extra:        extra(w.Extra),
		AppID:        w.AppID,
		Time:         w.MessageTime,
		TimeMS:       w.MessageTimeMS,
	}
	if w.Reply != nil && depth < maxReplyDepth {
		m.ReplyTo = new(framework.Message)
		w.Reply.toMessage(m.ReplyTo, depth+1)
	}
}

// first returns a, or b when a is empty: the chat server names the same
// thing twice (_id and id, clientID and robotID).
func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// messageText is a message's text: the string when the message is a JSON
// string (even one that holds JSON: it is what the member typed, as far as
// the bot can tell), a number's literal (some clients send menu choices as
// numbers), and "" for objects, arrays, null, and for any message whose type
// is not text.
func messageText(raw json.RawMessage, messageType string) string {
	if len(raw) == 0 || messageType != "" && !strings.EqualFold(messageType, "text") {
		return ""
	}
	switch c := raw[0]; {
	case c == '"':
		return unquote(raw)
	case c == '-' || '0' <= c && c <= '9':
		return string(raw)
	}
	return ""
}

// unquote decodes a valid JSON string. The common string, with no escapes
// and valid UTF-8, costs one allocation and no trip through encoding/json.
func unquote(raw []byte) string {
	s := raw[1 : len(raw)-1]
	if bytes.IndexByte(s, '\\') < 0 && utf8.Valid(s) {
		return string(s)
	}
	var out string
	if json.Unmarshal(raw, &out) != nil {
		return "" // not reached: raw was decoded once already
	}
	return out
}

// extra returns a message's extra as raw JSON. Some clients send it
// JSON-encoded, as a string: the string's content is used when it is JSON,
// else the string itself.
func extra(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 || raw[0] == 'n' { // absent or null
		return nil
	}
	if raw[0] != '"' {
		return raw
	}
	s := unquote(raw)
	if t := strings.TrimSpace(s); t != "" && json.Valid([]byte(t)) {
		return json.RawMessage(t)
	}
	return raw
}
