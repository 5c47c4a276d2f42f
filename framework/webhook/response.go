package webhook

import (
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/fsmbot/fsmbot/framework"
)

// Response is the bot's answer to a webhook call: the room's next state and
// the message to post, if any.
type Response struct {
	// SenderID is the client the reply is posted as, the robot's _id; omitted
	// when empty, and the chat server picks.
	SenderID string `json:"senderID,omitempty"`
	// ToBotState is the room's next state; the current one to keep it.
	ToBotState string `json:"toBotState"`
	// Data is the message to post; null for none.
	Data *Message `json:"data"`
}

// Message is a message as the chat server takes it in a Response.
type Message struct {
	Message      string  `json:"message"`
	MessageType  string  `json:"messageType"`
	OriginalURL  string  `json:"originalUrl,omitempty"`
	ThumbnailURL string  `json:"thumbnailUrl,omitempty"`
	URL          string  `json:"url,omitempty"`
	Sticker      string  `json:"sticker,omitempty"`
	Width        int     `json:"width,omitempty"`
	Height       int     `json:"height,omitempty"`
	Duration     float64 `json:"duration,omitempty"`
	// Latitude and Longitude are pointers because 0 is a place (the equator,
	// Greenwich): they are set for a location message, or when not 0.
	Latitude  *float64        `json:"latitude,omitempty"`
	Longitude *float64        `json:"longitude,omitempty"`
	Extra     json.RawMessage `json:"extra,omitempty"`
}

// ErrorBody is the JSON body of an error answer: {"error": "roomID is required"}.
type ErrorBody struct {
	Error string `json:"error"`
}

// NewResponse is the answer to a webhook call whose turn ended in r, replying
// as senderID. The Response always encodes: values JSON cannot carry (an
// Extra that is not valid JSON, a coordinate that is NaN or infinite) are
// left out, because a malformed answer would break the robot.
// The Response points into r.Reply.
//
// NewResponse(…).AppendJSON(buf) does not allocate: NewResponse is small
// enough to inline, so its Message can live on the caller's stack.
func NewResponse(senderID string, r framework.Result) Response {
	return newResponse(senderID, r, new(Message))
}

// newResponse is NewResponse with the reply message in *data.
func newResponse(senderID string, r framework.Result, data *Message) Response {
	resp := Response{SenderID: senderID, ToBotState: r.To}
	m := r.Reply
	if m == nil {
		return resp
	}
	*data = Message{
		Message:      m.Text,
		MessageType:  m.MessageType(),
		OriginalURL:  m.OriginalURL,
		ThumbnailURL: m.ThumbnailURL,
		URL:          m.URL,
		Sticker:      m.Sticker,
		Width:        m.Width,
		Height:       m.Height,
		Duration:     finite(m.Duration),
	}
	location := data.MessageType == "location"
	if isFinite(m.Latitude) && (location || m.Latitude != 0) {
		data.Latitude = &m.Latitude
	}
	if isFinite(m.Longitude) && (location || m.Longitude != 0) {
		data.Longitude = &m.Longitude
	}
	if len(m.Extra) > 0 && json.Valid(m.Extra) {
		data.Extra = m.Extra
	}
	resp.Data = data
	return resp
}

func isFinite(f float64) bool { return !math.IsInf(f, 0) && !math.IsNaN(f) }

func finite(f float64) float64 {
	if isFinite(f) {
		return f
	}
	return 0
}

// AppendJSON appends r's JSON to dst: what json.Marshal writes, byte for
// byte but for Extra (copied as it is, not compacted), several times faster
// and without allocating when dst has room. Values JSON cannot carry are left
// out, so that the result is always valid JSON.
func (r Response) AppendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	if r.SenderID != "" {
		dst = append(dst, `"senderID":`...)
		dst = appendString(dst, r.SenderID)
		dst = append(dst, ',')
	}
	dst = append(dst, `"toBotState":`...)
	dst = appendString(dst, r.ToBotState)
	dst = append(dst, `,"data":`...)
	if r.Data == nil {
		return append(dst, "null}"...)
	}
	m := r.Data
	dst = append(dst, `{"message":`...)
	dst = appendString(dst, m.Message)
	dst = append(dst, `,"messageType":`...)
	dst = appendString(dst, m.MessageType)
	dst = appendStringField(dst, "originalUrl", m.OriginalURL)
	dst = appendStringField(dst, "thumbnailUrl", m.ThumbnailURL)
	dst = appendStringField(dst, "url", m.URL)
	dst = appendStringField(dst, "sticker", m.Sticker)
	if m.Width != 0 {
		dst = strconv.AppendInt(append(dst, `,"width":`...), int64(m.Width), 10)
	}
	if m.Height != 0 {
		dst = strconv.AppendInt(append(dst, `,"height":`...), int64(m.Height), 10)
	}
	if m.Duration != 0 && isFinite(m.Duration) {
		dst = appendFloat(append(dst, `,"duration":`...), m.Duration)
	}
	if m.Latitude != nil && isFinite(*m.Latitude) {
		dst = appendFloat(append(dst, `,"latitude":`...), *m.Latitude)
	}
	if m.Longitude != nil && isFinite(*m.Longitude) {
		dst = appendFloat(append(dst, `,"longitude":`...), *m.Longitude)
	}
	if len(m.Extra) > 0 && json.Valid(m.Extra) {
		dst = append(append(dst, `,"extra":`...), m.Extra...)
	}
	return append(dst, "}}"...)
}

func appendStringField(dst []byte, name, s string) []byte {
	if s == "" {
		return dst
	}
	dst = append(dst, ',', '"')
	dst = append(dst, name...)
	dst = append(dst, '"', ':')
	return appendString(dst, s)
}

// appendFloat formats f as encoding/json does (like ES6): no exponent
// between 1e-6 and 1e21. f is finite.
func appendFloat(dst []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' { // e-07 → e-7
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

const hex = "0123456789abcdef"

// appendString appends s as a JSON string, escaped as encoding/json does:
// HTML-safe, invalid UTF-8 replaced, U+2028 and U+2029 escaped.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
