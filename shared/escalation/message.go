package escalation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Message attribute names on the escalation queue (String attributes). The body is authoritative; the
// attributes let SQS tooling and the SNS filter policies route without parsing the body.
const (
	AttrTeam     = "team"
	AttrReason   = "reason"
	AttrDedupKey = "dedupKey"
	AttrPriority = "priority" // SNS notifications only
)

// MaxBodyBytes bounds a message body; real ones are a few hundred bytes.
const MaxBodyBytes = 16 * 1024

// Message is an escalation as it travels on the queue.
type Message struct {
	Body       string
	Attributes map[string]string
}

// body is the JSON wire format. Field names are part of the queue contract.
type body struct {
	DedupKey    string `json:"dedupKey"`
	Reason      string `json:"reason"`
	Team        string `json:"team"`
	Priority    string `json:"priority"`
	SubjectType string `json:"subjectType"`
	SubjectID   string `json:"subjectId"`
	TicketID    string `json:"ticketId,omitempty"`
	CustomerID  string `json:"customerId"`
	CreatedAt   string `json:"createdAt"`
}

// ErrMalformed marks a message that can never be processed: retrying it cannot help.
var ErrMalformed = errors.New("malformed escalation message")

// Encode validates e and renders it for the queue.
func Encode(e Escalation) (Message, error) {
	if err := e.Validate(); err != nil {
		return Message{}, err
	}
	raw, err := json.Marshal(body{
		DedupKey: e.DedupKey, Reason: string(e.Reason), Team: string(e.Team), Priority: string(e.Priority),
		SubjectType: string(e.SubjectType), SubjectID: e.SubjectID, TicketID: e.TicketID, CustomerID: e.CustomerID,
		CreatedAt: e.CreatedAt.UTC().Format(time.RFC3339Nano),
	})
	if err != nil {
		return Message{}, err
	}
	return Message{Body: string(raw), Attributes: Attributes(e)}, nil
}

// Attributes are the routing attributes of e.
func Attributes(e Escalation) map[string]string {
	return map[string]string{AttrTeam: string(e.Team), AttrReason: string(e.Reason), AttrDedupKey: e.DedupKey}
}

// Decode parses and validates a queue message. Attributes may be missing (the body carries everything),
// but an attribute that contradicts the body makes the message malformed. Every error wraps ErrMalformed.
func Decode(m Message) (Escalation, error) {
	if len(m.Body) > MaxBodyBytes {
		return Escalation{}, fmt.Errorf("%w: body is %d bytes", ErrMalformed, len(m.Body))
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(m.Body)))
	var b body
	if err := dec.Decode(&b); err != nil {
		return Escalation{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if dec.More() {
		return Escalation{}, fmt.Errorf("%w: trailing data after the JSON body", ErrMalformed)
	}
	created, err := time.Parse(time.RFC3339Nano, b.CreatedAt)
	if err != nil {
		return Escalation{}, fmt.Errorf("%w: createdAt is not RFC 3339", ErrMalformed)
	}
	e := Escalation{
		DedupKey: b.DedupKey, Reason: Reason(b.Reason), Team: Team(b.Team), Priority: Priority(b.Priority),
		SubjectType: SubjectType(b.SubjectType), SubjectID: b.SubjectID, TicketID: b.TicketID, CustomerID: b.CustomerID,
		CreatedAt: created.UTC(),
	}
	if err := e.Validate(); err != nil {
		return Escalation{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	for name, want := range Attributes(e) {
		if got, ok := m.Attributes[name]; ok && got != want {
			return Escalation{}, fmt.Errorf("%w: attribute %s=%q contradicts the body", ErrMalformed, name, got)
		}
	}
	return e, nil
}
