package dynamostore

import (
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/ticket"
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
