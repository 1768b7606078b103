package inbox_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/customerevent"
	"github.com/tanggap/tanggap/shared/customerevent/inbox"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/ticket"
)

// fixture is the inbox service on DynamoDB Local; its events (each one inbox item) are agents' replies to a
// customer's complaint or survey invitations, written by the ticket service and the invitation store as in
// production.
type fixture struct {
	ddb     *testenv.DynamoEnv
	db      *faultyDB
	svc     *inbox.Service
	tickets *ticket.Service
	mu      sync.Mutex
	clock   time.Time // the ticket service's clock: when the next reply happens
	now     time.Time // the inbox's clock
	prefix  string
}

// c is this fixture's customer of that name.
func (f *fixture) c(name string) string { return f.prefix + name }

var fixtures atomic.Int64

// newFixture shares ddb's tables with the other tests (creating tables dominates the run); each fixture's
// customers are its own (c).
func newFixture(t *testing.T, ddb *testenv.DynamoEnv) *fixture {
	t.Helper()
	start := time.Now().UTC().Truncate(time.Millisecond)
	f := &fixture{ddb: ddb, db: &faultyDB{DB: ddb.Client}, clock: start, now: start, prefix: fmt.Sprintf("c%d-", fixtures.Add(1))}
	f.tickets = ticket.NewService(dynamostore.NewTickets(ddb.Client, ddb.SupportTable), dynamostore.NewOrders(ddb.Client, ddb.SupportTable),
		ticket.DefaultRules(), ticket.DefaultSLA(), func() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.clock })
	f.svc = inbox.NewService(dynamostore.NewInbox(f.db, ddb.SupportTable), func() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now })
	return f
}

// replies files a complaint for customer and has an agent reply n times, a second apart: n inbox items,
// written by the ticket service as in production.
func (f *fixture) replies(t *testing.T, customer string, n int) {
	t.Helper()
	ctx := context.Background()
	d, err := f.tickets.Create(ctx, customer, ticket.NewComplaint{Channel: ticket.ChannelWeb, Category: ticket.CategoryDelivery,
		Subject: "Paket telat", Description: "Paket belum datang.", Language: "id"})
	if err != nil {
		t.Fatal(err)
	}
	for range n {
		f.mu.Lock()
		f.clock = f.clock.Add(time.Second)
		f.mu.Unlock()
		if _, err := f.tickets.Respond(ctx, "dewi", d.Ticket.ID, "Sedang kami cek."); err != nil {
			t.Fatal(err)
		}
	}
	f.mu.Lock()
	if f.now.Before(f.clock) {
		f.now = f.clock
	}
	f.mu.Unlock()
}

// invitations stores n survey invitations for customer, a second apart: n inbox items at one request each
// (a reply costs three), for the tests that need many.
func (f *fixture) invitations(t *testing.T, customer string, n int) {
	t.Helper()
	store := dynamostore.NewCustomerEvents(f.ddb.Client, f.ddb.SupportTable)
	for i := range n {
		f.mu.Lock()
		f.clock = f.clock.Add(time.Second)
		at := f.clock
		f.mu.Unlock()
		subject := fmt.Sprintf("TKT-%s-%d", customer, i)
		inv := customerevent.New(customerevent.SurveyInvited, at, customer, customerevent.SubjectTicket, subject,
			customerevent.SequenceOf(2, customerevent.InvitationOffset), i18n.Indonesian, customerevent.Data{TicketID: subject, InvitedBy: customerevent.TicketResolved})
		if ok, err := store.Invite(context.Background(), inv); err != nil || !ok {
			t.Fatalf("invite %s: %v %v", subject, ok, err)
		}
	}
	f.mu.Lock()
	f.now = f.clock
	f.mu.Unlock()
}

func (f *fixture) list(t *testing.T, customer string) inbox.Page {
	t.Helper()
	p, err := f.svc.List(context.Background(), customer, 100, "")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *fixture) markRead(t *testing.T, customer string, req inbox.ReadRequest) inbox.ReadResult {
	t.Helper()
	r, err := f.svc.MarkRead(context.Background(), customer, req)
	if err != nil {
		t.Fatalf("mark read %+v: %v", req, err)
	}
	return r
}

func ids(items []inbox.Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Event.ID)
	}
	return out
}

func unread(items []inbox.Item) int {
	n := 0
	for _, it := range items {
		if it.ReadAt == nil {
			n++
		}
	}
	return n
}

// faultyDB is the DynamoDB Local client with four faults a test can switch on: an outage of the unread
// counters' Query, and another device of the customer marking items read just before a transaction.
type faultyDB struct {
	dynamostore.DB
	listOutage    bool
	counterOutage bool
	itemsOutage   bool // the reads of the items a request would mark
	beforeWrite   func()
}

// isListing tells the inbox page's Query (newest first, no projection, no filter) from the others.
func isListing(in *dynamodb.QueryInput) bool {
	return in.ProjectionExpression == nil && in.FilterExpression == nil && !aws.ToBool(in.ScanIndexForward)
}

var errOutage = errors.New("dynamodb: service unavailable")

func (d *faultyDB) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	if (d.counterOutage && aws.ToString(in.ProjectionExpression) == "unread") || (d.listOutage && isListing(in)) ||
		(d.itemsOutage && in.FilterExpression != nil) {
		return nil, errOutage
	}
	return d.DB.Query(ctx, in, o...)
}

func (d *faultyDB) BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	if d.itemsOutage {
		return nil, errOutage
	}
	return d.DB.BatchGetItem(ctx, in, o...)
}

func (d *faultyDB) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	if hook := d.beforeWrite; hook != nil {
		d.beforeWrite = nil
		hook()
	}
	return d.DB.TransactWriteItems(ctx, in, o...)
}

// TestInbox runs the inbox's behaviours on one set of tables, the quick ones first.
func TestInbox(t *testing.T) {
	ddb := testenv.DynamoDB(t)
	t.Run("ReadRequestValidation", func(t *testing.T) { testReadRequestValidation(t, ddb) })
	t.Run("StorageFailuresAreReported", func(t *testing.T) { testStorageFailuresAreReported(t, ddb) })
	t.Run("EmptyInboxHasNothingUnread", func(t *testing.T) { testEmptyInboxHasNothingUnread(t, ddb) })
	t.Run("EventsPastRetentionAreNeitherListedNorCounted", func(t *testing.T) { testEventsPastRetentionAreNeitherListedNorCounted(t, ddb) })
	t.Run("ListPagesNewestFirstWithTheUnreadCount", func(t *testing.T) { testListPagesNewestFirstWithTheUnreadCount(t, ddb) })
	t.Run("MarkReadByIDIsExactAndRepeatable", func(t *testing.T) { testMarkReadByIDIsExactAndRepeatable(t, ddb) })
	t.Run("MarkReadRacingAnotherDeviceReportsTheChange", func(t *testing.T) { testMarkReadRacingAnotherDeviceReportsTheChange(t, ddb) })
	t.Run("MarkReadUpToMarksInBatches", func(t *testing.T) { testMarkReadUpToMarksInBatches(t, ddb) })
}

// The inbox pages the customer's events newest first, with the unread count of the whole inbox on every
// page; another customer's events are not in it.
func testListPagesNewestFirstWithTheUnreadCount(t *testing.T, ddb *testenv.DynamoEnv) {
	f := newFixture(t, ddb)
	f.replies(t, f.c("budi"), 3)
	f.replies(t, f.c("sari"), 1)

	first, err := f.svc.List(context.Background(), f.c("budi"), 2, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Items) != 2 || first.NextCursor == "" || first.UnreadCount != 3 {
		t.Fatalf("first page: %d items, cursor %q, unread %d; want 2, a cursor, 3", len(first.Items), first.NextCursor, first.UnreadCount)
	}
	second, err := f.svc.List(context.Background(), f.c("budi"), 2, first.NextCursor)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Items) != 1 || second.NextCursor != "" || second.UnreadCount != 3 {
		t.Fatalf("second page: %d items, cursor %q, unread %d; want 1, none, 3", len(second.Items), second.NextCursor, second.UnreadCount)
	}
	all := append(first.Items, second.Items...)
	for i, it := range all {
		if it.Event.CustomerID != f.c("budi") || it.Event.Type != customerevent.TicketReplied || it.ReadAt != nil {
			t.Errorf("item %d: %+v", i, it)
		}
		if i > 0 && !it.Event.At.Before(all[i-1].Event.At) {
			t.Errorf("item %d at %v is not older than the one before (%v)", i, it.Event.At, all[i-1].Event.At)
		}
	}
}

// An empty inbox has nothing unread.
func testEmptyInboxHasNothingUnread(t *testing.T, ddb *testenv.DynamoEnv) {
	f := newFixture(t, ddb)
	f.invitations(t, f.c("sari"), 1)
	p := f.list(t, f.c("budi"))
	if len(p.Items) != 0 || p.UnreadCount != 0 || p.NextCursor != "" {
		t.Fatalf("empty inbox: %+v", p)
	}
}

// Events leave the inbox, and its unread count, once their retention has passed.
func testEventsPastRetentionAreNeitherListedNorCounted(t *testing.T, ddb *testenv.DynamoEnv) {
	f := newFixture(t, ddb)
	f.invitations(t, f.c("budi"), 2)
	f.mu.Lock()
	f.now = f.now.Add((customerevent.InboxRetentionDays + 1) * 24 * time.Hour)
	f.mu.Unlock()
	if p := f.list(t, f.c("budi")); len(p.Items) != 0 || p.UnreadCount != 0 {
		t.Fatalf("inbox after retention: %d items, %d unread", len(p.Items), p.UnreadCount)
	}
	if r := f.markRead(t, f.c("budi"), inbox.ReadRequest{UpTo: &f.now}); r.Marked != 0 || r.UnreadCount != 0 {
		t.Fatalf("marking after retention: %+v", r)
	}
}

// Marking by id marks exactly the named unread items, at the inbox's clock, and says how many stay
// unread; repeating the request changes nothing.
func testMarkReadByIDIsExactAndRepeatable(t *testing.T, ddb *testenv.DynamoEnv) {
	f := newFixture(t, ddb)
	f.invitations(t, f.c("budi"), 3)
	before := f.list(t, f.c("budi"))
	target := before.Items[1].Event.ID

	r := f.markRead(t, f.c("budi"), inbox.ReadRequest{IDs: []string{target}})
	if r != (inbox.ReadResult{Marked: 1, UnreadCount: 2}) {
		t.Fatalf("first mark: %+v, want 1 marked and 2 unread", r)
	}
	after := f.list(t, f.c("budi"))
	if after.UnreadCount != 2 || unread(after.Items) != 2 {
		t.Fatalf("after marking one of 3: unreadCount %d, %d unread items", after.UnreadCount, unread(after.Items))
	}
	for _, it := range after.Items {
		if read := it.ReadAt != nil; read != (it.Event.ID == target) {
			t.Errorf("%s read = %v", it.Event.ID, read)
		}
		if it.ReadAt != nil && !it.ReadAt.Equal(f.now) {
			t.Errorf("read at %v, want the inbox's clock %v", it.ReadAt, f.now)
		}
	}

	if r := f.markRead(t, f.c("budi"), inbox.ReadRequest{IDs: []string{target}}); r != (inbox.ReadResult{Marked: 0, UnreadCount: 2}) {
		t.Fatalf("repeated mark: %+v, want nothing marked and 2 unread", r)
	}
	// Ids of another customer's items, or of no item, mark nothing.
	f.invitations(t, f.c("sari"), 1)
	other := f.list(t, f.c("sari")).Items[0].Event.ID
	unknown := customerevent.NewID(f.now)
	if r := f.markRead(t, f.c("budi"), inbox.ReadRequest{IDs: []string{other, unknown}}); r.Marked != 0 || r.UnreadCount != 2 {
		t.Fatalf("foreign and unknown ids: %+v", r)
	}
	if p := f.list(t, f.c("sari")); p.UnreadCount != 1 || p.Items[0].ReadAt != nil {
		t.Fatalf("sari's item was touched: %+v", p)
	}
}

// Marking everything up to a time marks the unread items at or before it, at most MaxMark per request,
// and says when more remain; marking everything leaves nothing unread.
func testMarkReadUpToMarksInBatches(t *testing.T, ddb *testenv.DynamoEnv) {
	f := newFixture(t, ddb)
	f.invitations(t, f.c("budi"), inbox.MaxMark+2)
	p := f.list(t, f.c("budi"))
	if p.UnreadCount != inbox.MaxMark+2 {
		t.Fatalf("unread %d", p.UnreadCount)
	}
	// The newest item is after the bound and stays unread.
	upTo := p.Items[1].Event.At
	r := f.markRead(t, f.c("budi"), inbox.ReadRequest{UpTo: &upTo})
	if r != (inbox.ReadResult{Marked: inbox.MaxMark, UnreadCount: 2, More: true}) {
		t.Fatalf("first batch: %+v, want %d marked, 2 unread, more", r, inbox.MaxMark)
	}
	r = f.markRead(t, f.c("budi"), inbox.ReadRequest{UpTo: &upTo})
	if r != (inbox.ReadResult{Marked: 1, UnreadCount: 1}) {
		t.Fatalf("second batch: %+v, want 1 marked, 1 unread, no more", r)
	}
	p = f.list(t, f.c("budi"))
	if p.UnreadCount != 1 || unread(p.Items) != 1 || p.Items[0].ReadAt != nil {
		t.Fatalf("after marking up to the second newest: unread %d, first item %+v", p.UnreadCount, p.Items[0])
	}
	now := f.now
	if r := f.markRead(t, f.c("budi"), inbox.ReadRequest{UpTo: &now}); r != (inbox.ReadResult{Marked: 1, UnreadCount: 0}) {
		t.Fatalf("marking the rest: %+v", r)
	}
	if p := f.list(t, f.c("budi")); p.UnreadCount != 0 || unread(p.Items) != 0 {
		t.Fatalf("all read, yet unread %d", p.UnreadCount)
	}
}

// A read request names ids or a time, never both or neither; at most MaxMark ids, each an event id. A
// refused request touches no storage.
func testReadRequestValidation(t *testing.T, ddb *testenv.DynamoEnv) {
	f := newFixture(t, ddb)
	f.invitations(t, f.c("budi"), 1)
	now := f.now
	good := func() string { return customerevent.NewID(now) }
	many := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = good()
		}
		return out
	}
	refused := []struct {
		name string
		req  inbox.ReadRequest
		want []failure.FieldError
	}{
		{"neither", inbox.ReadRequest{}, []failure.FieldError{{Field: "ids", Code: "notification_ids"}}},
		{"both", inbox.ReadRequest{IDs: []string{good()}, UpTo: &now}, []failure.FieldError{{Field: "ids", Code: "notification_ids"}}},
		{"too many", inbox.ReadRequest{IDs: many(inbox.MaxMark + 1)}, []failure.FieldError{{Field: "ids", Code: "max", Param: "40"}}},
		{"bad ids", inbox.ReadRequest{IDs: []string{good(), "EVT-1", good(), "TKT-AAAAAAAAAAAAAAAA"}},
			[]failure.FieldError{{Field: "ids[1]", Code: "notification_id"}, {Field: "ids[3]", Code: "notification_id"}}},
		{"one bad id", inbox.ReadRequest{IDs: []string{strings.Replace(good(), "EVT-", "EVX-", 1)}},
			[]failure.FieldError{{Field: "ids[0]", Code: "notification_id"}}},
	}
	f.db.counterOutage = true // a refused request never gets as far as storage
	for _, c := range refused {
		_, err := f.svc.MarkRead(context.Background(), f.c("budi"), c.req)
		fe, ok := failure.As(err)
		if !ok || fe.Kind != failure.KindInvalid || !sameFields(fe.Fields, c.want) {
			t.Errorf("%s: %v (%+v), want invalid %+v", c.name, err, fe, c.want)
		}
	}
	f.db.counterOutage = false
	accepted := []struct {
		name string
		req  inbox.ReadRequest
	}{
		{"one id", inbox.ReadRequest{IDs: many(1)}},
		{"MaxMark ids", inbox.ReadRequest{IDs: many(inbox.MaxMark)}},
		{"a time", inbox.ReadRequest{UpTo: &now}},
	}
	for _, c := range accepted {
		if _, err := f.svc.MarkRead(context.Background(), f.c("budi"), c.req); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func sameFields(got, want []failure.FieldError) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// A storage failure is the caller's failure, never an empty inbox or a read that did not happen.
func testStorageFailuresAreReported(t *testing.T, ddb *testenv.DynamoEnv) {
	f := newFixture(t, ddb)
	f.invitations(t, f.c("budi"), 2)
	id := f.list(t, f.c("budi")).Items[0].Event.ID
	now := f.now

	f.db.listOutage = true
	if p, err := f.svc.List(context.Background(), f.c("budi"), 10, ""); !errors.Is(err, errOutage) {
		t.Errorf("list while the items are out: %+v, %v", p, err)
	}
	f.db.listOutage = false
	f.db.counterOutage = true
	if p, err := f.svc.List(context.Background(), f.c("budi"), 10, ""); !errors.Is(err, errOutage) {
		t.Errorf("list while the counters are out: %+v, %v", p, err)
	}
	for _, req := range []inbox.ReadRequest{{IDs: []string{id}}, {UpTo: &now}} {
		if r, err := f.svc.MarkRead(context.Background(), f.c("budi"), req); !errors.Is(err, errOutage) {
			t.Errorf("mark read %+v while the counters are out: %+v, %v", req, r, err)
		}
	}
	f.db.counterOutage = false
	f.db.itemsOutage = true
	for _, req := range []inbox.ReadRequest{{IDs: []string{id}}, {UpTo: &now}} {
		if r, err := f.svc.MarkRead(context.Background(), f.c("budi"), req); !errors.Is(err, errOutage) {
			t.Errorf("mark read %+v while its items cannot be read: %+v, %v", req, r, err)
		}
	}
	f.db.itemsOutage = false
	if p := f.list(t, f.c("budi")); p.UnreadCount != 2 {
		t.Fatalf("a failed request marked something: %+v", p)
	}

	// Without the table, nothing works, and nothing claims to.
	gone := inbox.NewService(dynamostore.NewInbox(f.ddb.Client, f.ddb.SupportTable+"-missing"), func() time.Time { return now })
	if p, err := gone.List(context.Background(), f.c("budi"), 10, ""); err == nil {
		t.Errorf("list without a table: %+v", p)
	}
	for _, req := range []inbox.ReadRequest{{IDs: []string{id}}, {UpTo: &now}} {
		if r, err := gone.MarkRead(context.Background(), f.c("budi"), req); err == nil {
			t.Errorf("mark read %+v without a table: %+v", req, r)
		}
	}
}

// When another device of the customer marks an item read between this request's read and its write, the
// request reports the change instead of counting the item twice.
func testMarkReadRacingAnotherDeviceReportsTheChange(t *testing.T, ddb *testenv.DynamoEnv) {
	f := newFixture(t, ddb)
	f.invitations(t, f.c("budi"), 2)
	items := f.list(t, f.c("budi")).Items
	f.db.beforeWrite = func() {
		if r := f.markRead(t, f.c("budi"), inbox.ReadRequest{IDs: []string{items[0].Event.ID}}); r.Marked != 1 {
			t.Errorf("the other device marked %d", r.Marked)
		}
	}
	_, err := f.svc.MarkRead(context.Background(), f.c("budi"), inbox.ReadRequest{IDs: ids(items)})
	if !errors.Is(err, inbox.ErrChanged) {
		t.Fatalf("racing mark read: %v, want %v", err, inbox.ErrChanged)
	}
	if p := f.list(t, f.c("budi")); p.UnreadCount != 1 || unread(p.Items) != 1 {
		t.Fatalf("after the race: unread count %d, %d unread items; want 1 (only the other device's mark)", p.UnreadCount, unread(p.Items))
	}
}
