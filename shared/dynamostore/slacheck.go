package dynamostore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/ticket"
)

// SLA checks: a sparse item per ticket that still has an SLA mark or an automatic resolution ahead,
//
//	TICKET#<id>   SLA_CHECK   entity=sla_check, checkAt
//	                          GSI2: SLA#<shard> / <checkAt>#<id>
//
// written (or deleted, when nothing is left to watch) in the same transaction as every ticket change that
// moves the ticket's next check time. The SLA monitor reads only the checks that are due, per shard, in
// time order through GSI2 (shared with other item kinds under their own prefixes), never a Scan. The
// shard is a hash of the ticket id, so the writes of a busy hour spread over SLACheckShards partitions.
const (
	slaCheckSK       = "SLA_CHECK"
	slaCheckGSIPfx   = "SLA#"
	entitySLACheck   = "sla_check"
	SLACheckShards   = 4
	slaCheckPageSize = 100
)

func slaCheckShard(ticketID string) int {
	return shardOf(ticketID, SLACheckShards)
}

func slaCheckGSI2PK(shard int) string { return slaCheckGSIPfx + strconv.Itoa(shard) }

type slaCheckItem struct {
	PK       string    `dynamodbav:"PK"`
	SK       string    `dynamodbav:"SK"`
	GSI2PK   string    `dynamodbav:"GSI2PK"`
	GSI2SK   string    `dynamodbav:"GSI2SK"`
	Entity   string    `dynamodbav:"entity"`
	TicketID string    `dynamodbav:"ticketId"`
	CheckAt  time.Time `dynamodbav:"checkAt"`
}

// slaCheckWrite is the put or delete of the ticket's check item when its next check time changed; nil
// when it did not. A new ticket (before version 0) without a check writes nothing.
func slaCheckWrite(table string, before, after ticket.Ticket) *types.TransactWriteItem {
	b, a := before.NextSLACheckAt, after.NextSLACheckAt
	if b == nil && a == nil || b != nil && a != nil && b.Equal(*a) {
		return nil
	}
	key := map[string]types.AttributeValue{"PK": str(ticketPK(after.ID)), "SK": str(slaCheckSK)}
	if a == nil {
		return &types.TransactWriteItem{Delete: &types.Delete{TableName: &table, Key: key}}
	}
	id := after.ID
	av, err := attributevalue.MarshalMap(slaCheckItem{PK: ticketPK(id), SK: slaCheckSK, GSI2PK: slaCheckGSI2PK(slaCheckShard(id)),
		GSI2SK: sortableTime(*a) + "#" + id, Entity: entitySLACheck, TicketID: id, CheckAt: a.UTC()})
	if err != nil { // a struct of strings and a time always marshals
		panic(err)
	}
	return &types.TransactWriteItem{Put: &types.Put{TableName: &table, Item: av}}
}

// DueSLAChecks lists the ids of tickets whose SLA check is due at now, oldest first per shard, at most
// limit per shard: one Query per shard (and page) on GSI2, never a Scan. Tickets are checked against
// their own header afterwards, so an index entry that lags a change does no harm.
func (s *Tickets) DueSLAChecks(ctx context.Context, now time.Time, limit int) ([]string, error) {
	var ids []string
	for shard := 0; shard < SLACheckShards; shard++ {
		in := &dynamodb.QueryInput{
			TableName:              &s.table,
			IndexName:              aws.String("GSI2"),
			KeyConditionExpression: aws.String("GSI2PK = :pk AND GSI2SK <= :now"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":pk": str(slaCheckGSI2PK(shard)), ":now": str(sortableTime(now) + "#\uffff"),
			},
			ProjectionExpression: aws.String("ticketId"),
			Limit:                aws.Int32(int32(min(limit, slaCheckPageSize))),
		}
		for n := 0; n < limit; {
			out, err := s.db.Query(ctx, in)
			if err != nil {
				return nil, fmt.Errorf("due SLA checks (shard %d): %w", shard, err)
			}
			for _, it := range out.Items {
				if v, ok := it["ticketId"].(*types.AttributeValueMemberS); ok && n < limit {
					ids = append(ids, v.Value)
					n++
				}
			}
			if len(out.LastEvaluatedKey) == 0 {
				break
			}
			in.ExclusiveStartKey = out.LastEvaluatedKey
		}
	}
	return ids, nil
}
