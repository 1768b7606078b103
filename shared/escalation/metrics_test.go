package escalation

import (
	"bytes"
	"context"
	"strconv"
	"testing"
	"time"
)

// The first record of an escalation writes one Escalations line by team; redeliveries write none.
func TestConsumerWritesEscalationsMetricOncePerEscalation(t *testing.T) {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	n := &memNotifier{down: true}
	c := &Consumer{Ledger: &memLedger{records: map[string]bool{}}, Tickets: &memTickets{escalations: map[string][]string{}},
		Notifier: n, Now: func() time.Time { return at }, Metrics: &buf}
	e := sample()

	if _, err := c.Process(context.Background(), e); err == nil {
		t.Fatal("publish failure must fail the message")
	}
	n.down = false
	for range 2 {
		if _, err := c.Process(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	want := `{"_aws":{"Timestamp":` + strconv.FormatInt(at.UnixMilli(), 10) + `,"CloudWatchMetrics":[{"Namespace":"Tanggap",` +
		`"Dimensions":[["Service","Team"]],"Metrics":[{"Name":"Escalations","Unit":"Count"}]}]},` +
		`"Service":"escalations","Team":"` + string(e.Team) + `","Escalations":1}` + "\n"
	if buf.String() != want {
		t.Fatalf("three deliveries of one escalation:\n got %s\nwant %s", buf.String(), want)
	}
}
