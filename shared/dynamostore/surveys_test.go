package dynamostore

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/order/ordertest"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/survey"
)

// putSubject writes a subject header the way the ticket and return stores do: the survey store relies only
// on its key, customerId and status.
func putSubject(t *testing.T, env *testenv.DynamoEnv, st survey.SubjectType, id, customer, status string) {
	t.Helper()
	item := subjectKey(st, id)
	item["customerId"], item["status"], item["entity"] = str(customer), str(status), str(string(st))
	if _, err := env.Client.PutItem(t.Context(), &dynamodb.PutItemInput{TableName: aws.String(env.SupportTable), Item: item}); err != nil {
		t.Fatal(err)
	}
}

func intp(v int) *int { return &v }

func sampleSurvey(st survey.SubjectType, id, customer string, csat int, at time.Time) survey.Survey {
	sv := survey.Survey{SubjectType: st, SubjectID: id, CustomerID: customer, CSAT: csat, SubmittedAt: at}
	sv.ServiceRecovery = sv.NeedsServiceRecovery()
	return sv
}

func TestSurveyStoreChecksSubjectAndKeepsOnePerSubject(t *testing.T) {
	env := testenv.DynamoDB(t)
	ctx := context.Background()
	store := NewSurveys(env.Client, env.SupportTable)
	at := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	if _, _, err := NewOrders(env.Client, env.SupportTable).Upsert(ctx, ordertest.Sample("O1", "budi", at.Add(-96*time.Hour))); err != nil {
		t.Fatal(err)
	}
	putSubject(t, env, survey.SubjectTicket, "T1", "budi", "resolved")
	putSubject(t, env, survey.SubjectTicket, "T2", "budi", "open")
	putSubject(t, env, survey.SubjectReturn, "R1", "siti", "refunded")

	create := func(sv survey.Survey) error { return store.Create(ctx, sv, sv.SubjectType.RateableStatuses()) }
	cases := []struct {
		name string
		sv   survey.Survey
		want *failure.Error
	}{
		{"own delivered order", sampleSurvey(survey.SubjectOrder, "O1", "budi", 5, at), nil},
		{"own resolved ticket", sampleSurvey(survey.SubjectTicket, "T1", "budi", 4, at), nil},
		{"second survey of the same ticket", sampleSurvey(survey.SubjectTicket, "T1", "budi", 1, at), survey.ErrAlreadySubmitted},
		{"someone else's rated ticket is not found, not a conflict", sampleSurvey(survey.SubjectTicket, "T1", "siti", 3, at), survey.ErrSubjectNotFound},
		{"someone else's return", sampleSurvey(survey.SubjectReturn, "R1", "budi", 3, at), survey.ErrSubjectNotFound},
		{"missing subject", sampleSurvey(survey.SubjectReturn, "R404", "budi", 3, at), survey.ErrSubjectNotFound},
		{"open ticket", sampleSurvey(survey.SubjectTicket, "T2", "budi", 3, at), survey.ErrSubjectNotRateable},
	}
	for _, c := range cases {
		err := create(c.sv)
		if c.want == nil && err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if fe, ok := failure.As(err); c.want != nil && (!ok || fe.Code != c.want.Code) {
			t.Errorf("%s: got %v, want %s", c.name, err, c.want.Code)
		}
	}

	got, err := store.Get(ctx, survey.SubjectTicket, "T1")
	if err != nil || got.CustomerID != "budi" || got.CSAT != 4 || !got.SubmittedAt.Equal(at) || got.CES != nil {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := store.Get(ctx, survey.SubjectTicket, "T2"); err != survey.ErrNotFound {
		t.Fatalf("unrated ticket: %v", err)
	}
}

// A service-recovery survey queues its escalation in the same transaction; a good one queues nothing.
func TestSurveyStoreQueuesServiceRecovery(t *testing.T) {
	env := testenv.DynamoDB(t)
	ctx := context.Background()
	store := NewSurveys(env.Client, env.SupportTable)
	at := time.Date(2026, 11, 2, 3, 4, 5, 0, time.UTC)
	putSubject(t, env, survey.SubjectTicket, "T1", "budi", "closed")
	putSubject(t, env, survey.SubjectReturn, "R1", "budi", "rejected")

	poor := sampleSurvey(survey.SubjectTicket, "T1", "budi", 2, at)
	if !poor.ServiceRecovery {
		t.Fatal("CSAT 2 should need service recovery")
	}
	fine := sampleSurvey(survey.SubjectReturn, "R1", "budi", 3, at)
	fine.NPS = intp(5) // a detractor without a comment: no recovery
	for _, sv := range []survey.Survey{poor, fine} {
		if err := store.Create(ctx, sv, sv.SubjectType.RateableStatuses()); err != nil {
			t.Fatal(err)
		}
	}
	out, err := env.Client.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(env.SupportTable), IndexName: aws.String("GSI1"),
		KeyConditionExpression:    aws.String("GSI1PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str("OUTBOX#PENDING")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Items) != 1 {
		t.Fatalf("%d outbox items, want 1", len(out.Items))
	}
	for name, want := range map[string]string{
		"PK": "ESCALATION#survey:ticket:T1:service_recovery", "reason": "service_recovery", "team": "customer_care",
		"priority": "high", "subjectType": "survey", "subjectId": "ticket:T1", "ticketId": "T1", "customerId": "budi",
		"createdAt": "2026-11-02T03:04:05Z",
	} {
		if got, _ := out.Items[0][name].(*types.AttributeValueMemberS); got == nil || got.Value != want {
			t.Errorf("%s = %v, want %s", name, out.Items[0][name], want)
		}
	}

	totals, err := NewMetrics(env.Client, env.SupportTable).Sum(ctx, []string{metrics.Day(at)})
	if err != nil {
		t.Fatal(err)
	}
	want := metrics.Totals{
		metrics.Surveys: 2, metrics.CSATResponses: 2, metrics.CSATScoreSum: 5, metrics.NPSResponses: 1,
		metrics.NPSDetractors: 1, metrics.ServiceRecoveries: 1, // escalations are counted by the consumer
	}
	assertTotals(t, totals, want)
}

func assertTotals(t *testing.T, got, want metrics.Totals) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %d, want %d", k, got[k], v)
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok && v != 0 {
			t.Errorf("unexpected counter %s = %d", k, v)
		}
	}
}

// contended cancels the first `fail` transactions as DynamoDB does when another transaction holds an item
// (here: the counter shard), then passes requests through.
type contended struct {
	DB
	fail, calls int
}

func (c *contended) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.calls++
	if c.calls <= c.fail {
		reasons := make([]types.CancellationReason, len(in.TransactItems))
		for i := range reasons {
			reasons[i].Code = aws.String("None")
		}
		reasons[surveyTxCounters].Code = aws.String("TransactionConflict")
		return nil, &types.TransactionCanceledException{Message: aws.String("Transaction cancelled"), CancellationReasons: reasons}
	}
	return c.DB.TransactWriteItems(ctx, in, o...)
}

// Losing a race on a counter shard is retried (on a fresh random shard); a survey that keeps losing gets a
// retryable 503-class failure and nothing is stored.
func TestSurveyStoreRetriesContention(t *testing.T) {
	env := testenv.DynamoDB(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	putSubject(t, env, survey.SubjectTicket, "T1", "budi", "resolved")
	putSubject(t, env, survey.SubjectTicket, "T2", "budi", "resolved")

	db := &contended{DB: env.Client, fail: 2}
	store := NewSurveys(db, env.SupportTable)
	if err := store.Create(ctx, sampleSurvey(survey.SubjectTicket, "T1", "budi", 5, at), []string{"resolved"}); err != nil || db.calls != 3 {
		t.Fatalf("err %v after %d calls", err, db.calls)
	}

	db = &contended{DB: env.Client, fail: 100}
	store = NewSurveys(db, env.SupportTable)
	err := store.Create(ctx, sampleSurvey(survey.SubjectTicket, "T2", "budi", 5, at), []string{"resolved"})
	if !failure.IsKind(err, failure.KindUnavailable) || db.calls != transactAttempts {
		t.Fatalf("err %v after %d calls", err, db.calls)
	}
	if _, err := store.Get(ctx, survey.SubjectTicket, "T2"); err != survey.ErrNotFound {
		t.Fatalf("stored anyway: %v", err)
	}
	totals, err := NewMetrics(env.Client, env.SupportTable).Sum(ctx, []string{metrics.Day(at)})
	if err != nil {
		t.Fatal(err)
	}
	assertTotals(t, totals, metrics.Totals{metrics.Surveys: 1, metrics.CSATResponses: 1, metrics.CSATSatisfied: 1, metrics.CSATScoreSum: 5})
}
