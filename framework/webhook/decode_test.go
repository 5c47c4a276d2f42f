package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fsmbot/fsmbot/framework"
)

var update = flag.Bool("update", false, "rewrite golden files")

// requests returns the request payloads of testdata/requests by file name.
func requests(tb testing.TB) map[string][]byte {
	tb.Helper()
	files, err := filepath.Glob("testdata/requests/*.json")
	require.NoError(tb, err)
	require.NotEmpty(tb, files)
	out := make(map[string][]byte, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(tb, err)
		out[filepath.Base(f)] = b
	}
	return out
}

// TestDecodeGolden decodes every request and compares the Event with its
// golden file; go test -update rewrites them.
func TestDecodeGolden(t *testing.T) {
	for name, body := range requests(t) {
		t.Run(name, func(t *testing.T) {
			ev, err := Decode(body)
			require.NoError(t, err)
			got, err := json.MarshalIndent(ev, "", "  ")
			require.NoError(t, err)
			got = append(got, '\n')

			golden := filepath.Join("testdata", "golden", name)
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, got, 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update to create the golden file")
			assert.Equal(t, string(want), string(got), "decoded Event differs from %s", golden)
		})
	}
}

// TestDecodeFields pins the values the golden files hold that matter most,
// so that a careless -update cannot bless a wrong decoding.
func TestDecodeFields(t *testing.T) {
	reqs := requests(t)
	decode := func(name string) *framework.Event {
		ev, err := Decode(reqs[name])
		require.NoError(t, err, name)
		return ev
	}

	t.Run("seed join_room", func(t *testing.T) {
		ev := decode("join_room.json")
		assert.Equal(t, "demo-room", ev.RoomID)
		assert.Equal(t, framework.JoinRoom, ev.Type)
		assert.Equal(t, "", ev.State)
		assert.Equal(t, "demo-room", ev.Room)
		assert.Equal(t, framework.Client{ID: "sss", Nickname: "Desirae"}, ev.Sender)
		assert.Equal(t, []framework.Client{{ID: "sss", Nickname: "Desirae"}}, ev.Members)
		assert.Equal(t, framework.Message{}, ev.Message)
	})
	t.Run("seed add_members adds the robot", func(t *testing.T) {
		ev := decode("add_members.json")
		assert.Equal(t, framework.AddMembers, ev.Type)
		assert.Equal(t, []framework.Client{{ID: "robot001", Nickname: "Doris Robot", IsRobot: true}}, ev.Members)
	})
	t.Run("seed delete_members", func(t *testing.T) {
		ev := decode("delete_members.json")
		assert.Equal(t, framework.DeleteMembers, ev.Type)
		assert.Equal(t, "ccc", ev.Members[0].ID)
	})
	t.Run("seed message", func(t *testing.T) {
		ev := decode("message.json")
		assert.Equal(t, framework.MessageEvent, ev.Type)
		assert.Equal(t, "SampleApp", ev.AppID, "taken from data.appID when the top level has none")
		assert.Equal(t, framework.Client{
			ID: "sss", Nickname: "Desirae", Description: "description la la #1543989664813",
			LastLoginTime: "2018-12-05T06:01:06.092Z", LastLoginTimeMS: 1543989666092,
		}, ev.Sender)
		assert.Equal(t, framework.Message{
			ID: "5c1ddf2d1536bbb6c49f7cfe", Type: "text", Text: "Bonjour 2", Raw: json.RawMessage(`"Bonjour 2"`),
			AppID: "SampleApp", Time: "2018-12-22T06:52:29.380Z", TimeMS: 1545461549380,
		}, ev.Message)
	})

	tests := []struct {
		file string
		text string
		raw  string
	}{
		{"message_object.json", "", `{"customProperty": "order:A12", "items": [1, 2]}`},
		{"message_number.json", "2", `2`},
		{"message_float.json", "-1.50e2", `-1.50e2`},
		{"message_json_string.json", `{"customProperty": "order:A12"}`, `"{\"customProperty\": \"order:A12\"}"`},
		{"message_add_members.json", "", `"[{\"_id\":\"robot001\",\"nickname\":\"Doris Robot\",\"isRobot\":true}]"`},
		{"message_null.json", "", `null`},
		{"message_escaped.json", "你好 \"bot\"\n😀 <b>", `"\u4f60\u597d \"bot\"\n\ud83d\ude00 \u003cb\u003e"`},
		{"message_media.json", "", `""`},
		{"odd_types.json", "3", `3`},
		{"odd_case.json", "Hi", `"Hi"`},
	}
	for _, tt := range tests {
		t.Run("text of "+tt.file, func(t *testing.T) {
			ev := decode(tt.file)
			assert.Equal(t, tt.text, ev.Message.Text)
			assert.Equal(t, tt.raw, string(ev.Message.Raw))
		})
	}

	t.Run("media, reply and extra object", func(t *testing.T) {
		m := decode("message_media.json").Message
		assert.Equal(t, "image", m.Type)
		assert.Equal(t, "https://cdn.example.com/photo.jpg", m.OriginalURL)
		assert.Equal(t, "https://cdn.example.com/photo_t.jpg", m.ThumbnailURL)
		assert.Equal(t, 1024, m.Width)
		assert.Equal(t, 768, m.Height)
		assert.JSONEq(t, `{"album": "holidays", "tags": ["sea", "sun"]}`, string(m.Extra))
		require.NotNil(t, m.ReplyTo)
		assert.Equal(t, "m1", m.ReplyTo.ID)
		assert.Equal(t, "Send me a photo", m.ReplyTo.Text)
		assert.Equal(t, int64(1545461540000), m.ReplyTo.TimeMS)
		require.NotNil(t, m.ReplyTo.ReplyTo)
		assert.Equal(t, "photo please", m.ReplyTo.ReplyTo.Text)
	})
	t.Run("location at longitude 0", func(t *testing.T) {
		m := decode("message_location.json").Message
		assert.Equal(t, 51.4779, m.Latitude)
		assert.Equal(t, 0.0, m.Longitude)
	})
	t.Run("url, duration", func(t *testing.T) {
		m := decode("message_sticker_url.json").Message
		assert.Equal(t, "https://example.com/", m.URL)
		assert.Equal(t, 12.5, m.Duration)
		assert.Equal(t, "", m.Text, "a url message is not text")
	})
	t.Run("robotID for clientID", func(t *testing.T) {
		assert.Equal(t, "robot001", decode("robot_id.json").ClientID)
		assert.Equal(t, "sss", decode("message_object.json").ClientID)
	})
	t.Run("extra as a JSON-encoded string", func(t *testing.T) {
		assert.Equal(t, `{"orderID": "A12", "paid": true}`, string(decode("extra_string.json").Message.Extra))
		assert.Equal(t, `"just words"`, string(decode("extra_plain_string.json").Message.Extra), "a string that is not JSON stays a string")
	})
	t.Run("unknown event", func(t *testing.T) {
		ev := decode("unknown_event.json")
		assert.Equal(t, framework.EventType("ROOM_ARCHIVED"), ev.Type)
		assert.False(t, ev.Type.Known())
		assert.Equal(t, "done", ev.State)
	})
	t.Run("unknown fields", func(t *testing.T) {
		ev := decode("unknown_fields.json")
		assert.Equal(t, "hello", ev.Message.Text)
		assert.Equal(t, framework.Client{ID: "sss", Nickname: "Desirae"}, ev.Sender)
	})
	t.Run("odd types coerced", func(t *testing.T) {
		ev := decode("odd_types.json")
		assert.Equal(t, "42", ev.AppID)
		assert.Equal(t, "", ev.State, "botState null is a new room")
		assert.Equal(t, framework.Client{ID: "sss", Nickname: "Desirae", IsRobot: true, LastLoginTimeMS: 1543989666092}, ev.Sender)
		assert.Equal(t, []framework.Client{{ID: "ccc", IsRobot: true}, {ID: "ddd"}}, ev.Members, "the JSON-encoded members, less the one that is no Client")
		m := ev.Message
		assert.Equal(t, "12345", m.ID)
		assert.Equal(t, 100, m.Width)
		assert.Equal(t, 100, m.Height)
		assert.Equal(t, 2.5, m.Duration)
		assert.Equal(t, 25.03, m.Latitude)
		assert.Equal(t, 0.0, m.Longitude)
		assert.Equal(t, int64(1545461549380), m.TimeMS)
		assert.Equal(t, `[1, 2]`, string(m.Extra))
		require.NotNil(t, m.ReplyTo, "a bare string reply is a reference to the message")
		assert.Equal(t, framework.Message{ID: "5c1ddf2d1536bbb6c49f7cfe"}, *m.ReplyTo)
	})
	t.Run("odd types dropped", func(t *testing.T) {
		ev := decode("odd_types_dropped.json")
		assert.Equal(t, "", ev.ClientID)
		assert.Equal(t, "", ev.Room)
		assert.Equal(t, framework.Client{}, ev.Sender)
		assert.Nil(t, ev.Members)
		assert.Equal(t, 0, ev.Message.Width)
		assert.Equal(t, 0, ev.Message.Height, "1e30 overflows an int")
		assert.Equal(t, int64(9007199254740993), ev.Message.TimeMS, "exact beyond 2^53 on the slow path too")
		assert.Equal(t, "still here", ev.Message.Text)
	})
	t.Run("keys in any case, as encoding/json matches them", func(t *testing.T) {
		ev := decode("odd_case.json")
		assert.Equal(t, "demo-room", ev.RoomID)
		assert.Equal(t, framework.MessageEvent, ev.Type)
		assert.Equal(t, "menu", ev.State)
		assert.Equal(t, "m14", ev.Message.ID)
		assert.Equal(t, framework.Client{Nickname: "Desirae"}, ev.Sender, `isRobot "no" has no obvious meaning`)
	})
}

// TestDecodeLooseAgrees checks the slow path against the fast one: on every
// request that the fast path decodes without a type error, both must give the
// same Event, and the slow path's rewrite must leave no type error behind.
func TestDecodeLooseAgrees(t *testing.T) {
	for name, body := range requests(t) {
		t.Run(name, func(t *testing.T) {
			var fast, loose wireRequest
			fastErr := json.Unmarshal(body, &fast)
			require.NoError(t, decodeLoose(body, &loose), "the rewrite must decode cleanly")
			if fastErr != nil {
				return // an odd-typed request: the golden file says what it decodes to
			}
			var want, got framework.Event
			fast.toEvent(&want)
			loose.toEvent(&got)
			assert.Equal(t, want, got)
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		field string
		msg   string
	}{
		{"empty body", ``, "", "request body is not valid JSON: unexpected end of JSON input (at byte 0)"},
		{"blank body", " \n", "", "request body is not valid JSON: unexpected end of JSON input (at byte 2)"},
		{"truncated", `{"roomID":"r","event":"MESSAGE"`, "", "request body is not valid JSON: unexpected end of JSON input (at byte 31)"},
		{"garbage", `{"roomID":"r",}`, "", "request body is not valid JSON: invalid character '}' looking for beginning of object key string (at byte 15)"},
		{"trailing data", `{"roomID":"r","event":"E"} x`, "", "request body is not valid JSON: invalid character 'x' after top-level value (at byte 28)"},
		{"form encoded", `roomID=r&event=MESSAGE`, "", "request body is not valid JSON: invalid character 'r' looking for beginning of value (at byte 1)"},
		{"array", `[{"roomID":"r","event":"MESSAGE"}]`, "", "request body must be a JSON object"},
		{"string", `"hello"`, "", "request body must be a JSON object"},
		{"number", `42`, "", "request body must be a JSON object"},
		{"null", `null`, "", "request body must be a JSON object"},
		{"true", ` true `, "", "request body must be a JSON object"},
		{"empty object", `{}`, "roomID", "roomID is required"},
		{"roomID missing", `{"event":"MESSAGE"}`, "roomID", "roomID is required"},
		{"roomID empty", `{"roomID":"","event":"MESSAGE"}`, "roomID", "roomID is required"},
		{"roomID null", `{"roomID":null,"event":"MESSAGE"}`, "roomID", "roomID is required"},
		{"roomID number", `{"roomID":12,"event":"MESSAGE"}`, "roomID", "roomID must be a string, not a number"},
		{"roomID object", `{"roomID":{"id":"r"},"event":"MESSAGE"}`, "roomID", "roomID must be a string, not an object"},
		{"roomID after an odd field", `{"data":{"width":"x"},"roomID":["r"],"event":"MESSAGE"}`, "roomID", "roomID must be a string, not an array"},
		{"event missing", `{"roomID":"r"}`, "event", "event is required"},
		{"event empty", `{"roomID":"r","event":""}`, "event", "event is required"},
		{"event missing, odd field", `{"roomID":"r","data":{"sender":5}}`, "event", "event is required"},
		{"event boolean", `{"roomID":"r","event":true}`, "event", "event must be a string, not a boolean"},
		{"event number", `{"roomID":"r","event":1}`, "event", "event must be a string, not a number"},
		{"botState number", `{"roomID":"r","event":"MESSAGE","botState":3}`, "botState", "botState must be a string, not a number"},
		{"botState object", `{"roomID":"r","event":"MESSAGE","botState":{}}`, "botState", "botState must be a string, not an object"},
		{"key in another case", `{"ROOMID":5,"event":"MESSAGE"}`, "roomID", "roomID must be a string, not a number"},
		{"last duplicate wins", `{"roomID":"r","event":"MESSAGE","roomID":""}`, "roomID", "roomID is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := Decode([]byte(tt.body))
			require.Error(t, err)
			assert.Nil(t, ev)
			var derr *DecodeError
			require.ErrorAs(t, err, &derr)
			assert.Equal(t, tt.msg, derr.Error())
			assert.Equal(t, tt.field, derr.Field)
		})
	}
}

func TestDecodeErrorUnwraps(t *testing.T) {
	_, err := Decode([]byte(`{`))
	var syntax *json.SyntaxError
	assert.True(t, errors.As(err, &syntax), "the JSON error stays reachable")
}

func TestDecodeAccepts(t *testing.T) {
	tests := []struct {
		name string
		body string
		want framework.Event
	}{
		{"minimal", `{"roomID":"r","event":"MESSAGE"}`, framework.Event{RoomID: "r", Type: framework.MessageEvent}},
		{"byte order mark", "\xef\xbb\xbf" + `{"roomID":"r","event":"JOIN_ROOM"}`, framework.Event{RoomID: "r", Type: framework.JoinRoom}},
		{"whitespace", " \r\n\t" + `{"roomID":"r","event":"E"}` + "\n", framework.Event{RoomID: "r", Type: "E"}},
		{"botState null", `{"roomID":"r","event":"E","botState":null}`, framework.Event{RoomID: "r", Type: "E"}},
		{"clientID wins over robotID", `{"roomID":"r","event":"E","robotID":"b","clientID":"a"}`, framework.Event{RoomID: "r", Type: "E", ClientID: "a"}},
		{"_id wins over id", `{"roomID":"r","event":"E","data":{"sender":{"id":"b","_id":"a"}}}`, framework.Event{RoomID: "r", Type: "E", Sender: framework.Client{ID: "a"}}},
		{"id alone", `{"roomID":"r","event":"E","data":{"sender":{"id":"b"}}}`, framework.Event{RoomID: "r", Type: "E", Sender: framework.Client{ID: "b"}}},
		{"data null", `{"roomID":"r","event":"E","data":null}`, framework.Event{RoomID: "r", Type: "E"}},
		{"data a string", `{"roomID":"r","event":"E","data":"x"}`, framework.Event{RoomID: "r", Type: "E"}},
		{"data JSON-encoded", `{"roomID":"r","event":"E","data":"{\"room\":\"r\"}"}`, framework.Event{RoomID: "r", Type: "E", Room: "r"}},
		{"members empty", `{"roomID":"r","event":"E","data":{"members":[]}}`, framework.Event{RoomID: "r", Type: "E"}},
		{"message text of a non-text type", `{"roomID":"r","event":"E","data":{"message":"x","messageType":"image"}}`,
			framework.Event{RoomID: "r", Type: "E", Message: framework.Message{Type: "image", Raw: json.RawMessage(`"x"`)}}},
		{"messageType TEXT", `{"roomID":"r","event":"E","data":{"message":"x","messageType":"TEXT"}}`,
			framework.Event{RoomID: "r", Type: "E", Message: framework.Message{Type: "TEXT", Text: "x", Raw: json.RawMessage(`"x"`)}}},
		{"messageType a number", `{"roomID":"r","event":"E","data":{"message":"x","messageType":1}}`,
			framework.Event{RoomID: "r", Type: "E", Message: framework.Message{Type: "1", Raw: json.RawMessage(`"x"`)}}},
		{"message array", `{"roomID":"r","event":"E","data":{"message":[1]}}`,
			framework.Event{RoomID: "r", Type: "E", Message: framework.Message{Raw: json.RawMessage(`[1]`)}}},
		{"message boolean", `{"roomID":"r","event":"E","data":{"message":true}}`,
			framework.Event{RoomID: "r", Type: "E", Message: framework.Message{Raw: json.RawMessage(`true`)}}},
		{"invalid UTF-8 replaced as encoding/json does", "{\"roomID\":\"r\",\"event\":\"E\",\"data\":{\"message\":\"a\xffb\"}}",
			framework.Event{RoomID: "r", Type: "E", Message: framework.Message{Text: "a\ufffdb", Raw: json.RawMessage("\"a\xffb\"")}}},
		{"extra null", `{"roomID":"r","event":"E","data":{"extra":null}}`, framework.Event{RoomID: "r", Type: "E"}},
		{"extra JSON-encoded number", `{"roomID":"r","event":"E","data":{"extra":" 12 "}}`,
			framework.Event{RoomID: "r", Type: "E", Message: framework.Message{Extra: json.RawMessage(`12`)}}},
		{"isRobot 1", `{"roomID":"r","event":"E","data":{"sender":{"isRobot":1}}}`, framework.Event{RoomID: "r", Type: "E", Sender: framework.Client{IsRobot: true}}},
		{"isRobot \"0\"", `{"roomID":"r","event":"E","data":{"sender":{"isRobot":"0"}}}`, framework.Event{RoomID: "r", Type: "E"}},
		{"isRobot 2", `{"roomID":"r","event":"E","data":{"sender":{"isRobot":2,"nickname":"n"}}}`, framework.Event{RoomID: "r", Type: "E", Sender: framework.Client{Nickname: "n"}}},
		{"width a fraction", `{"roomID":"r","event":"E","data":{"width":99.9}}`, framework.Event{RoomID: "r", Type: "E", Message: framework.Message{Width: 99}}},
		{"width 1e3", `{"roomID":"r","event":"E","data":{"width":1e3}}`, framework.Event{RoomID: "r", Type: "E", Message: framework.Message{Width: 1000}}},
		{"duration huge", `{"roomID":"r","event":"E","data":{"duration":1e999,"height":2}}`, framework.Event{RoomID: "r", Type: "E", Message: framework.Message{Height: 2}}},
		{"latitude NaN", `{"roomID":"r","event":"E","data":{"latitude":"NaN","height":2}}`, framework.Event{RoomID: "r", Type: "E", Message: framework.Message{Height: 2}}},
		{"long ID exact on the slow path", `{"roomID":"r","event":"E","data":{"_id":12345678901234567890123,"width":"x"}}`,
			framework.Event{RoomID: "r", Type: "E", Message: framework.Message{ID: "12345678901234567890123"}}},
		{"numbers of no obvious meaning", `{"roomID":"r","event":"E","data":{"width":true,"duration":{},"latitude":"north","messageTimeMS":[1],"height":2}}`,
			framework.Event{RoomID: "r", Type: "E", Message: framework.Message{Height: 2}}},
		{"numbers in strings, spaced", `{"roomID":"r","event":"E","data":{"width":" 7 ","duration":" 2.5","messageTimeMS":"1545461549380"}}`,
			framework.Event{RoomID: "r", Type: "E", Message: framework.Message{Width: 7, Duration: 2.5, TimeMS: 1545461549380}}},
		{"reply null", `{"roomID":"r","event":"E","data":{"reply":null}}`, framework.Event{RoomID: "r", Type: "E"}},
		{"reply empty string", `{"roomID":"r","event":"E","data":{"reply":""}}`, framework.Event{RoomID: "r", Type: "E"}},
		{"sender bare ID", `{"roomID":"r","event":"E","data":{"sender":"sss"}}`, framework.Event{RoomID: "r", Type: "E", Sender: framework.Client{ID: "sss"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := Decode([]byte(tt.body))
			require.NoError(t, err)
			assert.Equal(t, tt.want, *ev)
		})
	}
}

// TestDecodeOwnsMemory: the server decodes from a pooled buffer that it
// reuses as soon as Decode returns.
func TestDecodeOwnsMemory(t *testing.T) {
	for name, body := range requests(t) {
		t.Run(name, func(t *testing.T) {
			buf := bytes.Clone(body)
			ev, err := Decode(buf)
			require.NoError(t, err)
			want, err := json.Marshal(ev)
			require.NoError(t, err)
			for i := range buf {
				buf[i] = 'X'
			}
			got, err := json.Marshal(ev)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got))
		})
	}
}

func TestKind(t *testing.T) {
	for raw, want := range map[string]string{`{}`: "an object", `[]`: "an array", `true`: "a boolean", `false`: "a boolean", `"x"`: "a string", `null`: "null", `-1`: "a number", `0.5`: "a number"} {
		assert.Equal(t, want, kind([]byte(raw)), raw)
	}
}

func TestDecodeErrorIsNotConfusedByData(t *testing.T) {
	// A data field named like a top-level key does not count as one.
	_, err := Decode([]byte(`{"roomID":"r","event":"E","data":{"roomID":5,"event":{},"width":"x"}}`))
	require.NoError(t, err)
	_, err = Decode([]byte(`{"roomID":"r","data":{"event":"MESSAGE"}}`))
	require.EqualError(t, err, "event is required")
	assert.False(t, strings.Contains(err.Error(), "\n"))
}

// replyChain is a MESSAGE request whose message replies to a reply to a
// reply… n deep, each with a sender and members; odd adds an odd-typed field.
func replyChain(n int, odd bool) []byte {
	var b strings.Builder
	b.WriteString(`{"roomID":"r","event":"MESSAGE","data":{"width":`)
	if odd {
		b.WriteString(`"1"`)
	} else {
		b.WriteString(`1`)
	}
	b.WriteString(`,"reply":`)
	for i := n; i >= 1; i-- {
		fmt.Fprintf(&b, `{"_id":"m%d","message":"%d","sender":{"_id":"s%d"},"members":[{"_id":"c%d"}],"reply":`, i, i, i, i)
	}
	b.WriteString(`{"_id":"m0","message":"0","sender":{"_id":"s0","isRobot":false},"members":[{"_id":"c0"}]}`)
	b.WriteString(strings.Repeat("}", n))
	b.WriteString(`}}`)
	return []byte(b.String())
}

func TestDecodeReplyDepth(t *testing.T) {
	fast, err := Decode(replyChain(20, false))
	require.NoError(t, err)
	depth := 0
	for m := fast.Message.ReplyTo; m != nil; m = m.ReplyTo {
		depth++
		assert.Equal(t, fmt.Sprint(21-depth), m.Text)
	}
	assert.Equal(t, maxReplyDepth, depth)

	loose, err := Decode(replyChain(20, true))
	require.NoError(t, err)
	assert.Equal(t, fast, loose, "the slow path keeps all the fast one does")

	// The slow path rewrites no deeper than toMessage reads, which keeps its
	// work linear in a deep chain's size.
	replies := func(n int) int {
		clean, ok := coerce(nil, replyChain(n, true), reflect.TypeOf(wireRequest{}), false, 0)
		require.True(t, ok)
		return bytes.Count(clean, []byte(`"reply":{`))
	}
	assert.Equal(t, replies(20), replies(500), "bounded, whatever the depth")
	assert.LessOrEqual(t, replies(500), maxReplyDepth+2)
}
