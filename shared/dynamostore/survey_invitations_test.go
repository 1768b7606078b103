package dynamostore

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/customerevent"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/survey"
)

// ticketInvitation is the survey.invited event the relay writes when ticket id is resolved.
func ticketInvitation(customer, id string, at time.Time) customerevent.Event {
	return customerevent.Invitation(customerevent.New(customerevent.TicketResolved, at, customer, customerevent.SubjectTicket, id, 30,
		i18n.Indonesian, customerevent.Data{TicketID: id, Status: "resolved"}))
}

// invitationState reads a ticket's invitation record: whether it exists and whether it was answered.
func invitationState(t *testing.T, env *testenv.DynamoEnv, id string) (invited, answered bool) {
	t.Helper()
	out, err := env.Client.GetItem(t.Context(), &dynamodb.GetItemInput{TableName: aws.String(env.SupportTable),
		ConsistentRead: aws.Bool(true), Key: invitationKey("ticket", id)})
	if err != nil {
		t.Fatal(err)
	}
	return len(out.Item) > 0, out.Item["answeredAt"] != nil
}

func surveyTotals(t *testing.T, env *testenv.DynamoEnv, at time.Time) metrics.Totals {
	t.Helper()
	totals, err := NewMetrics(env.Client, env.SupportTable).Sum(t.Context(), []string{metrics.Day(at)})
	if err != nil {
		t.Fatal(err)
	}
	return totals
}

// The survey's own transaction marks its invitation answered and counts it: once, since a second survey
// of the subject is refused whole. A survey nobody invited is stored without an answered count, and the
// subject is not invited afterwards.
func TestSurveyCountsItsInvitationAnsweredOnce(t *testing.T) {
	env := testenv.DynamoDB(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	surveys, invitations := NewSurveys(env.Client, env.SupportTable), NewCustomerEvents(env.Client, env.SupportTable)
	putSubject(t, env, survey.SubjectTicket, "T1", "budi", "resolved")
	putSubject(t, env, survey.SubjectTicket, "T2", "budi", "resolved")

	if ok, err := invitations.Invite(ctx, ticketInvitation("budi", "T1", at)); !ok || err != nil {
		t.Fatalf("invite: %v %v", ok, err)
	}
	if invited, answered := invitationState(t, env, "T1"); !invited || answered {
		t.Fatalf("before the survey: invited %v answered %v", invited, answered)
	}
	if err := surveys.Create(ctx, sampleSurvey(survey.SubjectTicket, "T1", "budi", 5, at.Add(time.Hour)), []string{"resolved"}); err != nil {
		t.Fatal(err)
	}
	if invited, answered := invitationState(t, env, "T1"); !invited || !answered {
		t.Fatalf("after the survey: invited %v answered %v", invited, answered)
	}
	err := surveys.Create(ctx, sampleSurvey(survey.SubjectTicket, "T1", "budi", 1, at.Add(2*time.Hour)), []string{"resolved"})
	if fe, ok := failure.As(err); !ok || fe.Code != survey.ErrAlreadySubmitted.Code {
		t.Fatalf("second survey: %v", err)
	}

	// Not invited: stored, counted as a survey, not as an answer; no invitation record appears.
	if err := surveys.Create(ctx, sampleSurvey(survey.SubjectTicket, "T2", "budi", 4, at.Add(time.Hour)), []string{"resolved"}); err != nil {
		t.Fatal(err)
	}
	if invited, _ := invitationState(t, env, "T2"); invited {
		t.Fatal("a survey without an invitation wrote one")
	}
	if ok, err := invitations.Invite(ctx, ticketInvitation("budi", "T2", at.Add(2*time.Hour))); ok || err != nil {
		t.Fatalf("invite after the survey: %v %v", ok, err)
	}
	assertTotals(t, surveyTotals(t, env, at), metrics.Totals{
		metrics.Surveys: 2, metrics.CSATResponses: 2, metrics.CSATSatisfied: 2, metrics.CSATScoreSum: 9,
		metrics.SurveyInvitedCounter("ticket"): 1, metrics.SurveyAnsweredCounter("ticket"): 1,
	})
}

// interleaved runs before once, just ahead of the first transaction: a write that lands between the
// survey's read of its invitation and its transaction.
type interleaved struct {
	DB
	once   sync.Once
	before func()
	tx     int
}

func (d *interleaved) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	d.once.Do(d.before)
	d.tx++
	return d.DB.TransactWriteItems(ctx, in, o...)
}

// An invitation written after the survey read "not invited" fails the survey's ConditionCheck; the survey
// reads again and answers the invitation instead of leaving it unanswered beside a survey.
func TestSurveyReadsAgainWhenInvitedMeanwhile(t *testing.T) {
	env := testenv.DynamoDB(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	putSubject(t, env, survey.SubjectTicket, "T1", "budi", "resolved")
	invitations := NewCustomerEvents(env.Client, env.SupportTable)
	db := &interleaved{DB: env.Client, before: func() {
		if ok, err := invitations.Invite(ctx, ticketInvitation("budi", "T1", at)); !ok || err != nil {
			t.Errorf("invite: %v %v", ok, err)
		}
	}}
	if err := NewSurveys(db, env.SupportTable).Create(ctx, sampleSurvey(survey.SubjectTicket, "T1", "budi", 5, at), []string{"resolved"}); err != nil {
		t.Fatal(err)
	}
	// The invitation's own transaction went through env.Client; the survey took two.
	if db.tx != 2 {
		t.Fatalf("%d survey transactions, want 2 (the raced one and the one after reading again)", db.tx)
	}
	if invited, answered := invitationState(t, env, "T1"); !invited || !answered {
		t.Fatalf("invited %v answered %v", invited, answered)
	}
	totals := surveyTotals(t, env, at)
	if totals[metrics.SurveyInvitedCounter("ticket")] != 1 || totals[metrics.SurveyAnsweredCounter("ticket")] != 1 {
		t.Fatalf("totals %v", totals)
	}
}

// Invitations and surveys of the same subjects, all at once: afterwards each subject has its survey and is
// either invited and answered, or not invited; never invited and unanswered beside a survey. The counters
// agree with the records.
func TestSurveyAndInvitationRaceNeverLeaveAnUnansweredInvitation(t *testing.T) {
	env := testenv.DynamoDB(t)
	ctx := context.Background()
	at := time.Now().UTC().Truncate(time.Millisecond)
	surveys, invitations := NewSurveys(env.Client, env.SupportTable), NewCustomerEvents(env.Client, env.SupportTable)
	const subjects = 24
	for i := range subjects {
		putSubject(t, env, survey.SubjectTicket, fmt.Sprintf("T%d", i), fmt.Sprintf("cust-%d", i), "resolved")
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*subjects)
	for i := range subjects {
		// A customer each: one customer's profile and inbox counter would make every pair queue behind the others.
		id, customer := fmt.Sprintf("T%d", i), fmt.Sprintf("cust-%d", i)
		wg.Add(2)
		go func() { // the relay: a failed invitation (contention) is tried again, as the stream and sweep do
			defer wg.Done()
			time.Sleep(time.Duration(i%4) * 100 * time.Millisecond) // so surveys win some of the races too
			for attempt := 0; ; attempt++ {
				_, err := invitations.Invite(ctx, ticketInvitation(customer, id, at))
				if err == nil {
					return
				}
				if attempt == 20 {
					errs <- fmt.Errorf("invite %s: %w", id, err)
					return
				}
			}
		}()
		go func() { // the customer: a retryable failure (503) is submitted again
			defer wg.Done()
			for attempt := 0; ; attempt++ {
				err := surveys.Create(ctx, sampleSurvey(survey.SubjectTicket, id, customer, 5, at), []string{"resolved"})
				if err == nil {
					return
				}
				// A decision (not found, already rated) is final; 503s and DynamoDB Local's lock timeouts
				// under load are what a client retries.
				if _, decided := failure.As(err); (decided && !failure.IsKind(err, failure.KindUnavailable)) || attempt == 20 {
					errs <- fmt.Errorf("survey %s: %w", id, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	invited := 0
	for i := range subjects {
		id := fmt.Sprintf("T%d", i)
		if _, err := surveys.Get(ctx, survey.SubjectTicket, id); err != nil {
			t.Errorf("%s: survey: %v", id, err)
		}
		inv, answered := invitationState(t, env, id)
		if inv && !answered {
			t.Errorf("%s: invited and unanswered beside its survey", id)
		}
		if inv {
			invited++
		}
	}
	totals := surveyTotals(t, env, at)
	if totals[metrics.SurveyInvitedCounter("ticket")] != int64(invited) || totals[metrics.SurveyAnsweredCounter("ticket")] != int64(invited) ||
		totals[metrics.Surveys] != subjects {
		t.Fatalf("%d invited records; totals %v", invited, totals)
	}
	t.Logf("%d of %d subjects invited (the others were rated first)", invited, subjects)
}
