// Package survey is the customer's rating of the service once a ticket is resolved, a return refunded or
// an order delivered: CSAT, optionally CES and NPS, and a comment. A poor answer asks customer care to
// recover the relationship (service recovery) through the escalation outbox.
package survey

import (
	"context"
	"io"
	"math"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/platform/failure"
)

// SubjectType is what the customer rates.
type SubjectType string

const (
	SubjectTicket SubjectType = "ticket"
	SubjectReturn SubjectType = "return"
	SubjectOrder  SubjectType = "order"
)

// rateable are the subject statuses in which a survey is accepted: the service has been delivered.
// A rejected return is rateable too: an unhappy customer is who service recovery is for.
var rateable = map[SubjectType][]string{
	SubjectTicket: {"resolved", "closed"},
	SubjectReturn: {"refunded", "rejected"},
	SubjectOrder:  {"delivered"},
}

// Valid reports whether t is a known subject type.
func (t SubjectType) Valid() bool { _, ok := rateable[t]; return ok }

// RateableStatuses lists the statuses in which a subject of type t may be rated.
func (t SubjectType) RateableStatuses() []string { return append([]string(nil), rateable[t]...) }

// SubjectIDPattern keeps subject ids safe inside storage keys and URLs (the same shape as order ids).
var SubjectIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// Score ranges and the comment limit.
const (
	CSATMin, CSATMax = 1, 5
	CESMin, CESMax   = 1, 7
	NPSMin, NPSMax   = 0, 10
	MaxCommentChars  = 2000
)

// Survey is one customer's answer about one subject; there is at most one per subject.
type Survey struct {
	SubjectType SubjectType
	SubjectID   string
	CustomerID  string
	CSAT        int
	CES         *int
	NPS         *int
	Comment     string
	SubmittedAt time.Time
	// ServiceRecovery is set when the answer escalated to customer care.
	ServiceRecovery bool
}

// ID names the survey: one per subject, so the subject names it.
func (s Survey) ID() string { return string(s.SubjectType) + ":" + s.SubjectID }

// NeedsServiceRecovery: CSAT 1–2, or an NPS detractor (0–6) who explained why in a comment.
func (s Survey) NeedsServiceRecovery() bool {
	return s.CSAT <= 2 || (s.NPS != nil && *s.NPS <= 6 && strings.TrimSpace(s.Comment) != "")
}

// RecoveryEscalation is the escalation a service-recovery survey queues: customer care, high priority,
// once per survey (and so once per subject). A ticket survey names the ticket so ops see it there.
func (s Survey) RecoveryEscalation() escalation.Escalation {
	e := escalation.Escalation{
		DedupKey:    escalation.DedupKey(escalation.SubjectSurvey, s.ID(), escalation.ReasonServiceRecovery),
		Reason:      escalation.ReasonServiceRecovery,
		Team:        escalation.TeamCustomerCare,
		Priority:    escalation.PriorityHigh,
		SubjectType: escalation.SubjectSurvey,
		SubjectID:   s.ID(),
		CustomerID:  s.CustomerID,
		CreatedAt:   s.SubmittedAt,
	}
	if s.SubjectType == SubjectTicket {
		e.TicketID = s.SubjectID
	}
	return e
}

// Counters are the metric counter deltas the survey adds, in the same transaction as the survey.
func (s Survey) Counters() map[string]int64 {
	return metrics.SurveyCounters(s.CSAT, s.CES, s.NPS, s.ServiceRecovery)
}

// Failures.
var (
	ErrNotFound           = failure.NotFound("survey_not_found")
	ErrSubjectNotFound    = failure.NotFound("survey_subject_not_found")
	ErrSubjectNotRateable = failure.Rejected("survey_subject_not_rateable")
	ErrAlreadySubmitted   = failure.Conflict("survey_already_submitted")
)

// Store is the port to survey storage.
type Store interface {
	// Create stores s, its metric counters and, when s.ServiceRecovery, its escalation outbox item, all
	// or nothing — provided the subject belongs to s.CustomerID and has one of the statuses. It fails
	// with ErrSubjectNotFound (missing or someone else's), ErrSubjectNotRateable or ErrAlreadySubmitted.
	Create(ctx context.Context, s Survey, statuses []string) error
	// Get returns the survey of a subject, or ErrNotFound.
	Get(ctx context.Context, subjectType SubjectType, subjectID string) (Survey, error)
}

// Input is a survey as the customer submits it. Scores are numbers as sent, so a fraction or an
// out-of-range value gets the same clear message.
type Input struct {
	SubjectType string
	SubjectID   string
	CSAT        *float64
	CES         *float64
	NPS         *float64
	Comment     string
}

// Service takes and shows surveys.
type Service struct {
	store Store
	now   func() time.Time
	emf   io.Writer
}

// NewService wires a Service. Each accepted survey is written to emf as an Embedded Metric Format line
// (nil: not written).
func NewService(store Store, now func() time.Time, emf io.Writer) *Service {
	return &Service{store: store, now: now, emf: emf}
}

// Submit validates and stores the customer's survey.
func (s *Service) Submit(ctx context.Context, customerID string, in Input) (Survey, error) {
	sv, err := in.validate()
	if err != nil {
		return Survey{}, err
	}
	sv.CustomerID = customerID
	sv.SubmittedAt = s.now().UTC()
	sv.ServiceRecovery = sv.NeedsServiceRecovery()
	if sv.ServiceRecovery {
		if err := sv.RecoveryEscalation().Validate(); err != nil {
			return Survey{}, err // ids were validated above, so this is a bug, not bad input
		}
	}
	if err := s.store.Create(ctx, sv, sv.SubjectType.RateableStatuses()); err != nil {
		return Survey{}, err
	}
	if s.emf != nil {
		values := metrics.SurveyValues(sv.CSAT, sv.CES, sv.NPS, sv.ServiceRecovery)
		metrics.WriteAfterCommit(ctx, s.emf, sv.SubmittedAt, []metrics.Dimension{{Name: "Service", Value: "surveys"}}, values)
	}
	return sv, nil
}

// GetMine returns the customer's survey of a subject. Someone else's survey is "not found".
func (s *Service) GetMine(ctx context.Context, customerID string, subjectType SubjectType, subjectID string) (Survey, error) {
	if !subjectType.Valid() || !SubjectIDPattern.MatchString(subjectID) {
		return Survey{}, ErrNotFound
	}
	sv, err := s.store.Get(ctx, subjectType, subjectID)
	if err != nil {
		return Survey{}, err
	}
	if sv.CustomerID != customerID {
		return Survey{}, ErrNotFound
	}
	return sv, nil
}

// validate checks every field and reports all problems at once.
func (in Input) validate() (Survey, error) {
	var fields []failure.FieldError
	sv := Survey{SubjectType: SubjectType(in.SubjectType), SubjectID: in.SubjectID, Comment: strings.TrimSpace(in.Comment)}
	switch {
	case in.SubjectType == "":
		fields = append(fields, failure.FieldError{Field: "subjectType", Code: "required"})
	case !sv.SubjectType.Valid():
		fields = append(fields, failure.FieldError{Field: "subjectType", Code: "oneof", Param: "ticket return order"})
	}
	switch {
	case in.SubjectID == "":
		fields = append(fields, failure.FieldError{Field: "subjectId", Code: "required"})
	case !SubjectIDPattern.MatchString(in.SubjectID):
		fields = append(fields, failure.FieldError{Field: "subjectId", Code: "invalid"})
	}
	if in.CSAT == nil {
		fields = append(fields, failure.FieldError{Field: "csat", Code: "required"})
	} else if v, ok := score(*in.CSAT, CSATMin, CSATMax); ok {
		sv.CSAT = v
	} else {
		fields = append(fields, failure.FieldError{Field: "csat", Code: "csat_range"})
	}
	if in.CES != nil {
		if v, ok := score(*in.CES, CESMin, CESMax); ok {
			sv.CES = &v
		} else {
			fields = append(fields, failure.FieldError{Field: "ces", Code: "ces_range"})
		}
	}
	if in.NPS != nil {
		if v, ok := score(*in.NPS, NPSMin, NPSMax); ok {
			sv.NPS = &v
		} else {
			fields = append(fields, failure.FieldError{Field: "nps", Code: "nps_range"})
		}
	}
	if utf8.RuneCountInString(sv.Comment) > MaxCommentChars {
		fields = append(fields, failure.FieldError{Field: "comment", Code: "comment_length"})
	}
	if len(fields) > 0 {
		return Survey{}, failure.Invalid(fields...)
	}
	return sv, nil
}

// score accepts whole numbers in [lo, hi].
func score(f float64, lo, hi int) (int, bool) {
	if f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
		return 0, false
	}
	return int(f), true
}
