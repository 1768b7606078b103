package dynamostore

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/customerevent"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/returns"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

// Returns in the support table:
//
//	RETURN#<id>   #RETURN        the return, audit trail as a list   GSI1: ORDER#<orderId> / RETURN#<createdAt>#<id>
//	RETURN#<id>   REFUND         the refund record (written once, with the transition to refunded)
//	RETURN#<id>   REFUND_EVENT   what a payment integration consumes  GSI1 while pending: REFUND_EVENT#PENDING / <createdAt>#<id>
//
// and on the order:
//
//	ORDER#<id>    LINE#<lineId>  remaining: quantity neither returned nor held by a live return
//	ORDER#<id>    #ORDER         shippingRefundReturnId: the live return holding the order's one shipping refund
//
// Every change is one TransactWriteItems whose first item is the return itself, conditioned on what the
// caller read, so concurrent changes cannot both win and nothing is ever stored half-way.

const (
	returnSK          = "#RETURN"
	refundSK          = "REFUND"
	refundEventSK     = "REFUND_EVENT"
	returnGSIPrefix   = "RETURN#"
	refundEventsQueue = "REFUND_EVENT#PENDING"
	shippingHolder    = "shippingRefundReturnId"
)

func returnPK(id string) string { return "RETURN#" + id }

type returnLineItem struct {
	LineID            string `dynamodbav:"lineId"`
	SKU               string `dynamodbav:"sku"`
	Name              string `dynamodbav:"name"`
	Quantity          int    `dynamodbav:"quantity"`
	UnitPrice         int64  `dynamodbav:"unitPrice"`
	Reason            string `dynamodbav:"reason"`
	Condition         string `dynamodbav:"condition"`
	ReceivedCondition string `dynamodbav:"receivedCondition,omitempty"`
}

type refundLineItem struct {
	LineID        string `dynamodbav:"lineId"`
	Quantity      int    `dynamodbav:"quantity"`
	Condition     string `dynamodbav:"condition"`
	Subtotal      int64  `dynamodbav:"subtotal"`
	RestockingFee int64  `dynamodbav:"restockingFee"`
	Amount        int64  `dynamodbav:"amount"`
	Code          string `dynamodbav:"code"`
}

type refundItem struct {
	Method        string           `dynamodbav:"method"`
	Currency      string           `dynamodbav:"currency"`
	PolicyVersion string           `dynamodbav:"policyVersion"`
	Lines         []refundLineItem `dynamodbav:"lines"`
	ItemsSubtotal int64            `dynamodbav:"itemsSubtotal"`
	RestockingFee int64            `dynamodbav:"restockingFee"`
	Shipping      int64            `dynamodbav:"shipping"`
	Total         int64            `dynamodbav:"total"`
}

type policyItem struct {
	Version               string   `dynamodbav:"version"`
	WindowDays            int      `dynamodbav:"windowDays"`
	RestockingFeeBps      int64    `dynamodbav:"restockingFeeBps"`
	RestockingConditions  []string `dynamodbav:"restockingConditions"`
	ShippingRefundReasons []string `dynamodbav:"shippingRefundReasons"`
	FeeFreeReasons        []string `dynamodbav:"feeFreeReasons,omitempty"` // absent on returns made under older terms
	TimeZone              string   `dynamodbav:"timeZone,omitempty"`
}

type auditItem struct {
	At            time.Time `dynamodbav:"at"`
	From          string    `dynamodbav:"from,omitempty"`
	To            string    `dynamodbav:"to"`
	ActorKind     string    `dynamodbav:"actorKind"`
	ActorID       string    `dynamodbav:"actorId"`
	PolicyVersion string    `dynamodbav:"policyVersion,omitempty"`
	Reason        string    `dynamodbav:"reason,omitempty"`
	Note          string    `dynamodbav:"note,omitempty"`
}

// destinationItem is where a refund is transferred; it reaches the payment integration with the event.
type destinationItem struct {
	Kind          string `dynamodbav:"kind"`
	Bank          string `dynamodbav:"bank,omitempty"`
	AccountNumber string `dynamodbav:"accountNumber,omitempty"`
	HolderName    string `dynamodbav:"holderName,omitempty"`
	Provider      string `dynamodbav:"provider,omitempty"`
	Number        string `dynamodbav:"number,omitempty"`
}

func toDestinationItem(d *returns.RefundDestination) *destinationItem {
	if d == nil {
		return nil
	}
	return &destinationItem{Kind: string(d.Kind), Bank: d.Bank, AccountNumber: d.AccountNumber, HolderName: d.HolderName,
		Provider: d.Provider, Number: d.Number}
}

func (it *destinationItem) toDestination() *returns.RefundDestination {
	if it == nil {
		return nil
	}
	return &returns.RefundDestination{Kind: returns.DestinationKind(it.Kind), Bank: it.Bank, AccountNumber: it.AccountNumber,
		HolderName: it.HolderName, Provider: it.Provider, Number: it.Number}
}

type rejectionItem struct {
	Reason string `dynamodbav:"reason"`
	Note   string `dynamodbav:"note"`
}

type returnItem struct {
	PK             string           `dynamodbav:"PK"`
	SK             string           `dynamodbav:"SK"`
	GSI1PK         string           `dynamodbav:"GSI1PK"`
	GSI1SK         string           `dynamodbav:"GSI1SK"`
	GSI2PK         string           `dynamodbav:"GSI2PK,omitempty"` // return queues: returnQueueKeys
	GSI2SK         string           `dynamodbav:"GSI2SK,omitempty"`
	Reasons        []string         `dynamodbav:"reasons,stringset,omitempty"` // the lines' reasons, for the queue filter
	Entity         string           `dynamodbav:"entity"`
	ReturnID       string           `dynamodbav:"returnId"`
	OrderID        string           `dynamodbav:"orderId"`
	CustomerID     string           `dynamodbav:"customerId"`
	Status         string           `dynamodbav:"status"`
	Resolution     string           `dynamodbav:"resolution"`
	Comment        string           `dynamodbav:"comment,omitempty"`
	Language       string           `dynamodbav:"language,omitempty"`
	Currency       string           `dynamodbav:"currency"`
	PaymentMethod  string           `dynamodbav:"paymentMethod"`
	Destination    *destinationItem `dynamodbav:"refundDestination,omitempty"`
	Policy         policyItem       `dynamodbav:"policy"`
	ShippingRefund int64            `dynamodbav:"shippingRefund"`
	Lines          []returnLineItem `dynamodbav:"lines"`
	Estimate       refundItem       `dynamodbav:"estimate"`
	Final          *refundItem      `dynamodbav:"final,omitempty"`
	Rejection      *rejectionItem   `dynamodbav:"rejection,omitempty"`
	Audit          []auditItem      `dynamodbav:"audit"`
	CreatedAt      time.Time        `dynamodbav:"createdAt"`
	UpdatedAt      time.Time        `dynamodbav:"updatedAt"`
	Version        int              `dynamodbav:"version"`
}

// refundRecordItem is the refund as issued; refundEventItem the same facts as the message a payment (or
// fulfilment, for exchanges) integration consumes: by stream (entity = refund_event) or by sweeping the
// sparse GSI1 queue, removing GSI1PK/GSI1SK once handled.
type refundRecordItem struct {
	PK            string           `dynamodbav:"PK"`
	SK            string           `dynamodbav:"SK"`
	GSI1PK        string           `dynamodbav:"GSI1PK,omitempty"`
	GSI1SK        string           `dynamodbav:"GSI1SK,omitempty"`
	Entity        string           `dynamodbav:"entity"`
	EventType     string           `dynamodbav:"eventType,omitempty"`
	ReturnID      string           `dynamodbav:"returnId"`
	OrderID       string           `dynamodbav:"orderId"`
	CustomerID    string           `dynamodbav:"customerId"`
	Method        string           `dynamodbav:"method"`
	Amount        int64            `dynamodbav:"amount"`
	Currency      string           `dynamodbav:"currency"`
	PaymentMethod string           `dynamodbav:"paymentMethod"`
	Destination   *destinationItem `dynamodbav:"destination,omitempty"` // bank_transfer and ewallet refunds
	PolicyVersion string           `dynamodbav:"policyVersion"`
	Lines         []refundLineItem `dynamodbav:"lines"`
	IssuedBy      string           `dynamodbav:"issuedBy"`
	CreatedAt     time.Time        `dynamodbav:"createdAt"`
}

// Returns stores returns in the support table.
type Returns struct {
	db    DB
	table string
}

var _ returns.Store = (*Returns)(nil)

// NewReturns returns the return store for table.
func NewReturns(db DB, table string) *Returns { return &Returns{db: db, table: table} }

func strs[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

func enums[T ~string](in []string) []T {
	out := make([]T, len(in))
	for i, v := range in {
		out[i] = T(v)
	}
	return out
}

func toRefundItem(r returns.Refund) refundItem {
	it := refundItem{Method: string(r.Method), Currency: r.Currency, PolicyVersion: r.PolicyVersion, ItemsSubtotal: r.ItemsSubtotal,
		RestockingFee: r.RestockingFee, Shipping: r.Shipping, Total: r.Total, Lines: make([]refundLineItem, len(r.Lines))}
	for i, l := range r.Lines {
		it.Lines[i] = refundLineItem{LineID: l.LineID, Quantity: l.Quantity, Condition: string(l.Condition), Subtotal: l.Subtotal,
			RestockingFee: l.RestockingFee, Amount: l.Amount, Code: l.Code}
	}
	return it
}

func (it refundItem) toRefund() returns.Refund {
	r := returns.Refund{Method: returns.Method(it.Method), Currency: it.Currency, PolicyVersion: it.PolicyVersion, ItemsSubtotal: it.ItemsSubtotal,
		RestockingFee: it.RestockingFee, Shipping: it.Shipping, Total: it.Total, Lines: make([]returns.RefundLine, len(it.Lines))}
	for i, l := range it.Lines {
		r.Lines[i] = returns.RefundLine{LineID: l.LineID, Quantity: l.Quantity, Condition: returnpolicy.Condition(l.Condition),
			Subtotal: l.Subtotal, RestockingFee: l.RestockingFee, Amount: l.Amount, Code: l.Code}
	}
	return r
}

func toReturnItem(r returns.Return) returnItem {
	queuePK, queueSK := returnQueueKeys(r)
	it := returnItem{
		GSI2PK: queuePK, GSI2SK: queueSK,
		PK: returnPK(r.ID), SK: returnSK, GSI1PK: orderPK(r.OrderID), GSI1SK: returnGSIPrefix + sortableTime(r.CreatedAt) + "#" + r.ID,
		Entity: "return", ReturnID: r.ID, OrderID: r.OrderID, CustomerID: r.CustomerID, Status: string(r.Status),
		Resolution: string(r.Resolution), Comment: r.Comment, Language: string(r.Language), Currency: r.Currency, PaymentMethod: r.PaymentMethod,
		Destination: toDestinationItem(r.RefundDestination),
		Policy: policyItem{Version: r.Policy.Version, WindowDays: r.Policy.WindowDays, RestockingFeeBps: r.Policy.RestockingFeeBps,
			RestockingConditions: strs(r.Policy.RestockingConditions), ShippingRefundReasons: strs(r.Policy.ShippingRefundReasons),
			FeeFreeReasons: strs(r.Policy.FeeFreeReasons), TimeZone: r.Policy.TimeZone},
		ShippingRefund: r.ShippingRefund, Estimate: toRefundItem(r.Estimate),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version,
		Lines: make([]returnLineItem, len(r.Lines)), Audit: make([]auditItem, len(r.Audit)),
	}
	for i, l := range r.Lines {
		if !slices.Contains(it.Reasons, string(l.Reason)) {
			it.Reasons = append(it.Reasons, string(l.Reason))
		}
		it.Lines[i] = returnLineItem{LineID: l.LineID, SKU: l.SKU, Name: l.Name, Quantity: l.Quantity, UnitPrice: l.UnitPrice,
			Reason: string(l.Reason), Condition: string(l.Condition), ReceivedCondition: string(l.ReceivedCondition)}
	}
	if r.Final != nil {
		f := toRefundItem(*r.Final)
		it.Final = &f
	}
	if r.Rejection != nil {
		it.Rejection = &rejectionItem{Reason: string(r.Rejection.Reason), Note: r.Rejection.Note}
	}
	for i, a := range r.Audit {
		it.Audit[i] = auditItem{At: a.At.UTC(), From: string(a.From), To: string(a.To), ActorKind: a.Actor.Kind, ActorID: a.Actor.ID,
			PolicyVersion: a.PolicyVersion, Reason: string(a.Reason), Note: a.Note}
	}
	return it
}

func (it returnItem) toReturn() returns.Return {
	r := returns.Return{
		ID: it.ReturnID, OrderID: it.OrderID, CustomerID: it.CustomerID, Status: returns.Status(it.Status),
		Resolution: returns.Resolution(it.Resolution), Comment: it.Comment, Language: i18n.Lang(it.Language), Currency: it.Currency, PaymentMethod: it.PaymentMethod,
		RefundDestination: it.Destination.toDestination(),
		Policy: returnpolicy.Policy{Version: it.Policy.Version, WindowDays: it.Policy.WindowDays, RestockingFeeBps: it.Policy.RestockingFeeBps,
			RestockingConditions:  enums[returnpolicy.Condition](it.Policy.RestockingConditions),
			ShippingRefundReasons: enums[returnpolicy.Reason](it.Policy.ShippingRefundReasons),
			FeeFreeReasons:        enums[returnpolicy.Reason](it.Policy.FeeFreeReasons), TimeZone: it.Policy.TimeZone},
		ShippingRefund: it.ShippingRefund, Estimate: it.Estimate.toRefund(),
		CreatedAt: it.CreatedAt, UpdatedAt: it.UpdatedAt, Version: it.Version,
		Lines: make([]returns.Line, len(it.Lines)), Audit: make([]returns.AuditEntry, len(it.Audit)),
	}
	for i, l := range it.Lines {
		r.Lines[i] = returns.Line{LineID: l.LineID, SKU: l.SKU, Name: l.Name, Quantity: l.Quantity, UnitPrice: l.UnitPrice,
			Reason: returnpolicy.Reason(l.Reason), Condition: returnpolicy.Condition(l.Condition),
			ReceivedCondition: returnpolicy.Condition(l.ReceivedCondition)}
	}
	if it.Final != nil {
		f := it.Final.toRefund()
		r.Final = &f
	}
	if it.Rejection != nil {
		r.Rejection = &returns.Rejection{Reason: returns.RejectReason(it.Rejection.Reason), Note: it.Rejection.Note}
	}
	for i, a := range it.Audit {
		r.Audit[i] = returns.AuditEntry{At: a.At, From: returns.Status(a.From), To: returns.Status(a.To),
			Actor: returns.Actor{Kind: a.ActorKind, ID: a.ActorID}, PolicyVersion: a.PolicyVersion,
			Reason: returns.RejectReason(a.Reason), Note: a.Note}
	}
	return r
}

// Order reads the order header and lines in one strongly consistent query, so the remaining quantities a
// request is decided on are the latest committed ones.
func (s *Returns) Order(ctx context.Context, id string) (returns.OrderRecord, error) {
	o, header, err := readOrder(ctx, s.db, s.table, id)
	if err != nil {
		return returns.OrderRecord{}, err
	}
	var claim struct {
		Holder string `dynamodbav:"shippingRefundReturnId"`
	}
	if err := attributevalue.UnmarshalMap(header, &claim); err != nil {
		return returns.OrderRecord{}, fmt.Errorf("decode order %s: %w", id, err)
	}
	return returns.OrderRecord{Order: o, ShippingRefundHolder: claim.Holder}, nil
}

func numInt(n int) types.AttributeValue { return num(int64(n)) }

func lineKey(orderID, lineID string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"PK": str(orderPK(orderID)), "SK": str(lineSK(lineID))}
}

func orderHeaderKey(orderID string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"PK": str(orderPK(orderID)), "SK": str(orderHeaderSK)}
}

// Create puts the return, reserves every line's quantity (remaining never below zero), takes the shipping
// refund when the return holds it, and counts the request, all in one transaction.
func (s *Returns) Create(ctx context.Context, r returns.Return) error {
	item, err := attributevalue.MarshalMap(toReturnItem(r))
	if err != nil {
		return err
	}
	tx := []types.TransactWriteItem{{Put: &types.Put{TableName: &s.table, Item: item, ConditionExpression: aws.String("attribute_not_exists(PK)")}}}
	for _, l := range r.Lines {
		tx = append(tx, types.TransactWriteItem{Update: &types.Update{
			TableName: &s.table, Key: lineKey(r.OrderID, l.LineID),
			UpdateExpression:          aws.String("SET remaining = remaining - :q"),
			ConditionExpression:       aws.String("remaining >= :q"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":q": numInt(l.Quantity)},
		}})
	}
	if r.ShippingRefund > 0 {
		// The fee is part of the condition: the refund must be the fee the order still charges.
		tx = append(tx, types.TransactWriteItem{Update: &types.Update{
			TableName: &s.table, Key: orderHeaderKey(r.OrderID),
			UpdateExpression:          aws.String("SET #holder = :rid"),
			ConditionExpression:       aws.String("attribute_exists(PK) AND attribute_not_exists(#holder) AND shippingFee = :fee"),
			ExpressionAttributeNames:  map[string]string{"#holder": shippingHolder},
			ExpressionAttributeValues: map[string]types.AttributeValue{":rid": str(r.ID), ":fee": num(r.ShippingRefund)},
		}})
	}
	// The customer's profile counts the request and takes it as a support contact of its month.
	p, err := readProfile(ctx, s.db, s.table, r.CustomerID)
	if err != nil {
		return err
	}
	pw, err := newProfileWrite(s.table, p, p.ReturnRequested(r.CreatedAt))
	if err != nil {
		return err
	}
	tx = append(tx, pw.put, historyPut(s.table, r.CustomerID, r.CreatedAt, HistoryReturn, r.ID,
		map[string]types.AttributeValue{"orderId": str(r.OrderID)}))
	tx = append(tx, countersWithDeltas(s.table, r.CreatedAt, map[string]int64{
		metrics.ReturnsRequested: 1, metrics.UnitsReturned: int64(r.Units()),
	}, pw.deltas)...)
	tx = append(tx, returnQueueCounterUpdates(s.table, "", r.Status)...)
	return transactWrite(ctx, s.db, func() []types.TransactWriteItem { return tx }, txFailure("create return "+r.ID))
}

// txFailure turns a lost condition or a conflicting concurrent transaction into returns.ErrContention, so
// the service re-reads and decides again; anything else is an internal error.
func txFailure(what string) explainFunc {
	return func(err error) (error, bool) {
		for _, code := range cancellationReasons(err) {
			if code == "ConditionalCheckFailed" || code == "TransactionConflict" {
				return returns.ErrContention.Wrap(err), true
			}
		}
		if isTransactionConflict(err) {
			return returns.ErrContention.Wrap(err), true
		}
		return fmt.Errorf("%s: %w", what, err), false
	}
}

// Get reads a return with a strongly consistent read: a customer sees their own change at once.
func (s *Returns) Get(ctx context.Context, id string) (returns.Return, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &s.table, ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{"PK": str(returnPK(id)), "SK": str(returnSK)},
	})
	if err != nil {
		return returns.Return{}, fmt.Errorf("get return %s: %w", id, err)
	}
	if len(out.Item) == 0 {
		return returns.Return{}, returns.ErrNotFound
	}
	var it returnItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return returns.Return{}, fmt.Errorf("decode return %s: %w", id, err)
	}
	return it.toReturn(), nil
}

// ListByOrder pages the order's returns through GSI1, newest first.
func (s *Returns) ListByOrder(ctx context.Context, orderID string, limit int, cur string) (returns.Page, error) {
	raw, next, err := queryGSI1Page(ctx, s.db, s.table, gsi1Listing{
		partition: orderPK(orderID), prefix: returnGSIPrefix, pk: returnPK, sk: returnSK, idAttr: "returnId",
	}, limit, cur)
	if err != nil {
		return returns.Page{}, fmt.Errorf("list returns of %s: %w", orderID, err)
	}
	var items []returnItem
	if err := attributevalue.UnmarshalListOfMaps(raw, &items); err != nil {
		return returns.Page{}, fmt.Errorf("decode returns: %w", err)
	}
	page := returns.Page{Returns: make([]returns.Return, 0, len(items)), NextCursor: next}
	for _, it := range items {
		page.Returns = append(page.Returns, it.toReturn())
	}
	return page, nil
}

// Transition replaces prev by next, conditional on prev's status and version, with what the new status
// implies in the same transaction, its customer events included.
func (s *Returns) Transition(ctx context.Context, prev, next returns.Return) error {
	if next.ID != prev.ID || next.Version != prev.Version+1 || !returns.CanTransition(prev.Status, next.Status) {
		return fmt.Errorf("return %s: invalid transition %s v%d -> %s v%d", prev.ID, prev.Status, prev.Version, next.Status, next.Version)
	}
	item, err := attributevalue.MarshalMap(toReturnItem(next))
	if err != nil {
		return err
	}
	tx := []types.TransactWriteItem{{Put: &types.Put{
		TableName: &s.table, Item: item,
		ConditionExpression:      aws.String("#status = :status AND version = :version"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":status": str(string(prev.Status)), ":version": numInt(prev.Version),
		},
	}}}
	switch {
	case next.Status.Releases():
		tx = append(tx, s.release(prev)...)
		tx = append(tx, counterUpdate(s.table, next.UpdatedAt, map[string]int64{metrics.UnitsReturned: -int64(prev.Units())}))
	case next.Status == returns.StatusRefunded:
		refund, err := s.refundItems(next)
		if err != nil {
			return err
		}
		tx = append(tx, refund...)
		tx = append(tx, counterUpdate(s.table, next.UpdatedAt, map[string]int64{metrics.ReturnsRefunded: 1}))
	}
	tx = append(tx, returnQueueCounterUpdates(s.table, prev.Status, next.Status)...)
	notices, err := customerEventWrites(s.table, customerevent.FromReturnTransition(prev, next))
	if err != nil {
		return err
	}
	tx = append(tx, notices...)
	return transactWrite(ctx, s.db, func() []types.TransactWriteItem { return tx },
		txFailure(fmt.Sprintf("return %s %s -> %s", prev.ID, prev.Status, next.Status)))
}

// release gives r's quantities back to the order lines, and the shipping refund if r holds it.
func (s *Returns) release(r returns.Return) []types.TransactWriteItem {
	var tx []types.TransactWriteItem
	for _, l := range r.Lines {
		tx = append(tx, types.TransactWriteItem{Update: &types.Update{
			TableName: &s.table, Key: lineKey(r.OrderID, l.LineID),
			UpdateExpression:          aws.String("SET remaining = remaining + :q"),
			ConditionExpression:       aws.String("attribute_exists(PK)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":q": numInt(l.Quantity)},
		}})
	}
	if r.ShippingRefund > 0 {
		tx = append(tx, types.TransactWriteItem{Update: &types.Update{
			TableName: &s.table, Key: orderHeaderKey(r.OrderID),
			UpdateExpression:          aws.String("REMOVE #holder"),
			ConditionExpression:       aws.String("#holder = :rid"),
			ExpressionAttributeNames:  map[string]string{"#holder": shippingHolder},
			ExpressionAttributeValues: map[string]types.AttributeValue{":rid": str(r.ID)},
		}})
	}
	return tx
}

// refundItems are the refund record and the payment event, each written at most once.
func (s *Returns) refundItems(r returns.Return) ([]types.TransactWriteItem, error) {
	f := r.Final
	issuedBy := ""
	if n := len(r.Audit); n > 0 {
		issuedBy = r.Audit[n-1].Actor.ID
	}
	rec := refundRecordItem{
		PK: returnPK(r.ID), SK: refundSK, Entity: "refund", ReturnID: r.ID, OrderID: r.OrderID, CustomerID: r.CustomerID,
		Method: string(f.Method), Amount: f.Total, Currency: f.Currency, PaymentMethod: r.PaymentMethod,
		Destination: toDestinationItem(r.RefundDestination), PolicyVersion: f.PolicyVersion, Lines: toRefundItem(*f).Lines, IssuedBy: issuedBy, CreatedAt: r.UpdatedAt.UTC(),
	}
	event := rec
	event.SK, event.Entity, event.EventType = refundEventSK, "refund_event", "return.refunded"
	event.GSI1PK, event.GSI1SK = refundEventsQueue, sortableTime(r.UpdatedAt)+"#"+r.ID
	var tx []types.TransactWriteItem
	for _, it := range []refundRecordItem{rec, event} {
		av, err := attributevalue.MarshalMap(it)
		if err != nil {
			return nil, err
		}
		tx = append(tx, types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: av,
			ConditionExpression: aws.String("attribute_not_exists(PK)")}})
	}
	return tx, nil
}
