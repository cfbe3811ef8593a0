package simapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// Marshal encodes v as compact JSON without HTML escaping (no trailing newline).
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	return b[:len(b)-1], nil
}

// MustMarshal is Marshal for values that always encode (panics otherwise).
func MustMarshal(v any) []byte {
	b, err := Marshal(v)
	if err != nil {
		panic("simapi: marshal: " + err.Error())
	}
	return b
}

// WriteJSON encodes v (see Marshal) and writes it as the whole reply with the
// given status. The body is built completely before anything is written, so a
// Limiter releases its slot before the first byte goes out.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := Marshal(v)
	if err != nil {
		WriteError(w, http.StatusInternalServerError, "INTERNAL_ERROR", "encode reply: "+err.Error())
		return
	}
	WriteRaw(w, status, b)
}

// WriteRaw writes an already encoded JSON body as the whole reply.
func WriteRaw(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// ErrorItem is one entry of an ErrorBody's errors list.
type ErrorItem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ErrorBody is the error reply shape {"message", "errors": [{"code", "message"}]}
// (SmartRecruiters' shape; the default for faults).
type ErrorBody struct {
	Message string      `json:"message"`
	Errors  []ErrorItem `json:"errors"`
}

// NewErrorBody returns an ErrorBody with one error of the given code.
func NewErrorBody(code, message string) ErrorBody {
	return ErrorBody{Message: message, Errors: []ErrorItem{{Code: code, Message: message}}}
}

// WriteError writes an ErrorBody reply with one error of the given code.
func WriteError(w http.ResponseWriter, status int, code, message string) {
	WriteRaw(w, status, MustMarshal(NewErrorBody(code, message)))
}

// KV is one member of an Object.
type KV struct {
	Key   string
	Value any
}

// Object is a JSON object that keeps its members in the given order (for
// objects whose key order carries meaning). Values encode as by Marshal.
type Object []KV

// MarshalJSON encodes the members in order.
func (o Object) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, kv := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, err := Marshal(kv.Key)
		if err != nil {
			return nil, err
		}
		buf.Write(k)
		buf.WriteByte(':')
		v, err := Marshal(kv.Value)
		if err != nil {
			return nil, err
		}
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
