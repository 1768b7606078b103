package dynamostore

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/customerevent"
	"github.com/tanggap/tanggap/shared/platform/i18n"
)

// A failed publish recorded on a pending event comes back from the listing as LastFailedAt, filed under the
// failure's time: behind the events filed before it, and not listed by a sweep of an earlier time. A sent
// event leaves the listing.
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
	if err != nil || len(pending) != 2 || pending[1].ID != events[0].ID || !pending[1].LastFailedAt.Equal(failedAt) ||
		!pending[0].LastFailedAt.IsZero() {
		t.Fatalf("pending %+v %v; want the failed event last", pending, err)
	}
	if early, err := store.ListPending(ctx, failedAt.Add(-time.Millisecond), 10); err != nil || len(early) != 1 || early[0].ID != events[1].ID {
		t.Fatalf("listed before the failure: %+v %v; want only the event that never failed", early, err)
	}
	if onTime, err := store.ListPending(ctx, failedAt, 10); err != nil || len(onTime) != 2 {
		t.Fatalf("listed at the failure's time: %+v %v; want both", onTime, err)
	}
	if marked, err := store.MarkSent(ctx, events[0], "m-1", at.Add(2*time.Minute)); err != nil || !marked {
		t.Fatalf("mark sent: %v %v", marked, err)
	}
	if pending, err := store.ListPending(ctx, at.Add(time.Hour), 10); err != nil || len(pending) != 1 || pending[0].ID != events[1].ID {
		t.Fatalf("after sending: %+v %v", pending, err)
	}
}

// Events that keep failing do not hold the listing: each failure files its event behind the others, so a
// listing smaller than the number of failing events still reaches the events behind them, in every shard.
func TestFailingCustomerEventsDoNotFillTheListing(t *testing.T) {
	env := testenv.DynamoDB(t)
	ctx := t.Context()
	store := NewCustomerEvents(env.Client, env.SupportTable)
	at := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	var events []customerevent.Event
	for i := range 12 {
		id := fmt.Sprintf("T%02d", i)
		events = append(events, customerevent.New(customerevent.TicketReplied, at.Add(time.Duration(i)*time.Second), "budi",
			customerevent.SubjectTicket, id, 10, i18n.Indonesian, customerevent.Data{TicketID: id, Status: "in_progress", Message: "Halo"}))
	}
	writes, err := customerEventWrites(env.SupportTable, events)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range writes {
		if _, err := env.Client.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{w}}); err != nil {
			t.Fatal(err)
		}
	}
	// The 9 oldest fail, twice each: the second failure files them later still.
	sweep := at.Add(time.Minute)
	for round := range 2 {
		for i, e := range events[:9] {
			if err := store.RecordFailure(ctx, e, sweep.Add(time.Duration(round*100+i)*time.Millisecond), "publish_failed"); err != nil {
				t.Fatal(err)
			}
		}
	}
	pending, err := store.ListPending(ctx, sweep.Add(time.Hour), 3)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range pending {
		got = append(got, e.SubjectID)
	}
	if strings.Join(got, " ") != "T09 T10 T11" {
		t.Fatalf("a listing of 3 gave %v; want the three events that never failed, oldest first", got)
	}
	all, err := store.ListPending(ctx, sweep.Add(time.Hour), 100)
	if err != nil || len(all) != 12 || all[3].SubjectID != "T00" || all[11].SubjectID != "T08" {
		t.Fatalf("the whole listing: %d %v; want the failed ones after, in the order they last failed", len(all), err)
	}
}
