package ticket

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/randomid"
	"github.com/tanggap/tanggap/shared/ticket/calendar"
)

// Orders is the port to the orders a complaint may name.
type Orders interface {
	Get(ctx context.Context, id string) (order.Order, error)
}

// Service files complaints for customers and moves tickets through their life for ops.
type Service struct {
	store  Store
	orders Orders
	rules  Rules
	sla    SLA
	now    func() time.Time
	newID  func() string
	// Metrics receives a business metric line (EMF) per ticket filed, by priority; nil writes none.
	Metrics io.Writer
	// Calendars is the business calendar in force; nil is calendar.Default().
	Calendars CalendarSource
	// Policy is the at-risk share and the wait before a ticket waiting on the customer resolves.
	Policy SLAPolicy
}

// CalendarSource is the port to the business calendar (calendar.Cached reads it with a short cache).
type CalendarSource interface {
	Current(ctx context.Context) (calendar.Calendar, error)
}

// NewService wires a Service with DefaultSLAPolicy. now is injected so SLA due times are testable.
func NewService(store Store, orders Orders, rules Rules, sla SLA, now func() time.Time) *Service {
	return &Service{store: store, orders: orders, rules: rules, sla: sla, now: now, newID: IDs.New, Policy: DefaultSLAPolicy()}
}

func (s *Service) calendar(ctx context.Context) (calendar.Calendar, error) {
	if s.Calendars == nil {
		return calendar.Default(), nil
	}
	return s.Calendars.Current(ctx)
}

// IDs are ticket ids: "TKT-" and 80 random bits.
var IDs = randomid.NewKind("TKT-")

// Detail is a ticket with the timeline entries the caller may see.
type Detail struct {
	Ticket   Ticket
	Timeline []Event
}

// NewComplaint is what a customer files.
type NewComplaint struct {
	Channel       Channel
	Category      Category
	Subject       string
	Description   string
	OrderID       string
	StatedUrgency Priority
	// Who filed it, from the identity provider: kept on the ticket (the email only masked) for ops queues.
	CustomerName  string
	CustomerEmail string
	// Language is the one the customer filed in (Accept-Language); replies with a saved reply use it.
	Language string
}

// Failures specific to transitions.
var errInvalidTransition = failure.Conflict("ticket_invalid_transition")

func invalidTransition(from Status) error { return errInvalidTransition.With("status", string(from)) }

// text trims s and checks it is present and at most max characters.
func text(field, s string, max int, required bool) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "" && required:
		return "", failure.Invalid(failure.FieldError{Field: field, Code: "required"})
	case !utf8.ValidString(s):
		return "", failure.Invalid(failure.FieldError{Field: field, Code: "invalid"})
	case utf8.RuneCountInString(s) > max:
		return "", failure.Invalid(failure.FieldError{Field: field, Code: "max", Param: strconv.Itoa(max)})
	}
	return s, nil
}

// Create files a complaint: it derives priority and team, sets the SLA due times and, for a high or
// urgent ticket, queues the escalation in the same transaction.
func (s *Service) Create(ctx context.Context, customerID string, in NewComplaint) (Detail, error) {
	var err error
	if in.Subject, err = text("subject", in.Subject, MaxSubject, true); err != nil {
		return Detail{}, err
	}
	if in.Description, err = text("description", in.Description, MaxDescription, true); err != nil {
		return Detail{}, err
	}
	if !in.Category.Valid() {
		return Detail{}, failure.Invalid(failure.FieldError{Field: "category", Code: "invalid"})
	}
	if in.StatedUrgency != "" && !in.StatedUrgency.Valid() {
		return Detail{}, failure.Invalid(failure.FieldError{Field: "urgency", Code: "invalid"})
	}
	cal, err := s.calendar(ctx)
	if err != nil {
		return Detail{}, err
	}
	now := s.clock()
	t := Ticket{
		ID: s.newID(), CustomerID: customerID, Channel: in.Channel, Category: in.Category,
		CustomerName: customerName(in.CustomerName), CustomerContact: MaskEmail(in.CustomerEmail), Language: in.Language,
		Subject: in.Subject, Description: in.Description, StatedUrgency: in.StatedUrgency,
		Status: StatusOpen, EscalationStatus: EscalationNone, CreatedAt: now, UpdatedAt: now, Version: 1,
	}
	sig := Signals{Category: in.Category, Text: in.Subject + "\n" + in.Description, StatedUrgency: in.StatedUrgency}
	if in.OrderID != "" {
		o, err := s.orders.Get(ctx, in.OrderID)
		if failure.IsKind(err, failure.KindNotFound) || (err == nil && o.CustomerID != customerID) {
			return Detail{}, ErrOrderNotFound // someone else's order does not exist for this caller
		}
		if err != nil {
			return Detail{}, err
		}
		total := o.Total()
		t.OrderID, t.OrderTotal, t.OrderCurrency = o.ID, total.Amount, total.Currency
		sig.HasOrder, sig.OrderTotal, sig.OrderCurrency = true, total.Amount, total.Currency
	}
	if sig.EarlierTickets, err = s.store.CountByCustomer(ctx, customerID, now.Add(-s.rules.RepeatWindow), now); err != nil {
		return Detail{}, err
	}
	a := s.rules.Assess(sig)
	t.Priority, t.Team, t.PriorityReasons = a.Priority, a.Team, a.Reasons
	t.FirstResponseDueAt, t.ResolutionDueAt = s.sla.Due(cal, a.Priority, now)
	t.NextSLACheckAt = s.sla.NextCheck(cal, s.Policy, t)

	ch := Change{After: t, At: now,
		Events:   []Event{{Type: EventCreated, Visibility: Public, Author: AuthorCustomer, ToStatus: StatusOpen, Priority: t.Priority, At: now}},
		Counters: map[string]int64{metrics.TicketsCreated: 1, metrics.TicketsPriorityPfx + string(t.Priority): 1},
	}
	escalate(&ch)
	if err := s.store.Create(ctx, ch); err != nil {
		return Detail{}, err
	}
	metrics.CountEvent(ctx, s.Metrics, now, metrics.TicketsCreatedMetric, "complaints",
		metrics.Dimension{Name: "Priority", Value: string(t.Priority)})
	return Detail{Ticket: ch.After, Timeline: publicOnly(ch.Events)}, nil
}

func publicOnly(events []Event) []Event {
	out := make([]Event, 0, len(events))
	for _, e := range events {
		if e.Visibility == Public {
			out = append(out, e)
		}
	}
	return out
}

// customerName is the identity provider's name claim, trimmed and cut to a length a queue can show.
func customerName(name string) string {
	name = strings.TrimSpace(name)
	if !utf8.ValidString(name) {
		return ""
	}
	if r := []rune(name); len(r) > maxCustomerName {
		return string(r[:maxCustomerName])
	}
	return name
}

const maxCustomerName = 100

// escalate queues an escalation when the change leaves the ticket high or urgent and no escalation was
// sent for that priority (or a higher one) yet. Each ticket escalates at most once per reason, so the
// dedup key is derived from the ticket and the reason alone.
func escalate(ch *Change) {
	t := &ch.After
	if !t.Priority.Escalates() || t.Priority.Rank() <= t.EscalatedPriority.Rank() {
		return
	}
	reason := escalation.ReasonPriorityHigh
	if t.Priority == PriorityUrgent {
		reason = escalation.ReasonPriorityUrgent
	}
	key := escalation.DedupKey(escalation.SubjectTicket, t.ID, reason)
	ch.Escalation = &escalation.Escalation{
		DedupKey: key, Reason: reason, Team: t.Team, Priority: escalation.Priority(t.Priority),
		SubjectType: escalation.SubjectTicket, SubjectID: t.ID, TicketID: t.ID, CustomerID: t.CustomerID, CreatedAt: ch.At,
	}
	t.EscalationStatus, t.EscalatedPriority, t.EscalationDedupKey = EscalationPending, t.Priority, key
}

// ListMine pages the customer's tickets.
func (s *Service) ListMine(ctx context.Context, customerID string, limit int, cursor string) ([]Ticket, string, error) {
	page, err := s.store.ListByCustomer(ctx, customerID, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	return page.Tickets, page.NextCursor, nil
}

// GetMine returns the customer's ticket with its public timeline. Another customer's ticket is "not
// found", so its existence is not revealed.
func (s *Service) GetMine(ctx context.Context, customerID, id string) (Detail, error) {
	t, events, err := s.store.Read(ctx, id)
	if err != nil {
		return Detail{}, err
	}
	if t.CustomerID != customerID {
		return Detail{}, ErrNotFound
	}
	return Detail{Ticket: t, Timeline: publicOnly(events)}, nil
}

// Get returns any ticket with its full timeline, for ops.
func (s *Service) Get(ctx context.Context, id string) (Detail, error) {
	t, events, err := s.store.Read(ctx, id)
	if err != nil {
		return Detail{}, err
	}
	return Detail{Ticket: t, Timeline: events}, nil
}

// Now is the service clock, for views that judge SLA breaches.
func (s *Service) Now() time.Time { return s.now().UTC() }

// clock is the time changes are stamped with: UTC, to the millisecond that sort keys carry.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Millisecond) }

// maxAttempts bounds retries of a change that lost a race with another writer.
const maxAttempts = 3

// change reads the ticket with its timeline, lets decide build the change from what it read, and writes it
// conditionally, re-reading and deciding again when another writer got there first. It answers with the
// ticket after the change and its whole timeline (what was read plus the new entries), without reading
// its own write back: inside an idempotent request the write is only planned until the answer is stored.
func (s *Service) change(ctx context.Context, id string, decide func(before Ticket, now time.Time, cal calendar.Calendar) (Change, error)) (Detail, error) {
	cal, err := s.calendar(ctx)
	if err != nil {
		return Detail{}, err
	}
	for attempt := 1; ; attempt++ {
		before, events, err := s.store.Read(ctx, id)
		if err != nil {
			return Detail{}, err
		}
		ch, err := decide(before, s.clock(), cal)
		if err != nil {
			return Detail{}, err
		}
		if ch.After.Version == before.Version {
			return Detail{Ticket: before, Timeline: events}, nil // nothing to change
		}
		ch.After.NextSLACheckAt = s.sla.NextCheck(cal, s.Policy, ch.After)
		err = s.store.Update(ctx, ch)
		if err == nil {
			return Detail{Ticket: ch.After, Timeline: append(events, ch.Events...)}, nil
		}
		if !errors.Is(err, ErrChanged) || attempt == maxAttempts {
			return Detail{}, err
		}
	}
}

// next starts a change of before at now.
func next(before Ticket, now time.Time) Change {
	after := before
	after.PriorityReasons = append([]string(nil), before.PriorityReasons...)
	after.SLAMarks = append([]string(nil), before.SLAMarks...)
	after.Version = before.Version + 1
	after.UpdatedAt = now
	return Change{Before: before, After: after, At: now}
}

// PostMessage adds a customer follow-up. A follow-up on a resolved ticket reopens it with a fresh
// resolution promise; a closed ticket takes no more messages (the customer files a new complaint).
// Keywords in the message can raise the priority, which may escalate the ticket.
func (s *Service) PostMessage(ctx context.Context, customerID, id, message string) (Detail, error) {
	body, err := text("message", message, MaxMessage, true)
	if err != nil {
		return Detail{}, err
	}
	d, err := s.change(ctx, id, func(before Ticket, now time.Time, cal calendar.Calendar) (Change, error) {
		if before.CustomerID != customerID {
			return Change{}, ErrNotFound
		}
		if before.Status == StatusClosed {
			return Change{}, ErrClosed
		}
		if before.Version >= MaxVersion {
			return Change{}, ErrTooManyChanges
		}
		ch := next(before, now)
		ch.Events = append(ch.Events, Event{Type: EventCustomerMessage, Visibility: Public, Author: AuthorCustomer, Body: body, At: now})
		switch before.Status {
		case StatusResolved:
			s.reopen(&ch, cal, AuthorCustomer, "", now)
		case StatusWaitingOnCustomer:
			s.resume(&ch, cal, now, true)
		}
		if a, ok := s.rules.FollowUp(before.Priority, before.Category, body); ok {
			team := a.Team
			if before.AssignedAgent != "" {
				team = "" // an agent already owns it; ops decide whether to move it
			}
			s.reprioritise(&ch, cal, a.Priority, team, a.Reasons, AuthorSystem, "", now)
		}
		escalate(&ch)
		return ch, nil
	})
	if err != nil {
		return Detail{}, err
	}
	return Detail{Ticket: d.Ticket, Timeline: publicOnly(d.Timeline)}, nil
}

func (s *Service) reopen(ch *Change, cal calendar.Calendar, author, actor string, now time.Time) {
	from := ch.After.Status
	ch.After.Status, ch.After.ResolvedAt, ch.After.ClosedAt = StatusOpen, nil, nil
	// Reopened work gets a fresh resolution promise; the first-response promise was kept or broken already.
	tg := s.sla[ch.After.Priority]
	ch.After.ResolutionDueAt = tg.add(cal, now, tg.Resolution)
	ch.Events = append(ch.Events, Event{Type: EventReopened, Visibility: Public, Author: author, Actor: actor,
		FromStatus: from, ToStatus: StatusOpen, At: now})
}

// reprioritise sets p. Raising brings the due times forward to what p promises from now (never later
// than already promised); lowering keeps the promises made.
func (s *Service) reprioritise(ch *Change, cal calendar.Calendar, p Priority, team escalation.Team, reasons []string, author, actor string, now time.Time) {
	t := &ch.After
	if p.Rank() > t.Priority.Rank() {
		fr, res := s.sla.Due(cal, p, now)
		if t.FirstRespondedAt == nil && fr.Before(t.FirstResponseDueAt) {
			t.FirstResponseDueAt = fr
		}
		if res.Before(t.ResolutionDueAt) {
			t.ResolutionDueAt = res
		}
	}
	t.Priority = p
	t.PriorityReasons = append(t.PriorityReasons, reasons...)
	if team != "" {
		t.Team = team
	}
	ch.Events = append(ch.Events, Event{Type: EventPriorityChanged, Visibility: Public, Author: author, Actor: actor,
		Priority: p, Team: team, At: now})
}

// Operator actions. actor is the operator's name (identity.Operator.Name): every action is a timeline
// entry carrying it, which is the audit trail.

// Assign gives the ticket to an agent (by IAM principal ARN) and/or a team. Assigning an agent starts work.
func (s *Service) Assign(ctx context.Context, actor, id, agent string, team escalation.Team) (Detail, error) {
	if agent == "" && team == "" {
		return Detail{}, failure.Invalid(failure.FieldError{Field: "agent", Code: "required"})
	}
	if team != "" && !team.Valid() {
		return Detail{}, failure.Invalid(failure.FieldError{Field: "team", Code: "invalid"})
	}
	return s.opsChange(ctx, id, func(before Ticket, now time.Time, _ calendar.Calendar) (Change, error) {
		if !before.Status.Active() {
			return Change{}, invalidTransition(before.Status)
		}
		ch := next(before, now)
		if agent != "" {
			ch.After.AssignedAgent = agent
			if before.Status == StatusOpen {
				ch.After.Status = StatusInProgress
			}
		}
		if team != "" {
			ch.After.Team = team
		}
		ch.Events = append(ch.Events, Event{Type: EventAssigned, Visibility: Internal, Author: AuthorAgent, Actor: actor,
			Agent: agent, Team: team, FromStatus: before.Status, ToStatus: ch.After.Status, At: now})
		return ch, nil
	})
}

// Respond posts a public reply. The first public reply sets the first-response time and is counted. A
// reply to a ticket waiting on the customer takes it back (the resolution clock runs again).
func (s *Service) Respond(ctx context.Context, actor, id, message string) (Detail, error) {
	return s.reply(ctx, actor, id, message, false)
}

// RequestInfo posts a public reply that asks the customer for information: the ticket waits on the
// customer, its resolution clock stops, and it resolves by itself after Policy.AutoResolveDays business
// days without an answer (asking again restarts that wait).
func (s *Service) RequestInfo(ctx context.Context, actor, id, message string) (Detail, error) {
	return s.reply(ctx, actor, id, message, true)
}

func (s *Service) reply(ctx context.Context, actor, id, message string, wait bool) (Detail, error) {
	body, err := text("message", message, MaxMessage, true)
	if err != nil {
		return Detail{}, err
	}
	return s.respondWith(ctx, actor, id, func(context.Context, Ticket) (string, string, error) { return body, "", nil }, wait)
}

// Composer writes a reply from the ticket as read (a saved reply filled with its data); it returns the
// message and the saved reply's id.
type Composer func(ctx context.Context, t Ticket) (message, macroID string, err error)

// RespondWith is Respond with a message composed from the ticket it answers; the saved reply's usage is
// counted in the reply's transaction.
func (s *Service) RespondWith(ctx context.Context, actor, id string, compose Composer) (Detail, error) {
	return s.respondWith(ctx, actor, id, compose, false)
}

// RequestInfoWith is RequestInfo with a composed message (a saved reply).
func (s *Service) RequestInfoWith(ctx context.Context, actor, id string, compose Composer) (Detail, error) {
	return s.respondWith(ctx, actor, id, compose, true)
}

func (s *Service) respondWith(ctx context.Context, actor, id string, compose Composer, wait bool) (Detail, error) {
	return s.opsChange(ctx, id, func(before Ticket, now time.Time, cal calendar.Calendar) (Change, error) {
		if !before.Status.Active() {
			return Change{}, invalidTransition(before.Status)
		}
		message, macroID, err := compose(ctx, before)
		if err != nil {
			return Change{}, err
		}
		body, err := text("message", message, MaxMessage, true)
		if err != nil {
			return Change{}, err
		}
		ch := next(before, now)
		ch.MacroID = macroID
		s.firstResponse(&ch, cal, now)
		to := StatusInProgress
		if wait {
			to = StatusWaitingOnCustomer
		}
		ch.Events = append(ch.Events, Event{Type: EventAgentReply, Visibility: Public, Author: AuthorAgent, Actor: actor,
			Body: body, FromStatus: before.Status, ToStatus: to, At: now})
		switch {
		case wait:
			s.pause(&ch, cal, now)
		case before.Status == StatusWaitingOnCustomer:
			s.resume(&ch, cal, now, true)
		default:
			ch.After.Status = StatusInProgress
		}
		return ch, nil
	})
}

// pause stops the resolution clock (if it runs) and sets when the ticket resolves without an answer.
func (s *Service) pause(ch *Change, cal calendar.Calendar, now time.Time) {
	t := &ch.After
	auto := cal.AddDays(now, s.Policy.AutoResolveDays).UTC()
	t.AutoResolveAt = &auto
	if t.WaitingSince != nil {
		return
	}
	from := t.Status
	t.Status, t.WaitingSince = StatusWaitingOnCustomer, &now
	ch.Events = append(ch.Events, Event{Type: EventSLAPaused, Visibility: Public, Author: AuthorSystem, Target: TargetResolution,
		FromStatus: from, ToStatus: StatusWaitingOnCustomer, At: now})
}

// resume restarts the resolution clock of a ticket waiting on the customer: the due time moves by the
// time paused, in the target's clock (the target time left at the pause is left from now). A target
// already missed when the ticket paused stays missed. With event, the ticket goes back in progress with
// a public "sla_resumed" entry; without, the caller sets the status (a resolution).
func (s *Service) resume(ch *Change, cal calendar.Calendar, now time.Time, event bool) {
	t := &ch.After
	if t.WaitingSince == nil {
		return
	}
	if tg := s.sla[t.Priority]; t.WaitingSince.Before(t.ResolutionDueAt) {
		t.ResolutionDueAt = tg.add(cal, now, tg.between(cal, *t.WaitingSince, t.ResolutionDueAt))
	}
	t.WaitingSince, t.AutoResolveAt = nil, nil
	if event {
		from := t.Status
		t.Status = StatusInProgress
		ch.Events = append(ch.Events, Event{Type: EventSLAResumed, Visibility: Public, Author: AuthorSystem, Target: TargetResolution,
			FromStatus: from, ToStatus: StatusInProgress, At: now})
	}
}

// firstResponse records the first public reply: its calendar and business time, and whether the
// first-response target was met. A late answer the SLA monitor has not marked yet is marked breached here,
// in the same change, so each ticket's target is counted exactly once.
func (s *Service) firstResponse(ch *Change, cal calendar.Calendar, now time.Time) {
	if ch.After.FirstRespondedAt != nil {
		return
	}
	ch.After.FirstRespondedAt = &now
	took := now.Sub(ch.After.CreatedAt)
	business := cal.Between(ch.After.CreatedAt, now)
	addCounters(ch, map[string]int64{
		metrics.FirstResponses: 1, metrics.FirstResponseSecs: int64(took / time.Second),
		metrics.BucketCounter(metrics.FirstResponseBucket, metrics.FirstResponseBounds, took): 1,
		metrics.FirstResponseBusinessSecs: int64(business / time.Second),
		metrics.BucketCounter(metrics.FirstResponseBusinessBucket, metrics.FirstResponseBounds, business): 1,
	})
	s.judge(ch, TargetFirstResponse, ch.After.FirstResponseDueAt, now)
}

// judge counts a target's outcome when it is met: achieved on time; late and not yet marked breached by
// the monitor, breached (with the mark and its entry). A target the monitor marked was counted then.
func (s *Service) judge(ch *Change, target string, due, at time.Time) {
	p := string(ch.After.Priority)
	switch {
	case !at.After(due):
		addCounters(ch, map[string]int64{metrics.SLACounter(target, metrics.SLAAchieved, p): 1})
	case !ch.After.HasMark(target, MarkBreached):
		markBreached(ch, target, at)
	}
}

// markBreached sets the target's breached mark with its internal entry and counts the breach.
func markBreached(ch *Change, target string, at time.Time) {
	addMark(ch, target, MarkBreached, EventSLABreached, at)
	addCounters(ch, map[string]int64{metrics.SLACounter(target, metrics.SLABreached, string(ch.After.Priority)): 1})
}

func addMark(ch *Change, target, mark string, typ EventType, at time.Time) {
	ch.AddMarks = append(ch.AddMarks, markName(target, mark))
	ch.After.SLAMarks = append(ch.After.SLAMarks, markName(target, mark))
	ch.Events = append(ch.Events, Event{Type: typ, Visibility: Internal, Author: AuthorSystem, Target: target,
		Priority: ch.After.Priority, At: at})
}

func addCounters(ch *Change, deltas map[string]int64) {
	if ch.Counters == nil {
		ch.Counters = map[string]int64{}
	}
	for k, v := range deltas {
		ch.Counters[k] += v
	}
}

// Note adds an internal note, in any status; customers never see it.
func (s *Service) Note(ctx context.Context, actor, id, note string) (Detail, error) {
	body, err := text("note", note, MaxMessage, true)
	if err != nil {
		return Detail{}, err
	}
	return s.opsChange(ctx, id, func(before Ticket, now time.Time, _ calendar.Calendar) (Change, error) {
		ch := next(before, now)
		ch.Events = append(ch.Events, Event{Type: EventInternalNote, Visibility: Internal, Author: AuthorAgent, Actor: actor, Body: body, At: now})
		return ch, nil
	})
}

// Resolve marks the ticket resolved, with an optional public resolution message (which counts as the
// first response if there was none). Only a ticket's first resolution is counted in the metrics, timed
// from its creation, so reopen/resolve cycles do not inflate resolution figures.
func (s *Service) Resolve(ctx context.Context, actor, id, message string) (Detail, error) {
	body, err := text("message", message, MaxMessage, false)
	if err != nil {
		return Detail{}, err
	}
	return s.opsChange(ctx, id, func(before Ticket, now time.Time, cal calendar.Calendar) (Change, error) {
		if !before.Status.Active() {
			return Change{}, invalidTransition(before.Status)
		}
		ch := next(before, now)
		if body != "" {
			s.firstResponse(&ch, cal, now)
		}
		s.resolve(&ch, cal, now)
		ch.Events = append(ch.Events, Event{Type: EventResolved, Visibility: Public, Author: AuthorAgent, Actor: actor,
			Body: body, FromStatus: before.Status, ToStatus: StatusResolved, At: now})
		return ch, nil
	})
}

// resolve resolves the ticket at now. Only its first resolution is counted, timed from its creation in
// calendar and business time, with the resolution target's outcome (a ticket waiting on the customer is
// judged with the clock stopped at the pause).
func (s *Service) resolve(ch *Change, cal calendar.Calendar, now time.Time) {
	s.resume(ch, cal, now, false)
	t := &ch.After
	t.Status, t.ResolvedAt = StatusResolved, &now
	if t.FirstResolvedAt != nil {
		return
	}
	t.FirstResolvedAt = &now
	took := now.Sub(t.CreatedAt)
	business := cal.Between(t.CreatedAt, now)
	addCounters(ch, map[string]int64{
		metrics.Resolutions: 1, metrics.ResolutionSecs: int64(took / time.Second),
		metrics.BucketCounter(metrics.ResolutionBucket, metrics.ResolutionBounds, took): 1,
		metrics.ResolutionBusinessSecs: int64(business / time.Second),
		metrics.BucketCounter(metrics.ResolutionBusinessBucket, metrics.ResolutionBounds, business): 1,
	})
	s.judge(ch, TargetResolution, t.ResolutionDueAt, now)
}

// Close closes a resolved ticket.
func (s *Service) Close(ctx context.Context, actor, id string) (Detail, error) {
	return s.opsChange(ctx, id, func(before Ticket, now time.Time, _ calendar.Calendar) (Change, error) {
		if before.Status != StatusResolved {
			return Change{}, invalidTransition(before.Status)
		}
		ch := next(before, now)
		ch.After.Status, ch.After.ClosedAt = StatusClosed, &now
		ch.Events = append(ch.Events, Event{Type: EventClosed, Visibility: Public, Author: AuthorAgent, Actor: actor,
			FromStatus: before.Status, ToStatus: StatusClosed, At: now})
		return ch, nil
	})
}

// Reopen reopens a resolved or closed ticket; the optional reason is kept as an internal note.
func (s *Service) Reopen(ctx context.Context, actor, id, reason string) (Detail, error) {
	note, err := text("reason", reason, MaxMessage, false)
	if err != nil {
		return Detail{}, err
	}
	return s.opsChange(ctx, id, func(before Ticket, now time.Time, cal calendar.Calendar) (Change, error) {
		if before.Status != StatusResolved && before.Status != StatusClosed {
			return Change{}, invalidTransition(before.Status)
		}
		ch := next(before, now)
		s.reopen(&ch, cal, AuthorAgent, actor, now)
		if note != "" {
			ch.Events = append(ch.Events, Event{Type: EventInternalNote, Visibility: Internal, Author: AuthorAgent, Actor: actor, Body: note, At: now})
		}
		return ch, nil
	})
}

// SetPriority re-prioritises an open ticket; raising it to high or urgent escalates it (once per level).
func (s *Service) SetPriority(ctx context.Context, actor, id string, p Priority, reason string) (Detail, error) {
	if !p.Valid() {
		return Detail{}, failure.Invalid(failure.FieldError{Field: "priority", Code: "invalid"})
	}
	note, err := text("reason", reason, MaxMessage, false)
	if err != nil {
		return Detail{}, err
	}
	return s.opsChange(ctx, id, func(before Ticket, now time.Time, cal calendar.Calendar) (Change, error) {
		if !before.Status.Active() {
			return Change{}, invalidTransition(before.Status)
		}
		if before.Priority == p {
			return Change{Before: before, After: before}, nil
		}
		ch := next(before, now)
		s.reprioritise(&ch, cal, p, "", []string{"ops:" + string(p)}, AuthorAgent, actor, now)
		if note != "" {
			ch.Events = append(ch.Events, Event{Type: EventInternalNote, Visibility: Internal, Author: AuthorAgent, Actor: actor, Body: note, At: now})
		}
		escalate(&ch)
		return ch, nil
	})
}

func (s *Service) opsChange(ctx context.Context, id string, decide func(Ticket, time.Time, calendar.Calendar) (Change, error)) (Detail, error) {
	return s.change(ctx, id, decide)
}
