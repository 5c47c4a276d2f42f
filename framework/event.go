package framework

import "encoding/json"

// EventType names what happened in a room. The chat server sends the four
// constants below today and may send others tomorrow: an unknown type is never
// an error, it keeps the room's state and produces no reply.
type EventType string

// The events the chat server posts to a robot's webhook.
const (
	JoinRoom      EventType = "JOIN_ROOM"
	AddMembers    EventType = "ADD_MEMBERS"
	DeleteMembers EventType = "DELETE_MEMBERS"
	MessageEvent  EventType = "MESSAGE"
)

// Known reports whether the chat server documents t.
func (t EventType) Known() bool {
	switch t {
	case JoinRoom, AddMembers, DeleteMembers, MessageEvent:
		return true
	}
	return false
}

// Client is a member of a room: a person or a robot.
type Client struct {
	ID              string
	Nickname        string
	AvatarURL       string
	Description     string
	IsRobot         bool
	LastLoginTime   string
	LastLoginTimeMS int64
}

// Message is one chat message, inbound (what a member said) or outbound (what
// the bot replies). Text is the message as text; for a reply it is rendered
// from a template. The media fields follow the chat server's Message model.
type Message struct {
	ID   string
	Type string // messageType: text, image, sticker, location, …; empty means text

	// Text is the message as a string: the text a member typed, or empty when
	// the message is not text (an object, a number).
	Text string
	// Raw is the message field exactly as the chat server sent it, for
	// handlers that read structured messages. It is nil in replies.
	Raw json.RawMessage

	OriginalURL  string
	ThumbnailURL string
	URL          string
	Sticker      string
	Width        int
	Height       int
	Duration     float64
	Latitude     float64
	Longitude    float64
	// Extra is an app-defined object, kept as raw JSON.
	Extra json.RawMessage

	AppID   string
	Time    string // messageTime, ISO 8601
	TimeMS  int64
	ReplyTo *Message // the message this one replies to
}

// MessageType returns the message's type, text when none is set.
func (m *Message) MessageType() string {
	if m.Type == "" {
		return "text"
	}
	return m.Type
}

// Event is one webhook call: something happened in a room that is in State.
type Event struct {
	AppID    string
	ClientID string // the chat server's clientID (or robotID)
	RoomID   string
	Type     EventType
	// State is the room's botState as the chat server holds it; empty for a
	// room the bot has never answered.
	State string

	Room    string
	Sender  Client
	Members []Client
	// Message is the message of a MESSAGE event.
	Message Message
}
