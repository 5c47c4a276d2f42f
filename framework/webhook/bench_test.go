package webhook

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/fsmbot/fsmbot/framework"
)

// BenchmarkDecode decodes the seed's MESSAGE request, the common call.
func BenchmarkDecode(b *testing.B) {
	body, err := os.ReadFile("testdata/requests/message.json")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Decode", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := Decode(body); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The floor: encoding/json into the wire structs, as a bare handler would.
	b.Run("wireStructs", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var w wireRequest
			if err := json.Unmarshal(body, &w); err != nil {
				b.Fatal(err)
			}
		}
	})
	odd, err := os.ReadFile("testdata/requests/odd_types.json")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("oddTypes", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(odd)))
		for b.Loop() {
			if _, err := Decode(odd); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkResponse(b *testing.B) {
	res := framework.Result{To: "menu", Reply: &framework.Message{Type: "text", Text: "您好！我是机器人助手，有什么可以帮助您的吗？"}}
	b.Run("AppendJSON", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 512)
		for b.Loop() {
			buf = NewResponse("robot001", res).AppendJSON(buf[:0])
		}
	})
	b.Run("json.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(NewResponse("robot001", res)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
