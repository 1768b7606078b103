package dynamostore

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/ticket"
	"github.com/tanggap/tanggap/shared/workspace/workqueue"
)

// GSI2 is the table's second global secondary index: overloaded and sparse. An item is in it only while
// it has GSI2PK/GSI2SK, and every item type that uses it owns a GSI2PK prefix:
//
//	QUEUE#TICKET#<team>#<lane>   <nextDue>#<createdAt>#<ticketId>   ticket queues (lane active|resolved; closed: absent)
//	QUEUE#RETURN#<status>        <createdAt>#<returnId>             return queues (requested, approved, received)
//
// A new user of GSI2 picks a prefix of its own (e.g. SLA#...) so its Queries, and its IAM LeadingKeys,
// never meet another type's items. GSI2SK starts with a fixed-width UTC time (sortableTime) wherever
// order matters. The projection is INCLUDE (gsi2Projected in template.yaml): what a queue page shows,
// never descriptions, timelines or audit trails, so notes and messages do not rewrite the index.
//
// Queue counters, one item per cell, updated in the transaction of every change that moves them:
//
//	QUEUECOUNT#TICKET#<team>#<priority>   #COUNTERS   open, unanswered (and breached, once a monitor keeps it)
//	QUEUECOUNT#RETURN#<status>            #COUNTERS   open
const (
	gsi2                 = "GSI2"
	ticketQueuePrefix    = "QUEUE#TICKET#"
	returnQueuePrefix    = "QUEUE#RETURN#"
	queueCountPrefix     = "QUEUECOUNT#"
	ticketQueueCountPfx  = queueCountPrefix + "TICKET#"
	returnQueueCountPfx  = queueCountPrefix + "RETURN#"
	entityQueueCounters  = "queue_counters"
	queueCounterOpenAttr = "open"
)

const sortableTimeLayout = "2006-01-02T15:04:05.000Z" // sortableTime's

func returnQueuePK(st returns.Status) string { return returnQueuePrefix + string(st) }

func ticketQueuePK(team escalation.Team, lane ticket.Lane) string {
	return ticketQueuePrefix + string(team) + "#" + string(lane)
}

// ticketQueueKeys are the ticket's GSI2 keys, or "" when it is in no queue. They are derived from the
// ticket's state only (ticket.QueueLane, ticket.NextDue): every write of a ticket header sets them.
func ticketQueueKeys(t ticket.Ticket) (pk, sk string) {
	lane := t.QueueLane()
	if lane == ticket.LaneNone {
		return "", ""
	}
	return ticketQueuePK(t.Team, lane), sortableTime(t.NextDue()) + "#" + sortableTime(t.CreatedAt) + "#" + t.ID
}

// returnQueueKeys are the return's GSI2 keys while it waits on the shop, oldest first; "" otherwise.
func returnQueueKeys(r returns.Return) (pk, sk string) {
	if !r.Status.AwaitsOps() {
		return "", ""
	}
	return returnQueuePK(r.Status), sortableTime(r.CreatedAt) + "#" + r.ID
}

// returnQueueCounterUpdates move a return from prev's queue to next's ("" prev: a new return).
func returnQueueCounterUpdates(table string, prev, next returns.Status) []types.TransactWriteItem {
	if prev == next {
		return nil
	}
	var items []types.TransactWriteItem
	if prev.AwaitsOps() {
		items = append(items, queueCounterUpdate(table, returnQueueCountPK(prev), map[string]int64{queueCounterOpenAttr: -1}))
	}
	if next.AwaitsOps() {
		items = append(items, queueCounterUpdate(table, returnQueueCountPK(next), map[string]int64{queueCounterOpenAttr: 1}))
	}
	return items
}

func ticketQueueCountPK(c ticket.QueueCell) string {
	return ticketQueueCountPfx + string(c.Team) + "#" + string(c.Priority)
}

// queueCounterUpdate adds deltas to the counter item pk.
func queueCounterUpdate(table, pk string, deltas map[string]int64) types.TransactWriteItem {
	names := make([]string, 0, len(deltas))
	for name := range deltas {
		names = append(names, name)
	}
	sort.Strings(names)
	exprNames := map[string]string{"#entity": "entity"}
	values := map[string]types.AttributeValue{":entity": str(entityQueueCounters)}
	adds := make([]string, 0, len(names))
	for i, name := range names {
		n, v := "#c"+strconv.Itoa(i), ":c"+strconv.Itoa(i)
		exprNames[n] = name
		values[v] = &types.AttributeValueMemberN{Value: strconv.FormatInt(deltas[name], 10)}
		adds = append(adds, n+" "+v)
	}
	return types.TransactWriteItem{Update: &types.Update{
		TableName:                 aws.String(table),
		Key:                       map[string]types.AttributeValue{"PK": str(pk), "SK": str(countersSK)},
		UpdateExpression:          aws.String("SET #entity = :entity ADD " + strings.Join(adds, ", ")),
		ExpressionAttributeNames:  exprNames,
		ExpressionAttributeValues: values,
	}}
}

// ticketQueueCounterUpdates are the counter updates of a change from before to after, in a stable order.
func ticketQueueCounterUpdates(table string, before, after ticket.Ticket) []types.TransactWriteItem {
	deltas := ticket.QueueDeltas(before, after)
	pks := make([]string, 0, len(deltas))
	byPK := map[string]map[string]int64{}
	for cell, d := range deltas {
		pk := ticketQueueCountPK(cell)
		pks = append(pks, pk)
		byPK[pk] = d
	}
	sort.Strings(pks)
	items := make([]types.TransactWriteItem, 0, len(pks))
	for _, pk := range pks {
		items = append(items, queueCounterUpdate(table, pk, byPK[pk]))
	}
	return items
}

// Queues reads the ops work queues: GSI2 pages and the queue counters.
type Queues struct {
	db    DB
	table string
}

var _ workqueue.Store = (*Queues)(nil)

// NewQueues returns the queue reader for table.
func NewQueues(db DB, table string) *Queues { return &Queues{db: db, table: table} }

// Bounds of GSI2SK: every queue sort key starts with a digit (a year).
const (
	gsi2SKMin = " "
	gsi2SKMax = "~"
)

// queueFilter collects a FilterExpression over projected attributes.
type queueFilter struct {
	parts  []string
	names  map[string]string
	values map[string]types.AttributeValue
}

func newQueueFilter() *queueFilter {
	return &queueFilter{names: map[string]string{}, values: map[string]types.AttributeValue{}}
}

// in adds "attr IN (values)" (nothing for an empty list).
func (f *queueFilter) in(attr string, vals []string) {
	if len(vals) == 0 {
		return
	}
	f.names["#"+attr] = attr
	ph := make([]string, len(vals))
	for i, v := range vals {
		ph[i] = ":" + attr + strconv.Itoa(i)
		f.values[ph[i]] = str(v)
	}
	f.parts = append(f.parts, "#"+attr+" IN ("+strings.Join(ph, ", ")+")")
}

// containsAny adds "contains(attr, v0) OR ..." for a set attribute.
func (f *queueFilter) containsAny(attr string, vals []string) {
	if len(vals) == 0 {
		return
	}
	f.names["#"+attr] = attr
	ors := make([]string, len(vals))
	for i, v := range vals {
		ph := ":" + attr + strconv.Itoa(i)
		f.values[ph] = str(v)
		ors[i] = "contains(#" + attr + ", " + ph + ")"
	}
	f.parts = append(f.parts, "("+strings.Join(ors, " OR ")+")")
}

func (f *queueFilter) absent(attr string) {
	f.names["#"+attr] = attr
	f.parts = append(f.parts, "attribute_not_exists(#"+attr+")")
}

func (f *queueFilter) apply(in *dynamodb.QueryInput) {
	if len(f.parts) == 0 {
		return
	}
	in.FilterExpression = aws.String(strings.Join(f.parts, " AND "))
	in.ExpressionAttributeNames = f.names
	for k, v := range f.values {
		in.ExpressionAttributeValues[k] = v
	}
}

// Tickets reads one page of a ticket view: one Query per partition, merged in key order.
func (s *Queues) Tickets(ctx context.Context, q workqueue.TicketQuery) (workqueue.TicketPage, error) {
	f := newQueueFilter()
	f.in("status", strs(q.Statuses))
	f.in("priority", strs(q.Priorities))
	f.in("channel", strs(q.Channels))
	f.in("category", strs(q.Categories))
	switch {
	case q.Assignee != "":
		f.in("assignedAgent", []string{q.Assignee})
	case q.Unassigned:
		f.absent("assignedAgent")
	}
	if q.Unanswered {
		f.absent("firstRespondedAt")
	}
	lo, hi := gsi2SKMin, gsi2SKMax
	if q.DueFrom != nil {
		lo = sortableTime(*q.DueFrom)
	}
	if q.DueBefore != nil {
		hi = sortableTime(*q.DueBefore)
	}
	pks := make([]string, len(q.Partitions))
	for i, p := range q.Partitions {
		pks[i] = ticketQueuePK(p.Team, p.Lane)
	}
	raw, next, err := s.page(ctx, pks, lo, hi, f, q.Limit, q.Cursor)
	if err != nil {
		return workqueue.TicketPage{}, fmt.Errorf("ticket queue: %w", err)
	}
	var items []ticketItem
	if err := attributevalue.UnmarshalListOfMaps(raw, &items); err != nil {
		return workqueue.TicketPage{}, fmt.Errorf("decode ticket queue: %w", err)
	}
	page := workqueue.TicketPage{Tickets: make([]ticket.Ticket, 0, len(items)), NextCursor: next}
	for _, it := range items {
		page.Tickets = append(page.Tickets, it.toTicket())
	}
	return page, nil
}

// Returns reads one page of a return queue: one Query.
func (s *Queues) Returns(ctx context.Context, q workqueue.ReturnQuery) (workqueue.ReturnPage, error) {
	f := newQueueFilter()
	f.in("resolution", strs(q.Resolutions))
	f.containsAny("reasons", q.Reasons)
	raw, next, err := s.page(ctx, []string{returnQueuePK(q.Status)}, gsi2SKMin, gsi2SKMax, f, q.Limit, q.Cursor)
	if err != nil {
		return workqueue.ReturnPage{}, fmt.Errorf("return queue: %w", err)
	}
	var items []returnItem
	if err := attributevalue.UnmarshalListOfMaps(raw, &items); err != nil {
		return workqueue.ReturnPage{}, fmt.Errorf("decode return queue: %w", err)
	}
	page := workqueue.ReturnPage{Returns: make([]returns.Return, 0, len(items)), NextCursor: next}
	for _, it := range items {
		page.Returns = append(page.Returns, it.toReturn())
	}
	return page, nil
}

// page reads up to limit items in GSI2SK order from the partitions pks, within [lo, hi] and after the
// cursor, one Query of at most limit+1 items per partition. With several partitions it only returns items
// up to the smallest key any partition stopped at (its frontier), so the cursor, the last key returned,
// never skips an item another partition has not read yet; a page may then be short, even empty, with a
// cursor that moves on.
func (s *Queues) page(ctx context.Context, pks []string, lo, hi string, f *queueFilter, limit int, cur string) ([]map[string]types.AttributeValue, string, error) {
	if cur != "" {
		c, err := decodeCursor(cur)
		if err != nil {
			return nil, "", err
		}
		if !strings.HasSuffix(c.SortKey, "#"+c.ID) || c.SortKey < gsi2SKMin || c.SortKey > gsi2SKMax {
			return nil, "", errBadCursor
		}
		// Strictly after the cursor: no key extends another by a character below "-" (ids are letters, digits
		// and "-"), so cursor+" " sorts after the cursor's key and before every later one.
		lo = max(lo, c.SortKey+" ")
	}
	type keyed struct {
		key  string
		item map[string]types.AttributeValue
	}
	var all []keyed
	frontier := ""
	if lo <= hi {
		for _, pk := range pks {
			in := &dynamodb.QueryInput{
				TableName: &s.table, IndexName: aws.String(gsi2),
				KeyConditionExpression:    aws.String("GSI2PK = :pk AND GSI2SK BETWEEN :lo AND :hi"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(pk), ":lo": str(lo), ":hi": str(hi)},
				Limit:                     aws.Int32(int32(limit + 1)),
			}
			f.apply(in)
			out, err := s.db.Query(ctx, in)
			if err != nil {
				return nil, "", err
			}
			for _, it := range out.Items {
				all = append(all, keyed{key: sAttrOf(it, "GSI2SK"), item: it})
			}
			if len(out.LastEvaluatedKey) > 0 {
				if k := sAttrOf(out.LastEvaluatedKey, "GSI2SK"); frontier == "" || k < frontier {
					frontier = k
				}
			}
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].key < all[j].key })
	if frontier != "" {
		n := sort.Search(len(all), func(i int) bool { return all[i].key > frontier })
		all = all[:n]
	}
	next := ""
	switch {
	case len(all) > limit:
		all = all[:limit]
		next = all[limit-1].key
	case frontier != "":
		next = frontier
	}
	items := make([]map[string]types.AttributeValue, len(all))
	for i, k := range all {
		items[i] = k.item
	}
	if next == "" {
		return items, "", nil
	}
	return items, encodeCursor(cursor{SortKey: next, ID: next[strings.LastIndex(next, "#")+1:]}), nil
}

func sAttrOf(item map[string]types.AttributeValue, name string) string {
	if v, ok := item[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

// Counters reads every queue counter item: a fixed set of keys (teams × priorities + return queues), one
// BatchGetItem, whatever the number of tickets.
func (s *Queues) Counters(ctx context.Context) (workqueue.Counters, error) {
	var keys []map[string]types.AttributeValue
	for _, team := range escalation.Teams {
		for _, p := range ticket.Priorities {
			keys = append(keys, map[string]types.AttributeValue{
				"PK": str(ticketQueueCountPK(ticket.QueueCell{Team: team, Priority: p})), "SK": str(countersSK)})
		}
	}
	for _, st := range workqueue.ReturnStatuses {
		keys = append(keys, map[string]types.AttributeValue{"PK": str(returnQueueCountPK(st)), "SK": str(countersSK)})
	}
	c := workqueue.Counters{Tickets: map[ticket.QueueCell]map[string]int64{}, Returns: map[returns.Status]int64{}}
	items, err := batchGet(ctx, s.db, s.table, keys, defaultBatchRetry)
	if err != nil {
		return workqueue.Counters{}, fmt.Errorf("queue counters: %w", err)
	}
	for _, it := range items {
		if err := addQueueCounters(&c, it); err != nil {
			return workqueue.Counters{}, err
		}
	}
	return c, nil
}

func returnQueueCountPK(st returns.Status) string { return returnQueueCountPfx + string(st) }

// addQueueCounters reads one counter item into c: every number attribute is a counter.
func addQueueCounters(c *workqueue.Counters, item map[string]types.AttributeValue) error {
	counts := map[string]int64{}
	for name, v := range item {
		if n, ok := v.(*types.AttributeValueMemberN); ok {
			x, err := strconv.ParseInt(n.Value, 10, 64)
			if err != nil {
				return fmt.Errorf("queue counter %s: %w", name, err)
			}
			counts[name] = x
		}
	}
	pk := sAttrOf(item, "PK")
	switch {
	case strings.HasPrefix(pk, ticketQueueCountPfx):
		team, p, ok := strings.Cut(strings.TrimPrefix(pk, ticketQueueCountPfx), "#")
		if !ok {
			return fmt.Errorf("queue counter %q: no priority", pk)
		}
		c.Tickets[ticket.QueueCell{Team: escalation.Team(team), Priority: ticket.Priority(p)}] = counts
	case strings.HasPrefix(pk, returnQueueCountPfx):
		c.Returns[returns.Status(strings.TrimPrefix(pk, returnQueueCountPfx))] = counts[queueCounterOpenAttr]
	default:
		return fmt.Errorf("queue counter %q: unknown key", pk)
	}
	return nil
}

// DueBefore reads the team's active tickets due before until: keys and priority only, through the
// window of the index that ends at until.
func (s *Queues) DueBefore(ctx context.Context, team escalation.Team, until time.Time) ([]workqueue.Due, error) {
	in := &dynamodb.QueryInput{
		TableName: &s.table, IndexName: aws.String(gsi2),
		KeyConditionExpression:   aws.String("GSI2PK = :pk AND GSI2SK < :until"),
		ProjectionExpression:     aws.String("GSI2SK, #priority"),
		ExpressionAttributeNames: map[string]string{"#priority": "priority"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": str(ticketQueuePK(team, ticket.LaneActive)), ":until": str(sortableTime(until)),
		},
	}
	var out []workqueue.Due
	for {
		res, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("due tickets of %s: %w", team, err)
		}
		for _, it := range res.Items {
			key := sAttrOf(it, "GSI2SK")
			at, err := time.Parse(sortableTimeLayout, key[:min(len(key), len(sortableTimeLayout))])
			if err != nil {
				return nil, fmt.Errorf("due tickets of %s: key %q: %w", team, key, err)
			}
			out = append(out, workqueue.Due{Priority: ticket.Priority(sAttrOf(it, "priority")), At: at})
		}
		if len(res.LastEvaluatedKey) == 0 {
			return out, nil
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}
