package dynamostore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/customerevent"
	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/ticket"
	"github.com/tanggap/tanggap/shared/workspace/customer"
)

// Tickets:
//
//	TICKET#<id>   #TICKET                   ticket header, entity=ticket
//	                                        GSI1: CUSTOMER#<customerId> / TICKET#<createdAt>#<id>
//	TICKET#<id>   EVENT#<at>#<seq>          timeline entry, entity=ticket_event, visibility public|internal
//
// Every change made through the ticket service is a transaction: an UpdateItem on the header conditional
// on `version` and `status`, the new timeline entries (seq = the new version, zero-padded, plus the
// entry's index), the day's metric counters, when the change escalates, the escalation outbox item, and
// the customer events it causes (customerevent.FromTicketChange).
//
// The escalation consumer records an escalation with RecordEscalation. It writes only the consumer-owned
// attributes (escalationStatus=escalated, escalationTeam, escalatedAt, escalationKeys) and does not bump
// `version`, so it never conflicts with an ops change; the service never writes those attributes back
// except when it queues a new escalation (escalationStatus=pending).

const (
	ticketSK          = "#TICKET"
	ticketEventPrefix = "EVENT#"
	ticketGSIPrefix   = "TICKET#"

	entityTicket      = "ticket"
	entityTicketEvent = "ticket_event"
)

func ticketPK(id string) string { return "TICKET#" + id }
func ticketGSI1SK(createdAt time.Time, id string) string {
	return ticketGSIPrefix + sortableTime(createdAt) + "#" + id
}

type ticketItem struct {
	PK     string `dynamodbav:"PK"`
	SK     string `dynamodbav:"SK"`
	GSI1PK string `dynamodbav:"GSI1PK"`
	GSI1SK string `dynamodbav:"GSI1SK"`
	GSI2PK string `dynamodbav:"GSI2PK,omitempty"` // queue keys: ticketQueueKeys
	GSI2SK string `dynamodbav:"GSI2SK,omitempty"`
	Entity string `dynamodbav:"entity"`

	TicketID        string `dynamodbav:"ticketId"`
	CustomerID      string `dynamodbav:"customerId"`
	CustomerName    string `dynamodbav:"customerName,omitempty"`
	CustomerContact string `dynamodbav:"customerContact,omitempty"`
	Language        string `dynamodbav:"language,omitempty"`
	Channel         string `dynamodbav:"channel"`
	Category        string `dynamodbav:"category"`
	Subject         string `dynamodbav:"subject"`
	Description     string `dynamodbav:"description"`
	OrderID         string `dynamodbav:"orderId,omitempty"`
	OrderTotal      int64  `dynamodbav:"orderTotal,omitempty"`
	OrderCurrency   string `dynamodbav:"orderCurrency,omitempty"`
	StatedUrgency   string `dynamodbav:"statedUrgency,omitempty"`

	Status          string   `dynamodbav:"status"`
	Priority        string   `dynamodbav:"priority"`
	PriorityReasons []string `dynamodbav:"priorityReasons"`
	Team            string   `dynamodbav:"team"`
	AssignedAgent   string   `dynamodbav:"assignedAgent,omitempty"`

	CreatedAt          time.Time  `dynamodbav:"createdAt"`
	UpdatedAt          time.Time  `dynamodbav:"updatedAt"`
	FirstResponseDueAt time.Time  `dynamodbav:"firstResponseDueAt"`
	ResolutionDueAt    time.Time  `dynamodbav:"resolutionDueAt"`
	FirstRespondedAt   *time.Time `dynamodbav:"firstRespondedAt,omitempty"`
	ResolvedAt         *time.Time `dynamodbav:"resolvedAt,omitempty"`
	FirstResolvedAt    *time.Time `dynamodbav:"firstResolvedAt,omitempty"`
	ClosedAt           *time.Time `dynamodbav:"closedAt,omitempty"`
	WaitingSince       *time.Time `dynamodbav:"waitingSince,omitempty"`
	AutoResolveAt      *time.Time `dynamodbav:"autoResolveAt,omitempty"`
	NextSLACheckAt     *time.Time `dynamodbav:"nextSlaCheckAt,omitempty"`
	SLAMarks           []string   `dynamodbav:"slaMarks,stringset,omitempty"`

	EscalationStatus   string     `dynamodbav:"escalationStatus"`
	EscalatedPriority  string     `dynamodbav:"escalatedPriority,omitempty"`
	EscalationDedupKey string     `dynamodbav:"escalationDedupKey,omitempty"`
	EscalationTeam     string     `dynamodbav:"escalationTeam,omitempty"`
	EscalatedAt        *time.Time `dynamodbav:"escalatedAt,omitempty"`
	EscalationKeys     []string   `dynamodbav:"escalationKeys,stringset,omitempty"`

	Version int64 `dynamodbav:"version"`
}

type ticketEventItem struct {
	PK         string    `dynamodbav:"PK"`
	SK         string    `dynamodbav:"SK"`
	Entity     string    `dynamodbav:"entity"`
	TicketID   string    `dynamodbav:"ticketId"`
	Type       string    `dynamodbav:"type"`
	Visibility string    `dynamodbav:"visibility"`
	Author     string    `dynamodbav:"author"`
	Actor      string    `dynamodbav:"actor,omitempty"`
	Body       string    `dynamodbav:"body,omitempty"`
	FromStatus string    `dynamodbav:"fromStatus,omitempty"`
	ToStatus   string    `dynamodbav:"toStatus,omitempty"`
	Priority   string    `dynamodbav:"priority,omitempty"`
	Team       string    `dynamodbav:"team,omitempty"`
	Agent      string    `dynamodbav:"agent,omitempty"`
	Target     string    `dynamodbav:"slaTarget,omitempty"`
	At         time.Time `dynamodbav:"at"`
}

// Tickets stores complaint tickets in the support table.
type Tickets struct {
	db    DB
	table string
}

var _ ticket.Store = (*Tickets)(nil)

// NewTickets returns the ticket store for table.
func NewTickets(db DB, table string) *Tickets { return &Tickets{db: db, table: table} }

func utc(t time.Time) time.Time { return t.UTC() }

func toTicketItem(t ticket.Ticket) ticketItem {
	queuePK, queueSK := ticketQueueKeys(t)
	return ticketItem{
		PK: ticketPK(t.ID), SK: ticketSK, GSI1PK: customerPK(t.CustomerID), GSI1SK: ticketGSI1SK(t.CreatedAt, t.ID),
		GSI2PK: queuePK, GSI2SK: queueSK, CustomerName: t.CustomerName, CustomerContact: t.CustomerContact, Language: t.Language,
		Entity: entityTicket, TicketID: t.ID, CustomerID: t.CustomerID, Channel: string(t.Channel), Category: string(t.Category),
		Subject: t.Subject, Description: t.Description, OrderID: t.OrderID, OrderTotal: t.OrderTotal, OrderCurrency: t.OrderCurrency,
		StatedUrgency: string(t.StatedUrgency), Status: string(t.Status), Priority: string(t.Priority),
		PriorityReasons: nonNil(t.PriorityReasons), Team: string(t.Team), AssignedAgent: t.AssignedAgent,
		CreatedAt: utc(t.CreatedAt), UpdatedAt: utc(t.UpdatedAt), FirstResponseDueAt: utc(t.FirstResponseDueAt),
		ResolutionDueAt: utc(t.ResolutionDueAt), FirstRespondedAt: utcPtr(t.FirstRespondedAt), ResolvedAt: utcPtr(t.ResolvedAt),
		FirstResolvedAt: utcPtr(t.FirstResolvedAt), ClosedAt: utcPtr(t.ClosedAt),
		WaitingSince: utcPtr(t.WaitingSince), AutoResolveAt: utcPtr(t.AutoResolveAt), NextSLACheckAt: utcPtr(t.NextSLACheckAt), SLAMarks: t.SLAMarks,
		EscalationStatus: string(t.EscalationStatus), EscalatedPriority: string(t.EscalatedPriority),
		EscalationDedupKey: t.EscalationDedupKey, EscalationTeam: string(t.EscalationTeam), EscalatedAt: utcPtr(t.EscalatedAt),
		Version: t.Version,
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (it ticketItem) toTicket() ticket.Ticket {
	return ticket.Ticket{
		ID: it.TicketID, CustomerID: it.CustomerID, CustomerName: it.CustomerName, CustomerContact: it.CustomerContact, Language: it.Language, Channel: ticket.Channel(it.Channel), Category: ticket.Category(it.Category),
		Subject: it.Subject, Description: it.Description, OrderID: it.OrderID, OrderTotal: it.OrderTotal, OrderCurrency: it.OrderCurrency,
		StatedUrgency: ticket.Priority(it.StatedUrgency), Status: ticket.Status(it.Status), Priority: ticket.Priority(it.Priority),
		PriorityReasons: it.PriorityReasons, Team: escalation.Team(it.Team), AssignedAgent: it.AssignedAgent,
		CreatedAt: it.CreatedAt, UpdatedAt: it.UpdatedAt, FirstResponseDueAt: it.FirstResponseDueAt, ResolutionDueAt: it.ResolutionDueAt,
		FirstRespondedAt: it.FirstRespondedAt, ResolvedAt: it.ResolvedAt, FirstResolvedAt: it.FirstResolvedAt, ClosedAt: it.ClosedAt,
		WaitingSince: it.WaitingSince, AutoResolveAt: it.AutoResolveAt, NextSLACheckAt: it.NextSLACheckAt, SLAMarks: it.SLAMarks,
		EscalationStatus: ticket.EscalationStatus(it.EscalationStatus), EscalatedPriority: ticket.Priority(it.EscalatedPriority),
		EscalationDedupKey: it.EscalationDedupKey, EscalationTeam: escalation.Team(it.EscalationTeam), EscalatedAt: it.EscalatedAt,
		Version: it.Version,
	}
}

// eventSK orders entries by time; seq keeps entries written at the same instant apart.
func eventSK(at time.Time, seq string) string {
	return ticketEventPrefix + sortableTime(at) + "#" + seq
}

func eventSeq(version int64, index int) string { return fmt.Sprintf("%06d-%d", version, index) }

func toEventItem(ticketID string, sk string, e ticket.Event) ticketEventItem {
	return ticketEventItem{
		PK: ticketPK(ticketID), SK: sk, Entity: entityTicketEvent, TicketID: ticketID, Type: string(e.Type),
		Visibility: string(e.Visibility), Author: e.Author, Actor: e.Actor, Body: e.Body, FromStatus: string(e.FromStatus),
		ToStatus: string(e.ToStatus), Priority: string(e.Priority), Team: string(e.Team), Agent: e.Agent, Target: e.Target, At: e.At.UTC(),
	}
}

func (it ticketEventItem) toEvent() ticket.Event {
	return ticket.Event{
		Type: ticket.EventType(it.Type), Visibility: ticket.Visibility(it.Visibility), Author: it.Author, Actor: it.Actor,
		Body: it.Body, FromStatus: ticket.Status(it.FromStatus), ToStatus: ticket.Status(it.ToStatus),
		Priority: ticket.Priority(it.Priority), Team: escalation.Team(it.Team), Agent: it.Agent, Target: it.Target, At: it.At,
	}
}

// changeItems are the timeline puts, counters (with the profile's retention deltas) and escalation
// outbox item of c.
func (s *Tickets) changeItems(c ticket.Change, deltas customer.Deltas) ([]types.TransactWriteItem, error) {
	var items []types.TransactWriteItem
	for i, e := range c.Events {
		av, err := attributevalue.MarshalMap(toEventItem(c.After.ID, eventSK(e.At, eventSeq(c.After.Version, i)), e))
		if err != nil {
			return nil, err
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{
			TableName: &s.table, Item: av, ConditionExpression: aws.String("attribute_not_exists(PK)"),
		}})
	}
	items = append(items, countersWithDeltas(s.table, c.At, c.Counters, deltas)...)
	items = append(items, ticketQueueCounterUpdates(s.table, c.Before, c.After)...)
	if c.Escalation != nil {
		if err := c.Escalation.Validate(); err != nil {
			return nil, err
		}
		items = append(items, escalationOutboxPut(s.table, *c.Escalation))
	}
	if item := slaCheckWrite(s.table, c.Before, c.After); item != nil {
		items = append(items, *item)
	}
	notices, err := customerEventWrites(s.table, customerevent.FromTicketChange(c))
	if err != nil {
		return nil, err
	}
	return append(items, notices...), nil
}

// Create puts the header (only if the id is new) with the change's entries, counters and escalation.
func (s *Tickets) Create(ctx context.Context, c ticket.Change) error {
	// Another change to the customer's profile between its read and the write: read it again (inside an
	// idempotent request the handler runs again instead).
	for attempt := 1; ; attempt++ {
		err := s.createOnce(ctx, c)
		if !errors.Is(err, ticket.ErrChanged) || attempt == upsertAttempts {
			return err
		}
	}
}

func (s *Tickets) createOnce(ctx context.Context, c ticket.Change) error {
	hv, err := attributevalue.MarshalMap(toTicketItem(c.After))
	if err != nil {
		return err
	}
	// The customer's profile counts the ticket and takes it as the month's support contact.
	p, err := readProfile(ctx, s.db, s.table, c.After.CustomerID)
	if err != nil {
		return err
	}
	pw, err := newProfileWrite(s.table, p, p.TicketFiled(c.After.ID, c.After.CreatedAt))
	if err != nil {
		return err
	}
	rest, err := s.changeItems(c, pw.deltas)
	if err != nil {
		return err
	}
	items := append([]types.TransactWriteItem{{Put: &types.Put{
		TableName: &s.table, Item: hv, ConditionExpression: aws.String("attribute_not_exists(PK)"),
	}}}, rest...)
	items = append(items, pw.put, historyPut(s.table, c.After.CustomerID, c.After.CreatedAt, HistoryTicket, c.After.ID, nil))
	return transactWrite(ctx, s.db, func() []types.TransactWriteItem { return items }, func(err error) (error, bool) {
		if profileConditionLost(items, err) {
			return ticket.ErrChanged, true
		}
		return fmt.Errorf("create ticket %s: %w", c.After.ID, err), false
	})
}

// Get reads the header, strongly consistent: customers see their own writes at once.
func (s *Tickets) Get(ctx context.Context, id string) (ticket.Ticket, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      &s.table,
		Key:            map[string]types.AttributeValue{"PK": str(ticketPK(id)), "SK": str(ticketSK)},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return ticket.Ticket{}, fmt.Errorf("get ticket %s: %w", id, err)
	}
	if len(out.Item) == 0 {
		return ticket.Ticket{}, ticket.ErrNotFound
	}
	var it ticketItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return ticket.Ticket{}, fmt.Errorf("decode ticket %s: %w", id, err)
	}
	return it.toTicket(), nil
}

// Read reads the header and every timeline entry (oldest first) in one strongly consistent query of the
// ticket's partition: "#TICKET" sorts before "EVENT#...".
func (s *Tickets) Read(ctx context.Context, id string) (ticket.Ticket, []ticket.Event, error) {
	in := &dynamodb.QueryInput{
		TableName:                 &s.table,
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(ticketPK(id))},
		ConsistentRead:            aws.Bool(true),
	}
	var header *ticketItem
	var events []ticket.Event
	for {
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return ticket.Ticket{}, nil, fmt.Errorf("read ticket %s: %w", id, err)
		}
		for _, raw := range out.Items {
			sk, _ := raw["SK"].(*types.AttributeValueMemberS)
			switch {
			case sk == nil:
			case sk.Value == ticketSK:
				header = &ticketItem{}
				if err := attributevalue.UnmarshalMap(raw, header); err != nil {
					return ticket.Ticket{}, nil, fmt.Errorf("decode ticket %s: %w", id, err)
				}
			case strings.HasPrefix(sk.Value, ticketEventPrefix):
				var it ticketEventItem
				if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
					return ticket.Ticket{}, nil, fmt.Errorf("decode ticket timeline %s: %w", id, err)
				}
				events = append(events, it.toEvent())
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	if header == nil {
		return ticket.Ticket{}, nil, ticket.ErrNotFound
	}
	return header.toTicket(), events, nil
}

// updateExpr collects SET and REMOVE clauses with placeholder names for every attribute.
type updateExpr struct {
	sets, removes, adds []string
	names               map[string]string
	values              map[string]types.AttributeValue
}

func newUpdateExpr() *updateExpr {
	return &updateExpr{names: map[string]string{}, values: map[string]types.AttributeValue{}}
}

func (u *updateExpr) set(attr string, v types.AttributeValue) {
	u.names["#"+attr] = attr
	u.values[":"+attr] = v
	u.sets = append(u.sets, "#"+attr+" = :"+attr)
}

func (u *updateExpr) remove(attr string) {
	u.names["#"+attr] = attr
	u.removes = append(u.removes, "#"+attr)
}

func (u *updateExpr) setString(attr, v string) {
	if v == "" {
		u.remove(attr)
		return
	}
	u.set(attr, str(v))
}

func timeAV(t time.Time) types.AttributeValue { return str(t.UTC().Format(time.RFC3339Nano)) }

func (u *updateExpr) setTime(attr string, t *time.Time) {
	if t == nil {
		u.remove(attr)
		return
	}
	u.set(attr, timeAV(*t))
}

func (u *updateExpr) String() string {
	var parts []string
	if len(u.sets) > 0 {
		parts = append(parts, "SET "+strings.Join(u.sets, ", "))
	}
	if len(u.removes) > 0 {
		parts = append(parts, "REMOVE "+strings.Join(u.removes, ", "))
	}
	if len(u.adds) > 0 {
		parts = append(parts, "ADD "+strings.Join(u.adds, ", "))
	}
	return strings.Join(parts, " ")
}

// Update writes c.After's mutable state, conditional on c.Before's version and status.
func (s *Tickets) Update(ctx context.Context, c ticket.Change) error {
	a := c.After
	u := newUpdateExpr()
	u.set("status", str(string(a.Status)))
	u.set("priority", str(string(a.Priority)))
	reasons, err := attributevalue.Marshal(nonNil(a.PriorityReasons))
	if err != nil {
		return err
	}
	u.set("priorityReasons", reasons)
	u.set("team", str(string(a.Team)))
	u.setString("assignedAgent", a.AssignedAgent)
	u.set("updatedAt", timeAV(a.UpdatedAt))
	u.set("firstResponseDueAt", timeAV(a.FirstResponseDueAt))
	u.set("resolutionDueAt", timeAV(a.ResolutionDueAt))
	u.setTime("firstRespondedAt", a.FirstRespondedAt)
	u.setTime("resolvedAt", a.ResolvedAt)
	u.setTime("firstResolvedAt", a.FirstResolvedAt)
	u.setTime("closedAt", a.ClosedAt)
	u.setTime("waitingSince", a.WaitingSince)
	u.setTime("autoResolveAt", a.AutoResolveAt)
	u.setTime("nextSlaCheckAt", a.NextSLACheckAt)
	u.set("version", num(a.Version))
	queuePK, queueSK := ticketQueueKeys(a)
	u.setString("GSI2PK", queuePK)
	u.setString("GSI2SK", queueSK)
	if c.Escalation != nil {
		// The consumer owns the other escalation attributes; a new escalation only marks itself pending.
		u.set("escalationStatus", str(string(a.EscalationStatus)))
		u.set("escalatedPriority", str(string(a.EscalatedPriority)))
		u.set("escalationDedupKey", str(a.EscalationDedupKey))
	}
	u.names["#expectStatus"] = "status"
	u.values[":expectVersion"] = num(c.Before.Version)
	u.values[":expectStatus"] = str(string(c.Before.Status))
	condition := "#version = :expectVersion AND #expectStatus = :expectStatus"
	if len(c.AddMarks) > 0 { // each SLA mark is set once: a second writer of the same mark fails
		u.names["#slaMarks"] = "slaMarks"
		u.values[":addMarks"] = &types.AttributeValueMemberSS{Value: c.AddMarks}
		u.adds = append(u.adds, "#slaMarks :addMarks")
		for i, m := range c.AddMarks {
			v := fmt.Sprintf(":mark%d", i)
			u.values[v] = str(m)
			condition += " AND NOT contains(#slaMarks, " + v + ")"
		}
	}

	var profile []types.TransactWriteItem
	var deltas customer.Deltas
	if c.Before.FirstResolvedAt == nil && c.After.FirstResolvedAt != nil {
		// The first resolution settles the retention split by SLA of the customer's month.
		p, err := readProfile(ctx, s.db, s.table, a.CustomerID)
		if err != nil {
			return err
		}
		pw, err := newProfileWrite(s.table, p, p.TicketResolved(a.ID, a.CreatedAt, *a.FirstResolvedAt, a.ResolutionDueAt))
		if err != nil {
			return err
		}
		profile, deltas = []types.TransactWriteItem{pw.put}, pw.deltas
	}
	rest, err := s.changeItems(c, deltas)
	if err != nil {
		return err
	}
	rest = append(rest, profile...)
	if c.MacroID != "" {
		rest = append(rest, macroUsage(s.table, c.MacroID))
	}
	items := append([]types.TransactWriteItem{{Update: &types.Update{
		TableName:                 &s.table,
		Key:                       map[string]types.AttributeValue{"PK": str(ticketPK(a.ID)), "SK": str(ticketSK)},
		UpdateExpression:          aws.String(u.String()),
		ConditionExpression:       aws.String(condition),
		ExpressionAttributeNames:  u.names,
		ExpressionAttributeValues: u.values,
	}}}, rest...)
	return transactWrite(ctx, s.db, func() []types.TransactWriteItem { return items }, func(err error) (error, bool) {
		if reasons := cancellationReasons(err); (len(reasons) > 0 && reasons[0] == "ConditionalCheckFailed") || isTransactionConflict(err) ||
			profileConditionLost(items, err) || (c.MacroID != "" && slices.Contains(reasons, "ConditionalCheckFailed")) {
			return ticket.ErrChanged, true
		}
		return fmt.Errorf("update ticket %s: %w", a.ID, err), false
	})
}

// ListByCustomer pages the customer's tickets through GSI1, newest first.
func (s *Tickets) ListByCustomer(ctx context.Context, customerID string, limit int, cur string) (ticket.Page, error) {
	raw, next, err := queryGSI1Page(ctx, s.db, s.table, gsi1Listing{
		partition: customerPK(customerID), prefix: ticketGSIPrefix, pk: ticketPK, sk: ticketSK, idAttr: "ticketId",
	}, limit, cur)
	if err != nil {
		return ticket.Page{}, fmt.Errorf("list tickets: %w", err)
	}
	var items []ticketItem
	if err := attributevalue.UnmarshalListOfMaps(raw, &items); err != nil {
		return ticket.Page{}, fmt.Errorf("decode tickets: %w", err)
	}
	page := ticket.Page{Tickets: make([]ticket.Ticket, 0, len(items)), NextCursor: next}
	for _, it := range items {
		page.Tickets = append(page.Tickets, it.toTicket())
	}
	return page, nil
}

// CountByCustomer counts the customer's tickets created in [from, to] with a COUNT query on GSI1.
func (s *Tickets) CountByCustomer(ctx context.Context, customerID string, from, to time.Time) (int, error) {
	in := &dynamodb.QueryInput{
		TableName:              &s.table,
		IndexName:              aws.String("GSI1"),
		KeyConditionExpression: aws.String("GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk":   str(customerPK(customerID)),
			":from": str(ticketGSIPrefix + sortableTime(from)),
			":to":   str(ticketGSIPrefix + sortableTime(to) + "#\uffff"),
		},
		Select: types.SelectCount,
	}
	n := 0
	for {
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return 0, fmt.Errorf("count tickets: %w", err)
		}
		n += int(out.Count)
		if len(out.LastEvaluatedKey) == 0 {
			return n, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// RecordEscalation marks the ticket escalated for dedupKey, once: it sets escalationStatus=escalated,
// escalationTeam=team and escalatedAt=at, adds dedupKey to escalationKeys and appends a public
// "escalated" timeline entry, in one transaction conditional on dedupKey not being recorded yet. It
// returns applied=false when dedupKey was already recorded (a redelivery), and ticket.ErrNotFound
// (a *failure.Error) when the ticket does not exist. The ticket's owning `team` is left alone: ops may
// have reassigned it since the escalation was queued.
func (s *Tickets) RecordEscalation(ctx context.Context, ticketID, dedupKey, team string, at time.Time) (bool, error) {
	sum := sha256.Sum256([]byte(dedupKey))
	ev, err := attributevalue.MarshalMap(toEventItem(ticketID, eventSK(at, "esc-"+hex.EncodeToString(sum[:8])), ticket.Event{
		Type: ticket.EventEscalated, Visibility: ticket.Public, Author: ticket.AuthorSystem, Team: escalation.Team(team), At: at,
	}))
	if err != nil {
		return false, err
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Update: &types.Update{
			TableName: &s.table,
			Key:       map[string]types.AttributeValue{"PK": str(ticketPK(ticketID)), "SK": str(ticketSK)},
			UpdateExpression: aws.String("SET escalationStatus = :escalated, escalationTeam = :team, escalatedAt = :at " +
				"ADD escalationKeys :keys"),
			ConditionExpression: aws.String("attribute_exists(PK) AND NOT contains(escalationKeys, :key)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":escalated": str(string(ticket.EscalationEscalated)), ":team": str(team), ":at": timeAV(at),
				":keys": &types.AttributeValueMemberSS{Value: []string{dedupKey}}, ":key": str(dedupKey),
			},
		}},
		{Put: &types.Put{TableName: &s.table, Item: ev, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
	}})
	if err == nil {
		return true, nil
	}
	reasons := cancellationReasons(err)
	if len(reasons) < 2 || (reasons[0] != "ConditionalCheckFailed" && reasons[1] != "ConditionalCheckFailed") {
		return false, fmt.Errorf("record escalation %s on ticket %s: %w", dedupKey, ticketID, err)
	}
	if _, gerr := s.Get(ctx, ticketID); gerr != nil {
		return false, gerr
	}
	return false, nil
}
