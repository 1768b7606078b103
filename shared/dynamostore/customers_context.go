package dynamostore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/platform/money"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/workspace/customer"
)

var _ customer.ContextStore = (*Customers)(nil)

// TicketContext reads, concurrently, the profile (GetItem), the last orders and earlier tickets (two GSI1
// Queries of the customer's partition, newest first, limited) and the open returns: the return entries
// among the newest customer.ContextReturnScan timeline entries (one Query; the filter discards orders,
// tickets and surveys within that bound), then those returns (one BatchGetItem) kept while open.
func (s *Customers) TicketContext(ctx context.Context, customerID, ticketID string) (customer.TicketContext, error) {
	var (
		out  customer.TicketContext
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	run := func(f func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	run(func() error {
		p, err := readProfile(ctx, s.db, s.table, customerID)
		if err == nil && p.Exists() {
			out.Profile = &p
		}
		return err
	})
	run(func() error {
		raw, _, err := queryGSI1Page(ctx, s.db, s.table, gsi1Listing{partition: customerPK(customerID), prefix: orderGSIPrefix,
			pk: orderPK, sk: orderHeaderSK, idAttr: "orderId"}, customer.ContextOrders, "")
		if err != nil {
			return fmt.Errorf("recent orders: %w", err)
		}
		var items []orderItem
		if err := attributevalue.UnmarshalListOfMaps(raw, &items); err != nil {
			return fmt.Errorf("decode recent orders: %w", err)
		}
		for _, it := range items {
			out.RecentOrders = append(out.RecentOrders, customer.OrderRef{ID: it.OrderID, PlacedAt: it.PlacedAt, Status: it.Status,
				Total: money.New(it.Subtotal+it.ShippingFee, it.Currency), Units: it.Units})
		}
		return nil
	})
	run(func() error {
		raw, _, err := queryGSI1Page(ctx, s.db, s.table, gsi1Listing{partition: customerPK(customerID), prefix: ticketGSIPrefix,
			pk: ticketPK, sk: ticketSK, idAttr: "ticketId"}, customer.ContextTickets+1, "")
		if err != nil {
			return fmt.Errorf("earlier tickets: %w", err)
		}
		var items []ticketItem
		if err := attributevalue.UnmarshalListOfMaps(raw, &items); err != nil {
			return fmt.Errorf("decode earlier tickets: %w", err)
		}
		for _, it := range items {
			if it.TicketID != ticketID && len(out.EarlierTickets) < customer.ContextTickets {
				out.EarlierTickets = append(out.EarlierTickets, customer.TicketRef{ID: it.TicketID, Subject: it.Subject,
					Status: it.Status, Priority: it.Priority, CreatedAt: it.CreatedAt})
			}
		}
		return nil
	})
	run(func() error {
		rets, err := s.openReturns(ctx, customerID)
		out.OpenReturns = rets
		return err
	})
	wg.Wait()
	if len(errs) > 0 {
		return customer.TicketContext{}, errors.Join(errs...)
	}
	return out, nil
}

func (s *Customers) openReturns(ctx context.Context, customerID string) ([]customer.ReturnRef, error) {
	q, err := s.db.Query(ctx, &dynamodb.QueryInput{
		TableName:                &s.table,
		KeyConditionExpression:   aws.String("PK = :pk AND begins_with(SK, :prefix)"),
		FilterExpression:         aws.String("#kind = :return"),
		ExpressionAttributeNames: map[string]string{"#kind": "kind"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": str(customerPK(customerID)), ":prefix": str(historyPrefix), ":return": str(customer.KindReturn),
		},
		ScanIndexForward: aws.Bool(false),
		Limit:            aws.Int32(customer.ContextReturnScan),
	})
	if err != nil {
		return nil, fmt.Errorf("customer returns: %w", err)
	}
	var keys []map[string]types.AttributeValue
	for _, it := range q.Items {
		if id, ok := it["refId"].(*types.AttributeValueMemberS); ok {
			keys = append(keys, referencedKey(customer.KindReturn, id.Value))
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	raw, err := batchGet(ctx, s.db, s.table, keys, defaultBatchRetry)
	if err != nil {
		return nil, fmt.Errorf("customer returns: %w", err)
	}
	var items []returnItem
	if err := attributevalue.UnmarshalListOfMaps(raw, &items); err != nil {
		return nil, fmt.Errorf("decode customer returns: %w", err)
	}
	var refs []customer.ReturnRef
	for _, it := range items {
		if !returns.Status(it.Status).AwaitsOps() {
			continue
		}
		total := it.Estimate.Total
		if it.Final != nil {
			total = it.Final.Total
		}
		refs = append(refs, customer.ReturnRef{ID: it.ReturnID, OrderID: it.OrderID, Status: it.Status,
			RequestedAt: it.CreatedAt, Refund: money.New(total, it.Currency)})
	}
	// BatchGetItem answers in no particular order: newest first, like the rest of the view.
	slices.SortFunc(refs, func(a, b customer.ReturnRef) int { return b.RequestedAt.Compare(a.RequestedAt) })
	return refs, nil
}
