package customerevent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tanggap/tanggap/shared/platform/i18n"
)

// Message is the JSON body published to CustomerEventsTopic (README, "Customer events").
type Message struct {
	EventID     string      `json:"eventId"`
	Type        Type        `json:"type"`
	Time        time.Time   `json:"time"`
	CustomerID  string      `json:"customerId"`
	SubjectType SubjectType `json:"subjectType"`
	SubjectID   string      `json:"subjectId"`
	Sequence    int64       `json:"sequence"`
	Language    i18n.Lang   `json:"language"`
	Title       string      `json:"title"`
	Text        string      `json:"text"`
	Data        Data        `json:"data"`
}

// Message attributes, String typed, for subscription filter policies.
const (
	AttrType        = "type"
	AttrSubjectType = "subjectType"
	AttrEventID     = "eventId"
)

// Encode is the body and the message attributes of e.
func Encode(e Event) (body string, attributes map[string]string, err error) {
	b, err := json.Marshal(Message{EventID: e.ID, Type: e.Type, Time: e.At.UTC(), CustomerID: e.CustomerID,
		SubjectType: e.SubjectType, SubjectID: e.SubjectID, Sequence: e.Sequence, Language: e.Language,
		Title: e.Title, Text: e.Text, Data: e.Data})
	if err != nil {
		return "", nil, err
	}
	return string(b), map[string]string{AttrType: string(e.Type), AttrSubjectType: string(e.SubjectType), AttrEventID: e.ID}, nil
}

// ErrMalformed is wrapped when a body does not decode into a valid event.
var ErrMalformed = errors.New("malformed customer event message")

// Decode reads a published body back (subscribers in Go, and the tests).
func Decode(body string) (Event, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(body)))
	dec.DisallowUnknownFields()
	var m Message
	if err := dec.Decode(&m); err != nil {
		return Event{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if dec.More() {
		return Event{}, fmt.Errorf("%w: trailing data", ErrMalformed)
	}
	e := Event{ID: m.EventID, Type: m.Type, At: m.Time.UTC(), CustomerID: m.CustomerID, SubjectType: m.SubjectType,
		SubjectID: m.SubjectID, Sequence: m.Sequence, Language: m.Language, Title: m.Title, Text: m.Text, Data: m.Data}
	if err := e.Validate(); err != nil {
		return Event{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return e, nil
}
