package samtemplate

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Table is an AWS::DynamoDB::Table ready to create against DynamoDB (Local).
type Table struct {
	LogicalID string
	// Input has TableName set to the logical id; callers normally replace it with a unique name.
	// Each call to Tables builds new inputs, so changing one is safe.
	Input *dynamodb.CreateTableInput
	// TTLAttribute is the TimeToLiveSpecification attribute when TTL is enabled, else "".
	TTLAttribute string
	// StreamViewType is the StreamSpecification's view type (NEW_IMAGE, ...) when the table has a stream,
	// else "". Input enables the stream with that view type.
	StreamViewType types.StreamViewType
}

// Tables returns the template's DynamoDB tables by logical id. Only what shapes data access is carried over
// (keys, indexes, billing mode); PITR, SSE and deletion protection are deployment concerns (and deletion
// protection would stop tests from dropping their tables).
func (t *Template) Tables() (map[string]Table, error) {
	out := map[string]Table{}
	for _, r := range t.Resources("AWS::DynamoDB::Table") {
		tbl, err := buildTable(r)
		if err != nil {
			return nil, fmt.Errorf("samtemplate: table %s: %w", r.LogicalID, err)
		}
		out[r.LogicalID] = tbl
	}
	return out, nil
}

func buildTable(r Resource) (Table, error) {
	p := r.Properties
	in := &dynamodb.CreateTableInput{TableName: aws.String(r.LogicalID)}

	for i, raw := range asSlice(p["AttributeDefinitions"]) {
		a := asMap(raw)
		name, _ := a["AttributeName"].(string)
		typ, _ := a["AttributeType"].(string)
		if name == "" || typ == "" {
			return Table{}, fmt.Errorf("AttributeDefinitions[%d]: want literal AttributeName and AttributeType", i)
		}
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{
			AttributeName: aws.String(name), AttributeType: types.ScalarAttributeType(typ),
		})
	}
	keys, err := keySchema(p["KeySchema"])
	if err != nil {
		return Table{}, fmt.Errorf("KeySchema: %w", err)
	}
	in.KeySchema = keys

	billing, _ := p["BillingMode"].(string)
	if billing == "" {
		billing = string(types.BillingModeProvisioned)
	}
	in.BillingMode = types.BillingMode(billing)
	if in.BillingMode == types.BillingModeProvisioned {
		in.ProvisionedThroughput, err = throughput(p["ProvisionedThroughput"])
		if err != nil {
			return Table{}, err
		}
	}

	for i, raw := range asSlice(p["GlobalSecondaryIndexes"]) {
		g := asMap(raw)
		name, _ := g["IndexName"].(string)
		ks, err := keySchema(g["KeySchema"])
		if err != nil || name == "" {
			return Table{}, fmt.Errorf("GlobalSecondaryIndexes[%d]: want IndexName and KeySchema: %v", i, err)
		}
		proj, err := projection(g["Projection"])
		if err != nil {
			return Table{}, fmt.Errorf("GlobalSecondaryIndexes[%d]: %w", i, err)
		}
		gsi := types.GlobalSecondaryIndex{IndexName: aws.String(name), KeySchema: ks, Projection: proj}
		if in.BillingMode == types.BillingModeProvisioned {
			if gsi.ProvisionedThroughput, err = throughput(g["ProvisionedThroughput"]); err != nil {
				return Table{}, fmt.Errorf("GlobalSecondaryIndexes[%d]: %w", i, err)
			}
		}
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, gsi)
	}
	for i, raw := range asSlice(p["LocalSecondaryIndexes"]) {
		l := asMap(raw)
		name, _ := l["IndexName"].(string)
		ks, err := keySchema(l["KeySchema"])
		if err != nil || name == "" {
			return Table{}, fmt.Errorf("LocalSecondaryIndexes[%d]: want IndexName and KeySchema: %v", i, err)
		}
		proj, err := projection(l["Projection"])
		if err != nil {
			return Table{}, fmt.Errorf("LocalSecondaryIndexes[%d]: %w", i, err)
		}
		in.LocalSecondaryIndexes = append(in.LocalSecondaryIndexes, types.LocalSecondaryIndex{IndexName: aws.String(name), KeySchema: ks, Projection: proj})
	}

	tbl := Table{LogicalID: r.LogicalID, Input: in}
	if raw, ok := p["StreamSpecification"]; ok {
		view, _ := asMap(raw)["StreamViewType"].(string)
		switch types.StreamViewType(view) {
		case types.StreamViewTypeNewImage, types.StreamViewTypeOldImage, types.StreamViewTypeNewAndOldImages, types.StreamViewTypeKeysOnly:
		default:
			return Table{}, fmt.Errorf("StreamSpecification.StreamViewType: want NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES or KEYS_ONLY, got %q", view)
		}
		tbl.StreamViewType = types.StreamViewType(view)
		in.StreamSpecification = &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: tbl.StreamViewType}
	}
	if ttl := asMap(p["TimeToLiveSpecification"]); ttl != nil {
		enabled, err := boolValue(ttl["Enabled"])
		if err != nil {
			return Table{}, fmt.Errorf("TimeToLiveSpecification.Enabled: %w", err)
		}
		if enabled {
			tbl.TTLAttribute, _ = ttl["AttributeName"].(string)
		}
	}
	return tbl, nil
}

func keySchema(v any) ([]types.KeySchemaElement, error) {
	var out []types.KeySchemaElement
	for i, raw := range asSlice(v) {
		k := asMap(raw)
		name, _ := k["AttributeName"].(string)
		typ, _ := k["KeyType"].(string)
		if name == "" || (typ != "HASH" && typ != "RANGE") {
			return nil, fmt.Errorf("element %d: want AttributeName and KeyType HASH|RANGE", i)
		}
		out = append(out, types.KeySchemaElement{AttributeName: aws.String(name), KeyType: types.KeyType(typ)})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty key schema")
	}
	return out, nil
}

func projection(v any) (*types.Projection, error) {
	p := asMap(v)
	typ, _ := p["ProjectionType"].(string)
	if typ == "" {
		typ = string(types.ProjectionTypeAll)
	}
	proj := &types.Projection{ProjectionType: types.ProjectionType(typ)}
	for _, a := range asSlice(p["NonKeyAttributes"]) {
		s, ok := a.(string)
		if !ok {
			return nil, fmt.Errorf("Projection.NonKeyAttributes: want strings")
		}
		proj.NonKeyAttributes = append(proj.NonKeyAttributes, s)
	}
	return proj, nil
}

func throughput(v any) (*types.ProvisionedThroughput, error) {
	p := asMap(v)
	r, okR, errR := intValue(p["ReadCapacityUnits"])
	w, okW, errW := intValue(p["WriteCapacityUnits"])
	if errR != nil || errW != nil || !okR || !okW {
		return nil, fmt.Errorf("provisioned billing needs ProvisionedThroughput Read/WriteCapacityUnits")
	}
	return &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(int64(r)), WriteCapacityUnits: aws.Int64(int64(w))}, nil
}

// AWS defaults applied when a queue leaves the value out.
const (
	DefaultVisibilityTimeout      = 30
	DefaultMessageRetentionPeriod = 345600
)

// Queue is an AWS::SQS::Queue.
type Queue struct {
	LogicalID string
	// QueueName is the template's explicit name, usually "" (CloudFormation generates one).
	QueueName                 string
	FifoQueue                 bool
	ContentBasedDeduplication bool
	// VisibilityTimeout and MessageRetentionPeriod are in seconds, with AWS defaults filled in.
	VisibilityTimeout      int
	MessageRetentionPeriod int
	RedrivePolicy          *RedrivePolicy
}

// RedrivePolicy sends a message to the dead-letter queue after MaxReceiveCount receives.
type RedrivePolicy struct {
	DeadLetterTargetLogicalID string
	MaxReceiveCount           int
}

// Queues returns the template's SQS queues by logical id.
func (t *Template) Queues() (map[string]Queue, error) {
	out := map[string]Queue{}
	for _, r := range t.Resources("AWS::SQS::Queue") {
		q, err := buildQueue(r)
		if err != nil {
			return nil, fmt.Errorf("samtemplate: queue %s: %w", r.LogicalID, err)
		}
		out[r.LogicalID] = q
	}
	for id, q := range out {
		if q.RedrivePolicy == nil {
			continue
		}
		dlq, ok := out[q.RedrivePolicy.DeadLetterTargetLogicalID]
		if !ok {
			return nil, fmt.Errorf("samtemplate: queue %s: dead-letter target %q is not a queue in the template", id, q.RedrivePolicy.DeadLetterTargetLogicalID)
		}
		if dlq.FifoQueue != q.FifoQueue {
			return nil, fmt.Errorf("samtemplate: queue %s: dead-letter queue must match FIFO-ness", id)
		}
	}
	return out, nil
}

func buildQueue(r Resource) (Queue, error) {
	p := r.Properties
	q := Queue{LogicalID: r.LogicalID, VisibilityTimeout: DefaultVisibilityTimeout, MessageRetentionPeriod: DefaultMessageRetentionPeriod}
	q.QueueName, _ = p["QueueName"].(string)
	var err error
	if q.FifoQueue, err = boolValue(p["FifoQueue"]); err != nil {
		return Queue{}, fmt.Errorf("FifoQueue: %w", err)
	}
	if q.ContentBasedDeduplication, err = boolValue(p["ContentBasedDeduplication"]); err != nil {
		return Queue{}, fmt.Errorf("ContentBasedDeduplication: %w", err)
	}
	if n, ok, err := intValue(p["VisibilityTimeout"]); err != nil {
		return Queue{}, fmt.Errorf("VisibilityTimeout: %w", err)
	} else if ok {
		q.VisibilityTimeout = n
	}
	if n, ok, err := intValue(p["MessageRetentionPeriod"]); err != nil {
		return Queue{}, fmt.Errorf("MessageRetentionPeriod: %w", err)
	} else if ok {
		q.MessageRetentionPeriod = n
	}
	if raw, ok := p["RedrivePolicy"]; ok {
		rp := asMap(raw)
		target, ok := referencedID(rp["deadLetterTargetArn"])
		if !ok {
			return Queue{}, fmt.Errorf("RedrivePolicy.deadLetterTargetArn: want !GetAtt <Queue>.Arn")
		}
		n, ok, err := intValue(rp["maxReceiveCount"])
		if err != nil || !ok || n < 1 {
			return Queue{}, fmt.Errorf("RedrivePolicy.maxReceiveCount: want a positive integer")
		}
		q.RedrivePolicy = &RedrivePolicy{DeadLetterTargetLogicalID: target, MaxReceiveCount: n}
	}
	return q, nil
}

// Topics returns the logical ids of the template's SNS topics, sorted.
func (t *Template) Topics() []string {
	var out []string
	for _, r := range t.Resources("AWS::SNS::Topic") {
		out = append(out, r.LogicalID)
	}
	return out
}
