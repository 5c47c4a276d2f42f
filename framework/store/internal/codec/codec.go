// Package codec is the byte layout the persistent stores share: keys that
// keep rooms apart whatever bytes their IDs hold, and records that carry
// their own expiry so that a store can ignore an expired record on read with
// the store's clock.
package codec

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/fsmbot/fsmbot/framework"
)

// RoomKey appends r's key to dst: each ID length-prefixed (uvarint), so that
// no two rooms share a key whatever bytes (\x00 included) their IDs hold,
// and a key followed by anything still tells where the room ends.
func RoomKey(dst []byte, r framework.Room) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(r.AppID)))
	dst = append(dst, r.AppID...)
	dst = binary.AppendUvarint(dst, uint64(len(r.RoomID)))
	return append(dst, r.RoomID...)
}

// AnswerKey appends the key of messageID's answer in room r to dst: the
// room's key, then the message ID as is (the room key is self-delimiting).
func AnswerKey(dst []byte, r framework.Room, messageID string) []byte {
	return append(RoomKey(dst, r), messageID...)
}

// Record versions, the first byte of every record.
const (
	sessionV1 = 1
	answerV1  = 2
)

var errCorrupt = errors.New("store: corrupt record")

// Expired tells whether a record that expires at exp is gone at now.
func Expired(exp, now time.Time) bool { return !now.Before(exp) }

// EncodeSession appends s, to expire at exp, to dst.
func EncodeSession(dst []byte, s framework.Session, exp time.Time) ([]byte, error) {
	dst = append(dst, sessionV1)
	dst = binary.BigEndian.AppendUint64(dst, uint64(exp.UnixNano()))
	var err error
	if dst, err = appendTime(dst, s.UpdatedAt); err != nil {
		return nil, err
	}
	dst = binary.AppendUvarint(dst, uint64(len(s.Vars)))
	for k, v := range s.Vars {
		dst = appendString(dst, k)
		dst = appendString(dst, v)
	}
	return dst, nil
}

// DecodeSession reads a record EncodeSession wrote; the session shares no
// memory with b.
func DecodeSession(b []byte) (framework.Session, time.Time, error) {
	var s framework.Session
	if len(b) < 9 || b[0] != sessionV1 {
		return s, time.Time{}, fmt.Errorf("%w: session record", errCorrupt)
	}
	exp := time.Unix(0, int64(binary.BigEndian.Uint64(b[1:9])))
	b = b[9:]
	var err error
	if s.UpdatedAt, b, err = readTime(b); err != nil {
		return s, exp, err
	}
	n, m := binary.Uvarint(b)
	if m <= 0 || n > uint64(len(b)) {
		return s, exp, fmt.Errorf("%w: session vars", errCorrupt)
	}
	b = b[m:]
	if n > 0 {
		s.Vars = make(map[string]string, n)
	}
	for range n {
		var k, v string
		if k, b, err = readString(b); err != nil {
			return s, exp, err
		}
		if v, b, err = readString(b); err != nil {
			return s, exp, err
		}
		s.Vars[k] = v
	}
	if len(b) != 0 {
		return s, exp, fmt.Errorf("%w: session trailer", errCorrupt)
	}
	return s, exp, nil
}

// EncodeAnswer appends a, to expire at exp, to dst.
func EncodeAnswer(dst []byte, a framework.Answer, exp time.Time) ([]byte, error) {
	dst = append(dst, answerV1)
	dst = binary.BigEndian.AppendUint64(dst, uint64(exp.UnixNano()))
	var err error
	if dst, err = appendTime(dst, a.AnsweredAt); err != nil {
		return nil, err
	}
	return append(dst, a.Body...), nil
}

// DecodeAnswer reads a record EncodeAnswer wrote; the answer shares no
// memory with b, and its Body is never nil.
func DecodeAnswer(b []byte) (framework.Answer, time.Time, error) {
	var a framework.Answer
	if len(b) < 9 || b[0] != answerV1 {
		return a, time.Time{}, fmt.Errorf("%w: answer record", errCorrupt)
	}
	exp := time.Unix(0, int64(binary.BigEndian.Uint64(b[1:9])))
	var err error
	if a.AnsweredAt, b, err = readTime(b[9:]); err != nil {
		return a, exp, err
	}
	a.Body = append(make([]byte, 0, len(b)), b...)
	return a, exp, nil
}

// RecordExpiry is the expiry of a record EncodeSession or EncodeAnswer
// wrote, read without decoding the rest.
func RecordExpiry(b []byte) (time.Time, bool) {
	if len(b) < 9 || (b[0] != sessionV1 && b[0] != answerV1) {
		return time.Time{}, false
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(b[1:9]))), true
}

// EncodeFence is a room's fence record: the token of the lease that saved
// the room last, kept until exp.
func EncodeFence(token uint64, exp time.Time) []byte {
	b := make([]byte, 16)
	binary.BigEndian.PutUint64(b, uint64(exp.UnixNano()))
	binary.BigEndian.PutUint64(b[8:], token)
	return b
}

// DecodeFence reads a record EncodeFence wrote.
func DecodeFence(b []byte) (token uint64, exp time.Time, err error) {
	if len(b) != 16 {
		return 0, time.Time{}, fmt.Errorf("%w: fence record", errCorrupt)
	}
	return binary.BigEndian.Uint64(b[8:]), time.Unix(0, int64(binary.BigEndian.Uint64(b))), nil
}

func appendTime(dst []byte, t time.Time) ([]byte, error) {
	tb, err := t.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("store: encode time: %w", err)
	}
	dst = append(dst, byte(len(tb)))
	return append(dst, tb...), nil
}

func readTime(b []byte) (time.Time, []byte, error) {
	var t time.Time
	if len(b) < 1 || len(b) < 1+int(b[0]) {
		return t, nil, fmt.Errorf("%w: time", errCorrupt)
	}
	n := int(b[0])
	if err := t.UnmarshalBinary(b[1 : 1+n]); err != nil {
		return t, nil, fmt.Errorf("%w: time: %v", errCorrupt, err)
	}
	return t, b[1+n:], nil
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

func readString(b []byte) (string, []byte, error) {
	n, m := binary.Uvarint(b)
	if m <= 0 || n > uint64(len(b)-m) {
		return "", nil, fmt.Errorf("%w: string", errCorrupt)
	}
	end := m + int(n)
	return string(b[m:end]), b[end:], nil
}
