package escalation_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/tanggap/tanggap/shared/escalation"
)

// FuzzDecodeMessage: a queue message either decodes to a valid escalation that encodes back to the same
// escalation (so a redelivery is recognised by its dedup key), or fails with ErrMalformed; never a panic.
func FuzzDecodeMessage(f *testing.F) {
	for _, seed := range []struct{ body, team string }{
		{`{"dedupKey":"ticket:TKT-1:priority_urgent","reason":"priority_urgent","team":"quality","priority":"urgent",` +
			`"subjectType":"ticket","subjectId":"TKT-1","ticketId":"TKT-1","customerId":"cust-budi","createdAt":"2026-11-20T10:00:00Z"}`, "quality"},
		{`{"dedupKey":"k","reason":"priority_high","team":"payments","priority":"high","subjectType":"ticket","subjectId":"T",` +
			`"ticketId":"T","customerId":"c","createdAt":"2026-11-20T10:00:00.123456789+07:00"}`, "legal"},
		{`{}`, ""}, {`null`, ""}, {`{"dedupKey":1}`, ""}, {`{"createdAt":"yesterday"}`, ""}, {"{\"dedupKey\":\"\xff\"}", ""},
		{`{"dedupKey":"a","dedupKey":"b"}`, ""}, {`[] {}`, ""},
	} {
		f.Add(seed.body, seed.team)
	}
	f.Fuzz(func(t *testing.T, body, team string) {
		m := escalation.Message{Body: body}
		if team != "" {
			m.Attributes = map[string]string{escalation.AttrTeam: team}
		}
		e, err := escalation.Decode(m)
		if err != nil {
			if !errors.Is(err, escalation.ErrMalformed) {
				t.Fatalf("%q: error does not wrap ErrMalformed: %v", body, err)
			}
			return
		}
		if err := e.Validate(); err != nil {
			t.Fatalf("decoded an invalid escalation: %v", err)
		}
		again, err := escalation.Encode(e)
		if err != nil {
			t.Fatalf("re-encoding %+v: %v", e, err)
		}
		back, err := escalation.Decode(again)
		if err != nil || !reflect.DeepEqual(back, e) {
			t.Fatalf("round trip changed %+v into %+v (%v)", e, back, err)
		}
	})
}
