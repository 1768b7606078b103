package customereventlambda_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/customerevent"
	"github.com/tanggap/tanggap/shared/customerevent/inbox"
	"github.com/tanggap/tanggap/shared/customerevent/inboxapi"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/escalation/escalationtest"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/metrics/metricsapi"
	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/order/orderapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
	"github.com/tanggap/tanggap/shared/survey"
	"github.com/tanggap/tanggap/shared/survey/surveyapi"
)

// more APIs on the flow's table: the order upsert, surveys and the metrics report.
func (f *flow) handler(t *testing.T, routes []httpapi.Route) http.Handler {
	t.Helper()
	h, err := httpapi.New(httpapi.Options{Idempotency: idempotency.NewGuard(dynamostore.NewIdempotency(f.ddb.Client, f.ddb.IdempotencyTable))}, routes)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func orderBody(status string, updated time.Time) map[string]any {
	placed := time.Now().Add(-5 * 24 * time.Hour)
	ship := map[string]any{"status": "in_transit", "carrier": "JNE", "trackingNumber": "JNE1"}
	if status == "delivered" {
		ship = map[string]any{"status": "delivered", "carrier": "JNE", "trackingNumber": "JNE1", "deliveredAt": updated}
	}
	return map[string]any{
		"customerId": "andi", "email": "andi@example.co.id", "status": status, "placedAt": placed, "updatedAt": updated,
		"currency": "IDR", "paymentMethod": "ewallet", "shippingFee": 1500000, "shipment": ship,
		"lines": []map[string]any{{"lineId": "L1", "sku": "BTK-1", "name": "Kemeja Batik", "quantity": 1, "unitPrice": 18900000}},
	}
}

func (f *flow) surveyItem(t *testing.T, subject, id string) map[string]ddbtypes.AttributeValue {
	t.Helper()
	out, err := f.ddb.Client.GetItem(t.Context(), &dynamodb.GetItemInput{TableName: aws.String(f.ddb.SupportTable), ConsistentRead: aws.Bool(true),
		Key: map[string]ddbtypes.AttributeValue{
			"PK": &ddbtypes.AttributeValueMemberS{Value: "SURVEY#" + subject + "#" + id}, "SK": &ddbtypes.AttributeValueMemberS{Value: "#SURVEY"},
		}})
	if err != nil || out.Item == nil {
		t.Fatalf("survey item %s %s: %v", subject, id, err)
	}
	return out.Item
}

func (f *flow) responseRate(t *testing.T) metrics.SurveyResponseRates {
	t.Helper()
	h, err := httpapi.New(httpapi.Options{}, metricsapi.Routes(metrics.NewService(dynamostore.NewMetrics(f.ddb.Client, f.ddb.SupportTable), io.Discard, time.Now)))
	if err != nil {
		t.Fatal(err)
	}
	day := metrics.Day(time.Now())
	var rep metrics.Report
	apitest.Expect(t, h, apitest.Request{Method: "GET", Path: "/ops/metrics", Query: map[string]string{"from": day, "to": day},
		As: apitest.AsOperator("dewi")}, http.StatusOK).JSON(&rep)
	return rep.SurveyResponseRate
}

// The order upsert writes order.delivered only when it moves the order there, once however often the shop
// sends "delivered"; the relay invites once; the survey answering the invitation counts it in its own
// transaction, once (a second submission is refused, and the relay ignores survey items should one reach
// it); /ops/metrics shows the response rate.
func TestOrderDeliveredInvitesOnceAndTheAnswerCounts(t *testing.T) {
	msg := testenv.Messaging(t)
	f := newFlow(t, testenv.DynamoDB(t), msg)
	sub := escalationtest.Subscribe(t, msg.SQS, msg.SNS, msg.TopicARN("CustomerEventsTopic"), fmt.Sprintf("tg-orders-%d", time.Now().UnixNano()),
		`{"subjectType": ["order"]}`)
	orders := f.handler(t, orderapi.Routes(order.NewService(dynamostore.NewOrders(f.ddb.Client, f.ddb.SupportTable), returnpolicy.Default(), time.Now)))
	put := func(body any, want int) {
		apitest.Expect(t, orders, apitest.Request{Method: "PUT", Path: "/ops/orders/TGP-77", Resource: "/ops/orders/{orderId}", Body: body,
			As: apitest.AsOperator("integration")}, want)
	}
	t0 := time.Now().Add(-2 * time.Hour).Truncate(time.Millisecond)
	put(orderBody("shipped", t0), http.StatusCreated)
	if n := len(f.stored(t, "andi")); n != 0 {
		t.Fatalf("a shipped order wrote %d events", n)
	}
	put(orderBody("delivered", t0.Add(time.Hour)), http.StatusOK)
	put(orderBody("delivered", t0.Add(90*time.Minute)), http.StatusOK)
	items := f.stored(t, "andi")
	if len(items) != 1 || s(items[0], "type") != "order.delivered" || s(items[0], "subjectId") != "TGP-77" {
		t.Fatalf("events after two delivered upserts: %d", len(items))
	}

	for range 3 {
		f.sweep(t)
	}
	got := sub.Drain(t, 2*time.Second)
	var types []customerevent.Type
	for _, n := range got {
		types = append(types, decode(t, n).Type)
	}
	if fmt.Sprint(types) != "[order.delivered survey.invited]" {
		t.Fatalf("published %v", types)
	}
	// Publishing order.delivered again (a redelivered stream record) does not invite again.
	if failed := f.streamBatch(t, items); len(failed) != 0 {
		t.Fatalf("redelivery failed: %v", failed)
	}
	if n := len(f.stored(t, "andi")); n != 2 {
		t.Fatalf("%d events after the redelivery, want 2 (delivered, invited)", n)
	}

	surveys := f.handler(t, surveyapi.Routes(survey.NewService(dynamostore.NewSurveys(f.ddb.Client, f.ddb.SupportTable), time.Now, io.Discard)))
	apitest.Expect(t, surveys, apitest.Request{Method: "POST", Path: "/surveys", As: apitest.AsCustomer("andi"),
		Headers: map[string]string{"Idempotency-Key": "survey-1"},
		Body:    map[string]any{"subjectType": "order", "subjectId": "TGP-77", "csat": 5}}, http.StatusCreated)
	apitest.Expect(t, surveys, apitest.Request{Method: "POST", Path: "/surveys", As: apitest.AsCustomer("andi"),
		Headers: map[string]string{"Idempotency-Key": "survey-1b"},
		Body:    map[string]any{"subjectType": "order", "subjectId": "TGP-77", "csat": 1}}, http.StatusConflict)
	if failed := f.streamBatch(t, []map[string]ddbtypes.AttributeValue{f.surveyItem(t, "order", "TGP-77")}); len(failed) != 0 {
		t.Fatalf("survey record failed: %v", failed)
	}
	rate := f.responseRate(t)
	if o := rate.BySubjectType["order"]; o.Invited != 1 || o.Answered != 1 || o.Percent == nil || *o.Percent != 100 {
		t.Fatalf("order response rate %+v", o)
	}
	if rate.Overall.Invited != 1 || rate.Overall.Answered != 1 || rate.BySubjectType["ticket"].Invited != 0 {
		t.Fatalf("response rate %+v", rate)
	}
}

// A subject the customer already rated is not invited; a survey about a subject nobody invited is not counted
// as an answer.
func TestNoInvitationForASubjectAlreadyRated(t *testing.T) {
	msg := testenv.Messaging(t)
	f := newFlow(t, testenv.DynamoDB(t), msg)
	id := f.fileComplaint(t, "siti", "id")
	f.resolve(t, id)
	surveys := f.handler(t, surveyapi.Routes(survey.NewService(dynamostore.NewSurveys(f.ddb.Client, f.ddb.SupportTable), time.Now, io.Discard)))
	apitest.Expect(t, surveys, apitest.Request{Method: "POST", Path: "/surveys", As: apitest.AsCustomer("siti"),
		Headers: map[string]string{"Idempotency-Key": "survey-2"},
		Body:    map[string]any{"subjectType": "ticket", "subjectId": id, "csat": 4}}, http.StatusCreated)

	items := f.stored(t, "siti")
	if failed := f.streamBatch(t, append(items, f.surveyItem(t, "ticket", id))); len(failed) != 0 {
		t.Fatalf("stream batch failed: %v", failed)
	}
	var types []string
	for _, it := range f.stored(t, "siti") {
		types = append(types, s(it, "type"))
	}
	if fmt.Sprint(types) != "[ticket.resolved]" {
		t.Fatalf("events %v, want no invitation", types)
	}
	if rate := f.responseRate(t); rate.Overall.Invited != 0 || rate.Overall.Answered != 0 {
		raw, _ := json.Marshal(rate)
		t.Fatalf("response rate %s", raw)
	}
}

// An order the order system sent with "language": "en" notifies in English: its order.delivered event and
// survey invitation, on the topic and in the inbox, also after an update that no longer names the language.
// An order sent without one notifies in Indonesian.
func TestOrderEventsAreInTheOrdersLanguage(t *testing.T) {
	msg := testenv.Messaging(t)
	f := newFlow(t, testenv.DynamoDB(t), msg)
	sub := escalationtest.Subscribe(t, msg.SQS, msg.SNS, msg.TopicARN("CustomerEventsTopic"), fmt.Sprintf("tg-orders-en-%d", time.Now().UnixNano()),
		`{"subjectType": ["order"]}`)
	orders := f.handler(t, orderapi.Routes(order.NewService(dynamostore.NewOrders(f.ddb.Client, f.ddb.SupportTable), returnpolicy.Default(), time.Now)))
	put := func(id string, body map[string]any, want int) {
		apitest.Expect(t, orders, apitest.Request{Method: "PUT", Path: "/ops/orders/" + id, Resource: "/ops/orders/{orderId}", Body: body,
			As: apitest.AsOperator("integration")}, want)
	}
	t0 := time.Now().Add(-2 * time.Hour).Truncate(time.Millisecond)
	shipped := orderBody("shipped", t0)
	shipped["language"] = "en"
	put("TGP-EN", shipped, http.StatusCreated)
	put("TGP-EN", orderBody("delivered", t0.Add(time.Hour)), http.StatusOK) // no language: the stored one stays
	put("TGP-ID", orderBody("delivered", t0.Add(time.Hour)), http.StatusCreated)
	for range 3 {
		f.sweep(t)
	}

	want := map[string]map[customerevent.Type]string{
		"TGP-EN": {customerevent.OrderDelivered: "en:Order delivered", customerevent.SurveyInvited: "en:How was your order?"},
		"TGP-ID": {customerevent.OrderDelivered: "id:Pesanan sudah sampai", customerevent.SurveyInvited: "id:Bagaimana pesanan Anda?"},
	}
	published := map[string]map[customerevent.Type]string{"TGP-EN": {}, "TGP-ID": {}}
	for _, n := range sub.Drain(t, 2*time.Second) {
		e := decode(t, n)
		published[e.SubjectID][e.Type] = string(e.Language) + ":" + e.Title
	}
	if !reflect.DeepEqual(published, want) {
		t.Errorf("published %v, want %v", published, want)
	}

	inboxAPI := f.handler(t, inboxapi.Routes(inbox.NewService(dynamostore.NewInbox(f.ddb.Client, f.ddb.SupportTable), time.Now)))
	var page struct {
		Items []struct {
			Type, SubjectID, Language, Title, Text string
		}
	}
	apitest.Expect(t, inboxAPI, apitest.Request{Method: "GET", Path: "/notifications", As: apitest.AsCustomer("andi")}, http.StatusOK).JSON(&page)
	inboxed := map[string]map[customerevent.Type]string{"TGP-EN": {}, "TGP-ID": {}}
	for _, it := range page.Items {
		inboxed[it.SubjectID][customerevent.Type(it.Type)] = it.Language + ":" + it.Title
		if it.SubjectID == "TGP-EN" && it.Type == string(customerevent.OrderDelivered) && it.Text != "Order TGP-EN was delivered." {
			t.Errorf("English delivered text %q", it.Text)
		}
	}
	if !reflect.DeepEqual(inboxed, want) {
		t.Errorf("inbox %v, want %v", inboxed, want)
	}
}

// interleavedDB runs before once, just ahead of the first transaction through it.
type interleavedDB struct {
	dynamostore.DB
	once   sync.Once
	before func()
}

func (d *interleavedDB) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	d.once.Do(d.before)
	return d.DB.TransactWriteItems(ctx, in, o...)
}

// POST /surveys with an Idempotency-Key, as deployed: the relay invites the subject between the survey's read
// of the invitation ("none") and its commit. The commit fails its no-invitation check, the request reads and
// decides again (idempotency.ErrStale) and answers the invitation; the customer gets one 201, and the
// response rate counts the answer.
func TestASurveyRacingItsInvitationAnswersIt(t *testing.T) {
	msg := testenv.Messaging(t)
	f := newFlow(t, testenv.DynamoDB(t), msg)
	id := f.fileComplaint(t, "rina", "id")
	f.resolve(t, id)
	resolved := f.stored(t, "rina")
	inviteEvent, err := dynamostore.CustomerEventFromItem(resolved[len(resolved)-1])
	if err != nil || inviteEvent.Type != customerevent.TicketResolved {
		t.Fatalf("resolved event %+v %v", inviteEvent, err)
	}
	db := &interleavedDB{DB: f.ddb.Client, before: func() {
		if ok, err := f.store.Invite(t.Context(), customerevent.Invitation(inviteEvent)); !ok || err != nil {
			t.Errorf("invite: %v %v", ok, err)
		}
	}}
	h, err := httpapi.New(httpapi.Options{Idempotency: idempotency.NewGuard(dynamostore.NewIdempotency(db, f.ddb.IdempotencyTable))},
		surveyapi.Routes(survey.NewService(dynamostore.NewSurveys(db, f.ddb.SupportTable), time.Now, io.Discard)))
	if err != nil {
		t.Fatal(err)
	}
	apitest.Expect(t, h, apitest.Request{Method: "POST", Path: "/surveys", As: apitest.AsCustomer("rina"),
		Headers: map[string]string{"Idempotency-Key": "race-1"},
		Body:    map[string]any{"subjectType": "ticket", "subjectId": id, "csat": 4}}, http.StatusCreated)
	rate := f.responseRate(t)
	if tk := rate.BySubjectType["ticket"]; tk.Invited != 1 || tk.Answered != 1 {
		t.Fatalf("ticket response rate %+v", tk)
	}
}
