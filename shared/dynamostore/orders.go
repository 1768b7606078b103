package dynamostore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/customerevent"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/order"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/workspace/customer"
)

const (
	orderHeaderSK   = "#ORDER"
	lineSKPrefix    = "LINE#"
	orderGSIPrefix  = "ORDER#"
	customerPKPrefx = "CUSTOMER#"
)

func orderPK(id string) string         { return "ORDER#" + id }
func lineSK(lineID string) string      { return lineSKPrefix + lineID }
func customerPK(id string) string      { return customerPKPrefx + id }
func orderGSI1SK(o order.Order) string { return orderGSIPrefix + sortableTime(o.PlacedAt) + "#" + o.ID }

type shipmentItem struct {
	Status         string     `dynamodbav:"status"`
	Carrier        string     `dynamodbav:"carrier,omitempty"`
	TrackingNumber string     `dynamodbav:"trackingNumber,omitempty"`
	ShippedAt      *time.Time `dynamodbav:"shippedAt,omitempty"`
	DeliveredAt    *time.Time `dynamodbav:"deliveredAt,omitempty"`
}

type orderItem struct {
	PK            string       `dynamodbav:"PK"`
	SK            string       `dynamodbav:"SK"`
	GSI1PK        string       `dynamodbav:"GSI1PK"`
	GSI1SK        string       `dynamodbav:"GSI1SK"`
	Entity        string       `dynamodbav:"entity"`
	OrderID       string       `dynamodbav:"orderId"`
	CustomerID    string       `dynamodbav:"customerId"`
	Email         string       `dynamodbav:"email"`
	Status        string       `dynamodbav:"status"`
	PlacedAt      time.Time    `dynamodbav:"placedAt"`
	UpdatedAtMs   int64        `dynamodbav:"updatedAtMs"`
	Currency      string       `dynamodbav:"currency"`
	PaymentMethod string       `dynamodbav:"paymentMethod"`
	ShippingFee   int64        `dynamodbav:"shippingFee"`
	Subtotal      int64        `dynamodbav:"subtotal"`
	Units         int          `dynamodbav:"units"`
	LinesHash     string       `dynamodbav:"linesHash"`
	Shipment      shipmentItem `dynamodbav:"shipment"`
	Language      string       `dynamodbav:"language,omitempty"` // the customer's, for the order's events
}

type lineItem struct {
	PK        string `dynamodbav:"PK"`
	SK        string `dynamodbav:"SK"`
	Entity    string `dynamodbav:"entity"`
	OrderID   string `dynamodbav:"orderId"`
	LineID    string `dynamodbav:"lineId"`
	Position  int    `dynamodbav:"position"`
	SKU       string `dynamodbav:"sku"`
	Name      string `dynamodbav:"name"`
	Quantity  int    `dynamodbav:"quantity"`
	UnitPrice int64  `dynamodbav:"unitPrice"`
	FinalSale bool   `dynamodbav:"finalSale"`
	Remaining int    `dynamodbav:"remaining"`
}

// Orders stores orders in the support table.
type Orders struct {
	db    DB
	table string
}

var _ order.Store = (*Orders)(nil)

// NewOrders returns the order store for table.
func NewOrders(db DB, table string) *Orders { return &Orders{db: db, table: table} }

// linesHash fingerprints what was bought, so an update can prove the lines did not change.
func linesHash(o order.Order) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", o.Currency)
	for _, l := range o.Lines {
		fmt.Fprintf(h, "%s|%s|%d|%d|%t\n", l.ID, l.SKU, l.Quantity, l.UnitPrice, l.FinalSale)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func toOrderItem(o order.Order) orderItem {
	return orderItem{
		PK: orderPK(o.ID), SK: orderHeaderSK, GSI1PK: customerPK(o.CustomerID), GSI1SK: orderGSI1SK(o),
		Entity: "order", OrderID: o.ID, CustomerID: o.CustomerID, Email: o.Email, Status: string(o.Status),
		PlacedAt: o.PlacedAt.UTC(), UpdatedAtMs: o.UpdatedAt.UnixMilli(), Currency: o.Currency, PaymentMethod: o.PaymentMethod,
		ShippingFee: o.ShippingFee, Subtotal: o.Subtotal().Amount, Units: o.Units(), LinesHash: linesHash(o),
		Shipment: shipmentItem{Status: string(o.Shipment.Status), Carrier: o.Shipment.Carrier, TrackingNumber: o.Shipment.TrackingNumber,
			ShippedAt: utcPtr(o.Shipment.ShippedAt), DeliveredAt: utcPtr(o.Shipment.DeliveredAt)},
		Language: string(o.Language),
	}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func (it orderItem) toOrder() order.Order {
	return order.Order{
		ID: it.OrderID, CustomerID: it.CustomerID, Email: it.Email, Status: order.Status(it.Status),
		PlacedAt: it.PlacedAt, UpdatedAt: time.UnixMilli(it.UpdatedAtMs).UTC(), Currency: it.Currency,
		PaymentMethod: it.PaymentMethod, ShippingFee: it.ShippingFee,
		Shipment: order.Shipment{Status: order.ShipmentStatus(it.Shipment.Status), Carrier: it.Shipment.Carrier,
			TrackingNumber: it.Shipment.TrackingNumber, ShippedAt: it.Shipment.ShippedAt, DeliveredAt: it.Shipment.DeliveredAt},
		Language: i18n.Lang(it.Language),
	}
}

// Get reads the header and lines in one strongly consistent query, so returnable quantities reflect a
// return created a moment ago.
func (s *Orders) Get(ctx context.Context, id string) (order.Order, error) {
	o, _, err := readOrder(ctx, s.db, s.table, id)
	return o, err
}

// readOrder is the one query behind every order read: header and lines, strongly consistent, lines in
// the order the shop sent them. It also returns the raw header for attributes other domains keep there.
func readOrder(ctx context.Context, db DB, table, id string) (order.Order, map[string]types.AttributeValue, error) {
	var header map[string]types.AttributeValue
	var lines []lineItem
	var start map[string]types.AttributeValue
	for {
		out, err := db.Query(ctx, &dynamodb.QueryInput{
			TableName:              &table,
			KeyConditionExpression: aws.String("PK = :pk AND SK <= :maxsk"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":pk": str(orderPK(id)), ":maxsk": str(lineSKPrefix + "\uffff"),
			},
			ConsistentRead:    aws.Bool(true),
			ExclusiveStartKey: start,
		})
		if err != nil {
			return order.Order{}, nil, fmt.Errorf("query order %s: %w", id, err)
		}
		for _, raw := range out.Items {
			sk, _ := raw["SK"].(*types.AttributeValueMemberS)
			switch {
			case sk == nil:
			case sk.Value == orderHeaderSK:
				header = raw
			case strings.HasPrefix(sk.Value, lineSKPrefix):
				var l lineItem
				if err := attributevalue.UnmarshalMap(raw, &l); err != nil {
					return order.Order{}, nil, fmt.Errorf("decode order line %s: %w", id, err)
				}
				lines = append(lines, l)
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		start = out.LastEvaluatedKey
	}
	if header == nil {
		return order.Order{}, nil, order.ErrNotFound
	}
	var h orderItem
	if err := attributevalue.UnmarshalMap(header, &h); err != nil {
		return order.Order{}, nil, fmt.Errorf("decode order %s: %w", id, err)
	}
	o := h.toOrder()
	sort.Slice(lines, func(i, j int) bool { return lines[i].Position < lines[j].Position })
	for _, l := range lines {
		o.Lines = append(o.Lines, order.Line{ID: l.LineID, SKU: l.SKU, Name: l.Name, Quantity: l.Quantity,
			UnitPrice: l.UnitPrice, FinalSale: l.FinalSale, Remaining: l.Remaining})
	}
	return o, header, nil
}

// ListByCustomer pages the customer's orders through GSI1, newest first.
func (s *Orders) ListByCustomer(ctx context.Context, customerID string, limit int, cur string) (order.Page, error) {
	raw, next, err := queryGSI1Page(ctx, s.db, s.table, gsi1Listing{
		partition: customerPK(customerID), prefix: orderGSIPrefix, pk: orderPK, sk: orderHeaderSK, idAttr: "orderId",
	}, limit, cur)
	if err != nil {
		return order.Page{}, fmt.Errorf("list orders: %w", err)
	}
	var items []orderItem
	if err := attributevalue.UnmarshalListOfMaps(raw, &items); err != nil {
		return order.Page{}, fmt.Errorf("decode orders: %w", err)
	}
	page := order.Page{Orders: make([]order.Summary, 0, len(items)), NextCursor: next}
	for _, it := range items {
		page.Orders = append(page.Orders, it.summary())
	}
	return page, nil
}

func (it orderItem) summary() order.Summary {
	o := it.toOrder()
	total := it.Subtotal + it.ShippingFee
	s := order.SummaryOf(o)
	s.Total.Amount, s.Total.Currency, s.ItemCount = total, it.Currency, it.Units
	return s
}

// errOrderMoved: the order was created or updated by someone else between the read and the write.
var errOrderMoved = errors.New("the order changed while it was being upserted")

// upsertAttempts bounds the read-decide-write loop of Upsert.
const upsertAttempts = 3

// Upsert reads the order (one query), then writes one transaction: the order with its lines when it is
// new, or else the header of an order whose customer and lines are unchanged and whose update is not
// older than the stored one. It returns the order as stored: on an update, the new header over the
// stored lines, whose remaining quantities returns may already hold.
func (s *Orders) Upsert(ctx context.Context, o order.Order) (order.Order, bool, error) {
	for attempt := 1; ; attempt++ {
		stored, created, err := s.upsertOnce(ctx, o)
		if err == nil || !errors.Is(err, errOrderMoved) || attempt == upsertAttempts {
			return stored, created, err
		}
	}
}

func (s *Orders) upsertOnce(ctx context.Context, o order.Order) (order.Order, bool, error) {
	existing, _, err := readOrder(ctx, s.db, s.table, o.ID)
	if err == nil && o.Language == "" {
		o.Language = existing.Language // not sent: the customer's language stays what the order system said before
	}
	header := toOrderItem(o)
	if errors.Is(err, order.ErrNotFound) {
		pw, err := s.profileChange(ctx, nil, o)
		if err != nil {
			return order.Order{}, false, err
		}
		return o, true, s.create(ctx, o, header, pw)
	}
	if err != nil {
		return order.Order{}, false, err
	}
	switch {
	case existing.CustomerID != o.CustomerID:
		return order.Order{}, false, order.ErrOwnerChanged
	case !existing.SameLines(o):
		return order.Order{}, false, order.ErrLinesChanged
	case o.UpdatedAt.UnixMilli() < existing.UpdatedAt.UnixMilli():
		return order.Order{}, false, order.ErrStaleUpdate
	}
	pw, err := s.profileChange(ctx, &existing, o)
	if err != nil {
		return order.Order{}, false, err
	}
	updated := o
	updated.Lines = existing.Lines
	return updated, false, s.updateHeader(ctx, existing, o, header, pw)
}

func orderFact(o order.Order) customer.OrderFact {
	return customer.OrderFact{ID: o.ID, PlacedAt: o.PlacedAt.UTC().Truncate(time.Millisecond), UpdatedAt: o.UpdatedAt,
		Units: o.Units(), Cancelled: o.Status == order.StatusCancelled}
}

// profileChange reads the customer's profile and decides what the order's create (before nil) or
// update does to it.
func (s *Orders) profileChange(ctx context.Context, before *order.Order, after order.Order) (profileWrite, error) {
	p, err := readProfile(ctx, s.db, s.table, after.CustomerID)
	if err != nil {
		return profileWrite{}, err
	}
	var prev *customer.OrderFact
	if before != nil {
		f := orderFact(*before)
		prev = &f
	}
	deltas, err := p.OrderChange(prev, orderFact(after),
		customer.Contact{Name: after.CustomerName, Email: after.Email, Phone: after.CustomerPhone},
		func() ([]customer.OrderFact, error) { return countedOrders(ctx, s.db, s.table, after.CustomerID) })
	if err != nil {
		return profileWrite{}, err
	}
	return newProfileWrite(s.table, p, deltas)
}

// moved explains a lost condition of an upsert: another writer got there between read and write.
func moved(what string) explainFunc {
	return func(err error) (error, bool) {
		if slices.Contains(cancellationReasons(err), "ConditionalCheckFailed") || isTransactionConflict(err) {
			return order.ErrStaleUpdate.Wrap(errors.Join(errOrderMoved, err)), true
		}
		return fmt.Errorf("%s: %w", what, err), false
	}
}

func (s *Orders) create(ctx context.Context, o order.Order, header orderItem, pw profileWrite) error {
	hv, err := attributevalue.MarshalMap(header)
	if err != nil {
		return err
	}
	notExists := aws.String("attribute_not_exists(PK)")
	items := []types.TransactWriteItem{{Put: &types.Put{TableName: &s.table, Item: hv, ConditionExpression: notExists}}}
	for i, l := range o.Lines {
		lv, err := attributevalue.MarshalMap(lineItem{
			PK: orderPK(o.ID), SK: lineSK(l.ID), Entity: "order_line", OrderID: o.ID, LineID: l.ID, Position: i,
			SKU: l.SKU, Name: l.Name, Quantity: l.Quantity, UnitPrice: l.UnitPrice, FinalSale: l.FinalSale, Remaining: l.Quantity,
		})
		if err != nil {
			return err
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: lv, ConditionExpression: notExists}})
	}
	items = append(items, pw.put, emailPut(s.table, o.CustomerID, o.Email),
		historyPut(s.table, o.CustomerID, o.PlacedAt, HistoryOrder, o.ID, nil))
	notices, err := customerEventWrites(s.table, customerevent.FromOrderUpsert(nil, o, o.UpdatedAt))
	if err != nil {
		return err
	}
	items = append(items, notices...)
	return transactWrite(ctx, s.db, func() []types.TransactWriteItem {
		// Counted on the day the order was placed, once: only the create path counts.
		return append(items, countersWithDeltas(s.table, o.PlacedAt, map[string]int64{
			metrics.OrdersCreated: 1, metrics.UnitsOrdered: int64(o.Units()),
		}, pw.deltas)...)
	}, moved("create order "+o.ID))
}

// updateHeader writes the header fields an update may change, conditional on what Upsert decided on. When
// it moves the order to delivered, it is also conditional on the stored status, so exactly one upsert
// writes the order.delivered event.
func (s *Orders) updateHeader(ctx context.Context, existing, o order.Order, header orderItem, pw profileWrite) error {
	ship, err := attributevalue.MarshalMap(header.Shipment)
	if err != nil {
		return err
	}
	update := &types.Update{
		TableName: &s.table,
		Key:       map[string]types.AttributeValue{"PK": str(header.PK), "SK": str(header.SK)},
		UpdateExpression: aws.String("SET #status = :status, shipment = :ship, paymentMethod = :pm, email = :email, " +
			"updatedAtMs = :u, placedAt = :placed, GSI1SK = :gsi1sk, shippingFee = :fee"),
		ConditionExpression:      aws.String("attribute_exists(PK) AND customerId = :cust AND linesHash = :lh AND updatedAtMs <= :u"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":status": str(header.Status), ":ship": &types.AttributeValueMemberM{Value: ship}, ":pm": str(header.PaymentMethod),
			":email": str(header.Email), ":u": &types.AttributeValueMemberN{Value: strconv.FormatInt(header.UpdatedAtMs, 10)},
			":placed": str(header.PlacedAt.Format(time.RFC3339Nano)), ":gsi1sk": str(header.GSI1SK),
			":fee":  &types.AttributeValueMemberN{Value: strconv.FormatInt(header.ShippingFee, 10)},
			":cust": str(header.CustomerID), ":lh": str(header.LinesHash),
		},
	}
	if header.Language != "" {
		*update.UpdateExpression += ", #language = :lang"
		update.ExpressionAttributeNames["#language"] = "language"
		update.ExpressionAttributeValues[":lang"] = str(header.Language)
	}
	notices, err := customerEventWrites(s.table, customerevent.FromOrderUpsert(&existing, o, o.UpdatedAt))
	if err != nil {
		return err
	}
	if len(notices) > 0 {
		*update.ConditionExpression += " AND #status = :before"
		update.ExpressionAttributeValues[":before"] = str(string(existing.Status))
	}
	items := []types.TransactWriteItem{{Update: update}, pw.put, emailPut(s.table, o.CustomerID, o.Email)}
	if historySK(existing.PlacedAt, HistoryOrder, o.ID) != historySK(o.PlacedAt, HistoryOrder, o.ID) { // the timeline entry moves with the placed time
		items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: &s.table, Key: map[string]types.AttributeValue{
			"PK": str(customerPK(o.CustomerID)), "SK": str(historySK(existing.PlacedAt, HistoryOrder, o.ID))}}},
			historyPut(s.table, o.CustomerID, o.PlacedAt, HistoryOrder, o.ID, nil))
	}
	items = append(items, notices...)
	return transactWrite(ctx, s.db, func() []types.TransactWriteItem {
		return append(items, countersWithDeltas(s.table, o.PlacedAt, nil, pw.deltas)...)
	}, moved("update order "+o.ID))
}
