package webhook

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fsmbot/fsmbot/framework"
)

func TestNewResponse(t *testing.T) {
	tests := []struct {
		name   string
		sender string
		result framework.Result
		want   string
	}{
		{"no reply", "robot001", framework.Result{From: "start", To: "menu"},
			`{"senderID":"robot001","toBotState":"menu","data":null}`},
		{"no sender", "", framework.Result{To: "menu"},
			`{"toBotState":"menu","data":null}`},
		{"text", "robot001", framework.Result{To: "menu", Reply: &framework.Message{Type: "text", Text: "您好！有什么可以帮助您的吗？"}},
			`{"senderID":"robot001","toBotState":"menu","data":{"message":"您好！有什么可以帮助您的吗？","messageType":"text"}}`},
		{"type defaults to text", "robot001", framework.Result{To: "menu", Reply: &framework.Message{Text: "Hi"}},
			`{"senderID":"robot001","toBotState":"menu","data":{"message":"Hi","messageType":"text"}}`},
		{"escapes", "", framework.Result{To: "s\"1", Reply: &framework.Message{Text: "a\"b\\c\n\t<b>&</b>\u2028\x01\xff"}},
			`{"toBotState":"s\"1","data":{"message":"a\"b\\c\n\t\u003cb\u003e\u0026\u003c/b\u003e\u2028\u0001\ufffd","messageType":"text"}}`},
		{"image", "robot001", framework.Result{To: "photo", Reply: &framework.Message{
			Type: "image", OriginalURL: "https://cdn.example.com/p.jpg", ThumbnailURL: "https://cdn.example.com/t.jpg", Width: 1024, Height: 768}},
			`{"senderID":"robot001","toBotState":"photo","data":{"message":"","messageType":"image","originalUrl":"https://cdn.example.com/p.jpg","thumbnailUrl":"https://cdn.example.com/t.jpg","width":1024,"height":768}}`},
		{"sticker", "robot001", framework.Result{To: "menu", Reply: &framework.Message{Type: "sticker", Sticker: "cat-01"}},
			`{"senderID":"robot001","toBotState":"menu","data":{"message":"","messageType":"sticker","sticker":"cat-01"}}`},
		{"url", "robot001", framework.Result{To: "menu", Reply: &framework.Message{Type: "url", Text: "docs", URL: "https://example.com/?a=1&b=2"}},
			`{"senderID":"robot001","toBotState":"menu","data":{"message":"docs","messageType":"url","url":"https://example.com/?a=1\u0026b=2"}}`},
		{"audio", "robot001", framework.Result{To: "menu", Reply: &framework.Message{Type: "audio", URL: "https://cdn.example.com/a.mp3", Duration: 12.5}},
			`{"senderID":"robot001","toBotState":"menu","data":{"message":"","messageType":"audio","url":"https://cdn.example.com/a.mp3","duration":12.5}}`},
		{"location at Greenwich keeps longitude 0", "robot001", framework.Result{To: "where", Reply: &framework.Message{Type: "location", Latitude: 51.4779, Longitude: 0}},
			`{"senderID":"robot001","toBotState":"where","data":{"message":"","messageType":"location","latitude":51.4779,"longitude":0}}`},
		{"coordinates on a non-location message", "", framework.Result{To: "s", Reply: &framework.Message{Type: "announcement", Text: "t", Longitude: 1e-7}},
			`{"toBotState":"s","data":{"message":"t","messageType":"announcement","longitude":1e-7}}`},
		{"extra", "robot001", framework.Result{To: "menu", Reply: &framework.Message{Text: "ok", Extra: json.RawMessage(`{"orderID":"A12"}`)}},
			`{"senderID":"robot001","toBotState":"menu","data":{"message":"ok","messageType":"text","extra":{"orderID":"A12"}}}`},
		{"invalid extra left out", "robot001", framework.Result{To: "menu", Reply: &framework.Message{Text: "ok", Extra: json.RawMessage(`{"orderID":`)}},
			`{"senderID":"robot001","toBotState":"menu","data":{"message":"ok","messageType":"text"}}`},
		{"non-finite numbers left out", "", framework.Result{To: "s", Reply: &framework.Message{Type: "location", Latitude: math.NaN(), Longitude: math.Inf(1), Duration: math.Inf(-1)}},
			`{"toBotState":"s","data":{"message":"","messageType":"location"}}`},
		{"error reply keeps the state", "robot001", framework.Result{From: "menu", To: "menu", Err: assert.AnError,
			Reply: &framework.Message{Type: "text", Text: "Sorry"}},
			`{"senderID":"robot001","toBotState":"menu","data":{"message":"Sorry","messageType":"text"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := NewResponse(tt.sender, tt.result)
			assert.Equal(t, tt.want, string(resp.AppendJSON(nil)), "AppendJSON")

			got, err := json.Marshal(resp)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got), "json.Marshal")
		})
	}
}

// TestAppendJSONMatchesEncodingJSON compares AppendJSON with encoding/json's
// own encoding of the struct, byte for byte, over awkward strings and floats.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	strs := []string{"", "plain", "你好", "<>&", "\u2028\u2029", "\x00\x1f\x7f", "\xff\xfe", "a\xe4\xbdb", "\"\\/", "\b\f\n\r\t", "😀", "\xed\xa0\x80"}
	floats := []float64{0, 1, -1, 0.1, 1e-6, 1e-7, 123456789, 1e20, 1e21, 1.5e300, -2.5e-300, math.SmallestNonzeroFloat64, math.MaxFloat64}
	for _, s := range strs {
		for _, f := range floats {
			lat, long := f, -f
			r := Response{SenderID: s, ToBotState: s, Data: &Message{
				Message: s, MessageType: s, OriginalURL: s, ThumbnailURL: s, URL: s, Sticker: s,
				Width: int(f), Height: -3, Duration: f, Latitude: &lat, Longitude: &long,
			}}
			want, err := json.Marshal(r)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(r.AppendJSON(nil)), "%q %v", s, f)
		}
	}
}

func TestErrorBody(t *testing.T) {
	b, err := json.Marshal(ErrorBody{Error: "roomID is required"})
	require.NoError(t, err)
	assert.Equal(t, `{"error":"roomID is required"}`, string(b))
}

func TestAppendJSONAppends(t *testing.T) {
	buf := []byte("x=")
	buf = NewResponse("", framework.Result{To: "s"}).AppendJSON(buf)
	assert.Equal(t, `x={"toBotState":"s","data":null}`, string(buf))
}

// TestAppendJSONAllocs guards the zero-allocation answer that NewResponse's
// doc promises.
func TestAppendJSONAllocs(t *testing.T) {
	if testing.CoverMode() != "" || raceEnabled {
		t.Skip("instrumentation changes inlining and escapes")
	}
	res := framework.Result{To: "menu", Reply: &framework.Message{Type: "location", Text: "here", Latitude: 1, Extra: json.RawMessage(`{"a":1}`)}}
	buf := make([]byte, 0, 512)
	allocs := testing.AllocsPerRun(100, func() {
		buf = NewResponse("robot001", res).AppendJSON(buf[:0])
	})
	assert.Zero(t, allocs)
}
