package webhook

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// This file is the slow path of Decode, taken only when some field of a
// request has a type the chat server does not document (isRobot as "true",
// width as "100", sender as a number). encoding/json would report the first
// such field and leave it zero; instead the body is rewritten, value by
// value, into the shape of the wire structs (coercing what has an obvious
// meaning, dropping the rest) and decoded again. Driving the rewrite by the
// wire structs' own types keeps one mapping of field names to keep right.

// decodeLoose decodes body, a valid JSON object, into w, tolerating values of
// the wrong type. It returns what encoding/json still reports, which tests
// expect to be nothing.
func decodeLoose(body []byte, w *wireRequest) error {
	clean, ok := coerce(nil, body, reflect.TypeOf(w).Elem(), false, 0)
	if !ok {
		return nil // not reached: body is an object
	}
	return json.Unmarshal(clean, w)
}

var rawMessageType = reflect.TypeOf(json.RawMessage(nil))

// maxDepth bounds the objects and arrays coerce nests into. Each level
// copies what it holds, so without a bound a deep chain of replies would cost
// time quadratic in the body's size. The bound keeps all that toMessage does:
// the request, data, maxReplyDepth replies, and a reply's members and their
// fields.
const maxDepth = 1 + 1 + maxReplyDepth + 2

// coerce appends to dst the JSON value v reshaped to decode into a t without
// a type error, and reports false (appending nothing) when v has no sensible
// meaning as a t. v is valid JSON. ref says the value may be a reference:
// a bare ID string where a Client or Message belongs (see the wire structs'
// `loose:"ref"` tags). depth counts the objects and arrays around v.
func coerce(dst, v []byte, t reflect.Type, ref bool, depth int) ([]byte, bool) {
	v = bytes.TrimSpace(v)
	if t == rawMessageType || string(v) == "null" { // anything decodes as null
		return append(dst, v...), true
	}
	if t.Kind() == reflect.Pointer {
		return coerce(dst, v, t.Elem(), ref, depth)
	}
	switch t.Kind() {
	case reflect.String:
		switch v[0] {
		case '"':
			return append(dst, v...), true
		case '{', '[':
			return dst, false
		}
		return appendString(dst, string(v)), true // a number or a boolean, as written
	case reflect.Bool:
		if v[0] == 't' || v[0] == 'f' {
			return append(dst, v...), true
		}
		if v[0] == '"' {
			if b, err := strconv.ParseBool(strings.TrimSpace(unquote(v))); err == nil {
				return strconv.AppendBool(dst, b), true
			}
			return dst, false
		}
		if s, ok := numeral(v); ok && (s == "0" || s == "1") { // 1 and 0 as booleans
			return strconv.AppendBool(dst, s == "1"), true
		}
		return dst, false
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s, ok := numeral(v)
		if !ok {
			return dst, false
		}
		// Parsed as an integer first: a float64 is exact only up to 2^53,
		// and lastLoginTimeMS-like values must come out right.
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			// Whole numbers sent as 100.0 or 1e3; fractions are truncated.
			f, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(f) || f < math.MinInt64 || f >= math.MaxInt64 {
				return dst, false
			}
			n = int64(f)
		}
		if reflect.Zero(t).OverflowInt(n) {
			return dst, false
		}
		return strconv.AppendInt(dst, n, 10), true
	case reflect.Float32, reflect.Float64:
		s, ok := numeral(v)
		if !ok {
			return dst, false
		}
		f, err := strconv.ParseFloat(s, t.Bits())
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return dst, false
		}
		if s == string(v) {
			return append(dst, v...), true // a JSON number, kept as written
		}
		return strconv.AppendFloat(dst, f, 'g', -1, t.Bits()), true
	case reflect.Slice:
		if depth >= maxDepth {
			return dst, false
		}
		switch v[0] {
		case '[':
			return coerceArray(dst, v, t.Elem(), ref, depth+1)
		case '"': // a JSON-encoded array
			if s := strings.TrimSpace(unquote(v)); strings.HasPrefix(s, "[") && json.Valid([]byte(s)) {
				return coerceArray(dst, []byte(s), t.Elem(), ref, depth+1)
			}
		}
		return dst, false
	case reflect.Struct:
		if depth >= maxDepth {
			return dst, false
		}
		switch v[0] {
		case '{':
			return coerceObject(dst, v, t, depth+1), true
		case '"':
			s := strings.TrimSpace(unquote(v))
			if strings.HasPrefix(s, "{") && json.Valid([]byte(s)) { // a JSON-encoded object
				return coerceObject(dst, []byte(s), t, depth+1), true
			}
			// An unpopulated reference to a Client or Message: its ID.
			if ref && s != "" {
				dst = append(dst, `{"_id":`...)
				return append(appendString(dst, s), '}'), true
			}
		}
		return dst, false
	}
	return dst, false
}

// numeral returns the text of a JSON number, or of a string that may hold
// one ("100"), for strconv to judge.
func numeral(v []byte) (string, bool) {
	switch {
	case v[0] == '"':
		return strings.TrimSpace(unquote(v)), true
	case v[0] == '-' || '0' <= v[0] && v[0] <= '9':
		return string(v), true
	}
	return "", false
}

func coerceArray(dst, v []byte, elem reflect.Type, ref bool, depth int) ([]byte, bool) {
	var items []json.RawMessage
	if json.Unmarshal(v, &items) != nil {
		return dst, false // not reached: v is a valid array
	}
	dst = append(dst, '[')
	n := 0
	for _, item := range items {
		mark := len(dst)
		if n > 0 {
			dst = append(dst, ',')
		}
		var ok bool
		if dst, ok = coerce(dst, item, elem, ref, depth); ok {
			n++
		} else {
			dst = dst[:mark] // a member that is not a Client is no member
		}
	}
	return append(dst, ']'), true
}

// coerceObject rewrites the object v for the struct type t, keeping its
// members in order (encoding/json lets the last of duplicate keys win) and
// dropping unknown keys and values that cannot be coerced.
func coerceObject(dst, v []byte, t reflect.Type, depth int) []byte {
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.Token() // {
	dst = append(dst, '{')
	n := 0
	for dec.More() {
		tok, err := dec.Token()
		var val json.RawMessage
		if err != nil || dec.Decode(&val) != nil {
			break // not reached: v is a valid object
		}
		key := tok.(string)
		f, ok := fieldOf(t, key)
		if !ok {
			continue
		}
		mark := len(dst)
		if n > 0 {
			dst = append(dst, ',')
		}
		dst = append(appendString(dst, key), ':')
		if dst, ok = coerce(dst, val, f.typ, f.ref, depth); ok {
			n++
		} else {
			dst = dst[:mark]
		}
	}
	return append(dst, '}')
}

type field struct {
	name string // as in the json tag
	typ  reflect.Type
	ref  bool // tagged loose:"ref"
}

var fieldCache sync.Map // reflect.Type → []field

// fieldOf returns the field of the wire struct t that the JSON key names,
// matched as encoding/json does: exactly, else ignoring case.
func fieldOf(t reflect.Type, key string) (field, bool) {
	fields := fieldsOf(t)
	for _, f := range fields {
		if f.name == key {
			return f, true
		}
	}
	for _, f := range fields {
		if strings.EqualFold(f.name, key) {
			return f, true
		}
	}
	return field{}, false
}

func fieldsOf(t reflect.Type) []field {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]field)
	}
	var fs []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" { // the wire structs tag every field
			fs = append(fs, field{name, f.Type, f.Tag.Get("loose") == "ref"})
		}
	}
	fieldCache.Store(t, fs)
	return fs
}
