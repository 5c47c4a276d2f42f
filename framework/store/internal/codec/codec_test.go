package codec

import (
	"bytes"
	"testing"
	"time"

	"github.com/fsmbot/fsmbot/framework"
)

func FuzzKeysKeepRoomsApart(f *testing.F) {
	f.Add("a", "b", "", "a\x00", "b", "")
	f.Add("a", "b\x00c", "", "a\x00b", "c", "")
	f.Add("x", "y", "\x00z", "x", "y\x00z", "")
	f.Add("", "", "", "", "", "x")
	f.Fuzz(func(t *testing.T, a1, r1, m1, a2, r2, m2 string) {
		x, y := framework.Room{AppID: a1, RoomID: r1}, framework.Room{AppID: a2, RoomID: r2}
		if bytes.Equal(RoomKey(nil, x), RoomKey(nil, y)) != (x == y) {
			t.Fatalf("room keys of %q and %q", x, y)
		}
		if bytes.Equal(AnswerKey(nil, x, m1), AnswerKey(nil, y, m2)) != (x == y && m1 == m2) {
			t.Fatalf("answer keys of %q %q and %q %q", x, m1, y, m2)
		}
	})
}

func TestRecords(t *testing.T) {
	exp := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	at := time.Date(2029, 12, 31, 23, 0, 0, 42, time.FixedZone("CST", 8*3600))
	s := framework.Session{Vars: map[string]string{"": "", "k": "v\x00\xff", "名": "值"}, UpdatedAt: at}
	b, err := EncodeSession(nil, s, exp)
	if err != nil {
		t.Fatal(err)
	}
	got, gotExp, err := DecodeSession(b)
	if err != nil || !gotExp.Equal(exp) || !got.UpdatedAt.Equal(at) || len(got.Vars) != 3 || got.Vars["k"] != "v\x00\xff" || got.Vars["名"] != "值" {
		t.Fatalf("session round trip: %+v %v %v", got, gotExp, err)
	}
	for i := range len(b) {
		if _, _, err := DecodeSession(b[:i]); err == nil {
			t.Errorf("truncated session record (%d of %d bytes) decoded", i, len(b))
		}
	}
	a := framework.Answer{Body: []byte("\x00body\xff"), AnsweredAt: at}
	b, err = EncodeAnswer(nil, a, exp)
	if err != nil {
		t.Fatal(err)
	}
	ga, gotExp, err := DecodeAnswer(b)
	if err != nil || !gotExp.Equal(exp) || !ga.AnsweredAt.Equal(at) || !bytes.Equal(ga.Body, a.Body) {
		t.Fatalf("answer round trip: %+v %v %v", ga, gotExp, err)
	}
	if e, ok := RecordExpiry(b); !ok || !e.Equal(exp) {
		t.Errorf("RecordExpiry = %v, %v", e, ok)
	}
	if _, _, err := DecodeSession(b); err == nil {
		t.Error("an answer record decoded as a session")
	}
	tok, fexp, err := DecodeFence(EncodeFence(7, exp))
	if err != nil || tok != 7 || !fexp.Equal(exp) {
		t.Errorf("fence round trip: %d %v %v", tok, fexp, err)
	}
}
