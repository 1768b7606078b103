package dynamostore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/survey"
)

// Surveys:
//
//	SURVEY#<subjectType>#<subjectId>   #SURVEY   one per subject (attribute_not_exists on create)
//
// A survey is written in ONE TransactWriteItems: a ConditionCheck that the subject's header item
// (ORDER#<id>/#ORDER, TICKET#<id>/#TICKET, RETURN#<id>/#RETURN) belongs to the customer and is in a
// rateable status, the survey Put, the subject's survey invitation as read just before (customerevents.go),
// the metric counters and, for service recovery, the escalation outbox item. The ConditionCheck returns the
// subject on failure, which tells "not yours" from "not finished".
//
// The invitation: an unanswered one is marked answered (only while it still is) and surveys_answered_<type>
// is added to the survey's counters; when there was none, a ConditionCheck that there still is none. The
// invitation transaction checks that no survey exists, so an invitation and a survey racing each other
// cannot both miss: one of the two transactions fails its condition, and a survey that lost reads again.

const surveySK = "#SURVEY"

func surveyPK(t survey.SubjectType, id string) string { return "SURVEY#" + string(t) + "#" + id }

// subjectKey is the header item of a survey's subject.
func subjectKey(t survey.SubjectType, id string) map[string]types.AttributeValue {
	upper := strings.ToUpper(string(t))
	return map[string]types.AttributeValue{"PK": str(upper + "#" + id), "SK": str("#" + upper)}
}

type surveyItem struct {
	PK              string    `dynamodbav:"PK"`
	SK              string    `dynamodbav:"SK"`
	Entity          string    `dynamodbav:"entity"`
	SubjectType     string    `dynamodbav:"subjectType"`
	SubjectID       string    `dynamodbav:"subjectId"`
	CustomerID      string    `dynamodbav:"customerId"`
	CSAT            int       `dynamodbav:"csat"`
	CES             *int      `dynamodbav:"ces,omitempty"`
	NPS             *int      `dynamodbav:"nps,omitempty"`
	Comment         string    `dynamodbav:"comment,omitempty"`
	SubmittedAt     time.Time `dynamodbav:"submittedAt"`
	ServiceRecovery bool      `dynamodbav:"serviceRecovery"`
}

// Surveys stores surveys in the support table.
type Surveys struct {
	db    DB
	table string
}

var _ survey.Store = (*Surveys)(nil)

// NewSurveys returns the survey store for table.
func NewSurveys(db DB, table string) *Surveys { return &Surveys{db: db, table: table} }

// Positions of the transaction items, for reading cancellation reasons.
const (
	surveyTxSubject = iota
	surveyTxSurvey
	surveyTxInvitation
	surveyTxCounters
	surveyTxOutbox
)

// surveyInvitation is the state of the subject's survey invitation when the survey was decided.
type surveyInvitation int

const (
	notInvited surveyInvitation = iota
	invitedUnanswered
	invitedAnswered
)

// errInvitationMoved: the subject was invited (or its invitation answered) between the read and the
// survey's transaction. Reading again decides afresh; if it escapes, the caller may retry (503).
var errInvitationMoved = failure.Unavailable("service_unavailable").Wrap(errors.New("survey invitation changed during the survey"))

// readInvitation reads the subject's invitation, strongly consistent.
func (s *Surveys) readInvitation(ctx context.Context, t survey.SubjectType, id string) (surveyInvitation, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &s.table, ConsistentRead: aws.Bool(true), Key: invitationKey(t, id),
		ProjectionExpression: aws.String("PK, answeredAt"),
	})
	switch {
	case err != nil:
		return 0, fmt.Errorf("read the survey invitation of %s:%s: %w", t, id, err)
	case len(out.Item) == 0:
		return notInvited, nil
	case out.Item["answeredAt"] != nil:
		return invitedAnswered, nil
	}
	return invitedUnanswered, nil
}

// invitationWrite keeps the invitation as read: marks an unanswered one answered, or checks that there is
// still none (an answered one is checked to stay answered; the survey Put fails then anyway).
func (s *Surveys) invitationWrite(sv survey.Survey, inv surveyInvitation) types.TransactWriteItem {
	key := invitationKey(sv.SubjectType, sv.SubjectID)
	switch inv {
	case invitedUnanswered:
		return types.TransactWriteItem{Update: &types.Update{
			TableName: &s.table, Key: key,
			UpdateExpression:          aws.String("SET answeredAt = :at"),
			ConditionExpression:       aws.String("attribute_exists(PK) AND attribute_not_exists(answeredAt)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":at": timeAV(sv.SubmittedAt)},
		}}
	case invitedAnswered:
		return types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
			TableName: &s.table, Key: key, ConditionExpression: aws.String("attribute_exists(answeredAt)"),
		}}
	}
	return types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
		TableName: &s.table, Key: key, ConditionExpression: aws.String("attribute_not_exists(PK)"),
	}}
}

// Create writes the survey in one transaction (see the file comment). A transaction cancelled only by
// contention is retried with a fresh counter shard (transactWrite); past the bound the caller gets a
// retryable 503, which also releases its Idempotency-Key.
func (s *Surveys) Create(ctx context.Context, sv survey.Survey, statuses []string) error {
	item, err := attributevalue.MarshalMap(surveyItem{
		PK: surveyPK(sv.SubjectType, sv.SubjectID), SK: surveySK, Entity: "survey",
		SubjectType: string(sv.SubjectType), SubjectID: sv.SubjectID, CustomerID: sv.CustomerID,
		CSAT: sv.CSAT, CES: sv.CES, NPS: sv.NPS, Comment: sv.Comment, SubmittedAt: sv.SubmittedAt.UTC(),
		ServiceRecovery: sv.ServiceRecovery,
	})
	if err != nil {
		return err
	}
	if len(statuses) == 0 {
		return survey.ErrSubjectNotRateable
	}
	values := map[string]types.AttributeValue{":cid": str(sv.CustomerID)}
	placeholders := make([]string, len(statuses))
	for i, st := range statuses {
		placeholders[i] = ":s" + strconv.Itoa(i)
		values[placeholders[i]] = str(st)
	}
	check := types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
		TableName:                           &s.table,
		Key:                                 subjectKey(sv.SubjectType, sv.SubjectID),
		ConditionExpression:                 aws.String("customerId = :cid AND #status IN (" + strings.Join(placeholders, ", ") + ")"),
		ExpressionAttributeNames:            map[string]string{"#status": "status"},
		ExpressionAttributeValues:           values,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}}
	put := types.TransactWriteItem{Put: &types.Put{
		TableName: &s.table, Item: item, ConditionExpression: aws.String("attribute_not_exists(PK)"),
	}}

	// An invitation that moved in between is read again once here; inside an idempotent request the
	// request itself reads and decides again (idempotency.ErrStale).
	for attempt := 1; ; attempt++ {
		inv, err := s.readInvitation(ctx, sv.SubjectType, sv.SubjectID)
		if err != nil {
			return err
		}
		err = s.create(ctx, sv, statuses, check, put, inv)
		if errors.Is(err, errInvitationMoved) && attempt < 2 && idempotency.PlanFrom(ctx) == nil {
			continue
		}
		return err
	}
}

func (s *Surveys) create(ctx context.Context, sv survey.Survey, statuses []string, check, put types.TransactWriteItem, inv surveyInvitation) error {
	counters := sv.Counters()
	if inv == invitedUnanswered {
		counters[metrics.SurveyAnsweredCounter(string(sv.SubjectType))] = 1
	}
	return transactWrite(ctx, s.db, func() []types.TransactWriteItem {
		items := []types.TransactWriteItem{check, put, s.invitationWrite(sv, inv), counterUpdate(s.table, sv.SubmittedAt, counters)}
		if sv.ServiceRecovery {
			items = append(items, escalationOutboxPut(s.table, sv.RecoveryEscalation()))
		}
		// The customer's profile and timeline (after the outbox, whose position explains failures).
		return append(items, surveyProfileUpdate(s.table, sv.CustomerID, sv.CSAT, sv.SubmittedAt),
			historyPut(s.table, sv.CustomerID, sv.SubmittedAt, HistorySurvey, string(sv.SubjectType)+"#"+sv.SubjectID,
				map[string]types.AttributeValue{"subjectType": str(string(sv.SubjectType)), "subjectId": str(sv.SubjectID), "csat": num(int64(sv.CSAT))}))
	}, func(err error) (error, bool) {
		reported := s.createFailure(sv, statuses, err)
		return reported, errors.Is(reported, errInvitationMoved)
	})
}

// createFailure explains a cancelled survey transaction. The subject check comes first: a survey on
// someone else's subject is "not found" even if that subject was already rated.
func (s *Surveys) createFailure(sv survey.Survey, statuses []string, err error) error {
	reasons := cancellationReasons(err)
	if len(reasons) == 0 {
		return fmt.Errorf("create survey %s: %w", sv.ID(), err)
	}
	if reasons[surveyTxSubject] == "ConditionalCheckFailed" {
		return subjectFailure(failedSubject(err), sv.CustomerID, statuses)
	}
	if reasons[surveyTxSurvey] == "ConditionalCheckFailed" ||
		(len(reasons) > surveyTxOutbox && reasons[surveyTxOutbox] == "ConditionalCheckFailed") {
		return survey.ErrAlreadySubmitted
	}
	if reasons[surveyTxInvitation] == "ConditionalCheckFailed" {
		return errInvitationMoved
	}
	if isTransactionConflict(err) {
		return failure.Unavailable("service_unavailable").Wrap(err)
	}
	return fmt.Errorf("create survey %s: %w (reasons %v)", sv.ID(), err, reasons)
}

// failedSubject is the subject item DynamoDB returns with the cancellation (ReturnValuesOnConditionCheckFailure
// ALL_OLD on the condition check); nil when the subject does not exist, since only an existing item is returned.
func failedSubject(err error) map[string]types.AttributeValue {
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) && len(tce.CancellationReasons) > surveyTxSubject {
		return tce.CancellationReasons[surveyTxSubject].Item
	}
	return nil
}

func subjectFailure(subject map[string]types.AttributeValue, customerID string, statuses []string) error {
	owner, _ := subject["customerId"].(*types.AttributeValueMemberS)
	if owner == nil || owner.Value != customerID {
		return survey.ErrSubjectNotFound
	}
	status, _ := subject["status"].(*types.AttributeValueMemberS)
	for _, st := range statuses {
		if status != nil && status.Value == st {
			// The subject changed between the write and this read: a retry will decide afresh.
			return failure.Unavailable("service_unavailable")
		}
	}
	return survey.ErrSubjectNotRateable
}

// Get reads the survey of a subject, strongly consistent so a customer sees their answer at once.
func (s *Surveys) Get(ctx context.Context, t survey.SubjectType, id string) (survey.Survey, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &s.table, ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{"PK": str(surveyPK(t, id)), "SK": str(surveySK)},
	})
	if err != nil {
		return survey.Survey{}, fmt.Errorf("get survey %s:%s: %w", t, id, err)
	}
	if len(out.Item) == 0 {
		return survey.Survey{}, survey.ErrNotFound
	}
	var it surveyItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return survey.Survey{}, fmt.Errorf("decode survey %s:%s: %w", t, id, err)
	}
	return survey.Survey{
		SubjectType: survey.SubjectType(it.SubjectType), SubjectID: it.SubjectID, CustomerID: it.CustomerID,
		CSAT: it.CSAT, CES: it.CES, NPS: it.NPS, Comment: it.Comment, SubmittedAt: it.SubmittedAt,
		ServiceRecovery: it.ServiceRecovery,
	}, nil
}
