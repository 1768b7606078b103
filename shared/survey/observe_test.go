package survey

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/platform/failure"
)

// The survey scores are graphed per service: the metric line names the surveys service as its one
// dimension, and carries it as a value, or CloudWatch files the scores under no service at all.
func TestSubmitMetricIsFiledUnderTheSurveysService(t *testing.T) {
	var emf strings.Builder
	svc := NewService(&keepStore{}, func() time.Time { return answeredAt }, &emf)
	if _, err := svc.Submit(context.Background(), "budi", Input{SubjectType: "order", SubjectID: "TGP-1", CSAT: num(5)}); err != nil {
		t.Fatal(err)
	}
	var line struct {
		AWS struct {
			CloudWatchMetrics []struct {
				Dimensions [][]string
			}
		} `json:"_aws"`
		Service string
	}
	if err := json.Unmarshal([]byte(emf.String()), &line); err != nil {
		t.Fatalf("EMF line %q: %v", emf.String(), err)
	}
	if len(line.AWS.CloudWatchMetrics) != 1 || !reflect.DeepEqual(line.AWS.CloudWatchMetrics[0].Dimensions, [][]string{{"Service"}}) ||
		line.Service != "surveys" {
		t.Errorf("EMF line %q: want the one dimension Service = surveys", emf.String())
	}
}

// An unknown subject type is refused with the types that are allowed, so the problem can say which.
func TestUnknownSubjectTypeNamesTheAllowedTypes(t *testing.T) {
	_, err := NewService(&keepStore{}, func() time.Time { return answeredAt }, nil).Submit(context.Background(), "budi",
		Input{SubjectType: "invoice", SubjectID: "TGP-1", CSAT: num(4)})
	fe, ok := failure.As(err)
	if !ok || len(fe.Fields) != 1 {
		t.Fatalf("err %v, want one field error", err)
	}
	if got := fe.Fields[0]; got != (failure.FieldError{Field: "subjectType", Code: "oneof", Param: "ticket return order"}) {
		t.Errorf("field error %+v, want subjectType oneof 'ticket return order'", got)
	}
}

// refusingStore answers a read the way DynamoDB answers a key it cannot hold (an over-long or malformed
// key is a ValidationException, a server error), and counts the reads.
type refusingStore struct {
	keepStore
	reads int
}

func (s *refusingStore) Get(_ context.Context, _ SubjectType, _ string) (Survey, error) {
	s.reads++
	return Survey{}, errors.New("ValidationException: key too large")
}

// A subject that cannot exist is not found without a read: the store is only asked for keys it can hold.
func TestGetMineAnswersAMalformedSubjectWithoutReading(t *testing.T) {
	store := &refusingStore{}
	svc := NewService(store, func() time.Time { return answeredAt }, nil)
	for _, c := range []struct {
		t  SubjectType
		id string
	}{{"shop", "TGP-1"}, {SubjectOrder, strings.Repeat("X", 2000)}, {SubjectTicket, "../TKT-1"}} {
		if _, err := svc.GetMine(context.Background(), "budi", c.t, c.id); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s %.20q: %v, want not found", c.t, c.id, err)
		}
	}
	if store.reads != 0 {
		t.Errorf("%d reads for subjects that cannot exist", store.reads)
	}
}

// A poor answer escalates in the same write as the survey, so one whose escalation could not be delivered
// (here: no customer to answer) is refused, not stored with an escalation the consumer would reject. A good
// answer raises no escalation and needs none to be valid.
func TestServiceRecoveryThatCannotEscalateIsNotStored(t *testing.T) {
	store := &keepStore{}
	svc := NewService(store, func() time.Time { return answeredAt }, nil)
	for _, who := range []string{"", "budi santoso", strings.Repeat("x", 2000)} {
		if _, err := svc.Submit(context.Background(), who, Input{SubjectType: "ticket", SubjectID: "TKT-1", CSAT: num(1)}); err == nil {
			t.Errorf("customer %.20q: a recovery survey was accepted", who)
		}
	}
	if len(store.created) != 0 {
		t.Fatalf("stored %+v", store.created)
	}
	if _, err := svc.Submit(context.Background(), "budi", Input{SubjectType: "ticket", SubjectID: "TKT-1", CSAT: num(1)}); err != nil || len(store.created) != 1 {
		t.Fatalf("a valid recovery survey: %v", err)
	}
}
