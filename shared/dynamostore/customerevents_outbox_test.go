package dynamostore

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/customerevent"
	"github.com/tanggap/tanggap/shared/platform/i18n"
)

// A failed publish recorded on a pending event comes back from the listing as LastFailedAt, so the sweep
// tries it after the events that never failed; a sent event leaves the listing.
func TestCustomerEventListingCarriesTheLastFailure(t *testing.T) {
	env := testenv.DynamoDB(t)
	ctx := t.Context()
	store := NewCustomerEvents(env.Client, env.SupportTable)
	at := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	var events []customerevent.Event
	for i, id := range []string{"T1", "T2"} {
		events = append(events, customerevent.New(customerevent.TicketReplied, at.Add(time.Duration(i)*time.Second), "budi",
			customerevent.SubjectTicket, id, 10, i18n.Indonesian, customerevent.Data{TicketID: id, Status: "in_progress", Message: "Halo"}))
	}
	writes, err := customerEventWrites(env.SupportTable, events)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: writes}); err != nil {
		t.Fatal(err)
	}
	failedAt := at.Add(time.Minute)
	if err := store.RecordFailure(ctx, events[0], failedAt, "publish_failed"); err != nil {
		t.Fatal(err)
	}
	pending, err := store.ListPending(ctx, at.Add(time.Hour), 10)
	if err != nil || len(pending) != 2 || pending[0].ID != events[0].ID || !pending[0].LastFailedAt.Equal(failedAt) ||
		!pending[1].LastFailedAt.IsZero() {
		t.Fatalf("pending %+v %v", pending, err)
	}
	if marked, err := store.MarkSent(ctx, events[0], "m-1", at.Add(2*time.Minute)); err != nil || !marked {
		t.Fatalf("mark sent: %v %v", marked, err)
	}
	if pending, err := store.ListPending(ctx, at.Add(time.Hour), 10); err != nil || len(pending) != 1 || pending[0].ID != events[1].ID {
		t.Fatalf("after sending: %+v %v", pending, err)
	}
}
