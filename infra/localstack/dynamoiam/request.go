package dynamoiam

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
)

// Table is what authorising a request needs to know about a table: its ARN and the partition key attribute
// of the table and of each index.
type Table struct {
	ARN          string
	PartitionKey string
	// IndexPartitionKeys maps an index name to its partition key attribute.
	IndexPartitionKeys map[string]string
}

// Tables maps table names (as requests carry them) to their keys.
type Tables map[string]Table

type attributeValue map[string]json.RawMessage

// scalar is the string form of an S, N or B value ("" for other types).
func (v attributeValue) scalar() string {
	for _, t := range []string{"S", "N", "B"} {
		if raw, ok := v[t]; ok {
			var s string
			if json.Unmarshal(raw, &s) == nil {
				return s
			}
		}
	}
	return ""
}

type item map[string]attributeValue

type keyedRequest struct {
	TableName                 string                       `json:"TableName"`
	IndexName                 string                       `json:"IndexName"`
	Key                       item                         `json:"Key"`
	Item                      item                         `json:"Item"`
	KeyConditionExpression    string                       `json:"KeyConditionExpression"`
	ExpressionAttributeNames  map[string]string            `json:"ExpressionAttributeNames"`
	ExpressionAttributeValues item                         `json:"ExpressionAttributeValues"`
	KeyConditions             map[string]legacyCondition   `json:"KeyConditions"`
	RequestItems              map[string]json.RawMessage   `json:"RequestItems"`
	TransactItems             []map[string]json.RawMessage `json:"TransactItems"`
}

type legacyCondition struct {
	AttributeValueList []attributeValue `json:"AttributeValueList"`
}

// Authorizations lists what IAM authorises for one DynamoDB JSON request (operation as in X-Amz-Target).
func (ts Tables) Authorizations(operation string, body []byte) ([]Authorization, error) {
	var r keyedRequest
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("dynamoiam: %s request: %w", operation, err)
	}
	action := "dynamodb:" + operation
	switch operation {
	case "GetItem", "DeleteItem", "UpdateItem":
		return ts.one(action, r.TableName, r.Key, "")
	case "PutItem":
		return ts.one(action, r.TableName, r.Item, "")
	case "Query":
		return ts.query(r)
	case "BatchGetItem", "BatchWriteItem":
		return ts.batch(action, r.RequestItems)
	case "TransactWriteItems", "TransactGetItems":
		return ts.transaction(operation, r.TransactItems)
	}
	// Scan, DescribeTable, ...: the action on the table (or index), without item keys.
	t, err := ts.table(r.TableName)
	if err != nil {
		if r.TableName == "" {
			return []Authorization{{Action: action, Resource: "*"}}, nil
		}
		return nil, err
	}
	res := t.ARN
	if r.IndexName != "" {
		res += "/index/" + r.IndexName
	}
	return []Authorization{{Action: action, Resource: res}}, nil
}

func (ts Tables) table(name string) (Table, error) {
	t, ok := ts[name]
	if !ok {
		return Table{}, fmt.Errorf("dynamoiam: table %q is not one of the stack's", name)
	}
	return t, nil
}

func (ts Tables) one(action, table string, key item, enclosing string) ([]Authorization, error) {
	t, err := ts.table(table)
	if err != nil {
		return nil, err
	}
	return []Authorization{{Action: action, Resource: t.ARN, LeadingKeys: []string{key[t.PartitionKey].scalar()},
		EnclosingOperation: enclosing}}, nil
}

// equality finds "<name> = <:value>" comparisons in a key condition expression.
var equality = regexp.MustCompile(`(#?[A-Za-z0-9_.\-]+)\s*=\s*(:[A-Za-z0-9_]+)`)

// query authorises on the table or index; LeadingKeys is the partition key value the key condition fixes
// (the index's partition key on an index Query).
func (ts Tables) query(r keyedRequest) ([]Authorization, error) {
	t, err := ts.table(r.TableName)
	if err != nil {
		return nil, err
	}
	res, pk := t.ARN, t.PartitionKey
	if r.IndexName != "" {
		res += "/index/" + r.IndexName
		if pk = t.IndexPartitionKeys[r.IndexName]; pk == "" {
			return nil, fmt.Errorf("dynamoiam: table %s has no index %s", r.TableName, r.IndexName)
		}
	}
	var leading []string
	for _, m := range equality.FindAllStringSubmatch(r.KeyConditionExpression, -1) {
		name := m[1]
		if alias, ok := r.ExpressionAttributeNames[name]; ok {
			name = alias
		}
		if name == pk {
			leading = append(leading, r.ExpressionAttributeValues[m[2]].scalar())
		}
	}
	if c, ok := r.KeyConditions[pk]; ok && len(c.AttributeValueList) > 0 {
		leading = append(leading, c.AttributeValueList[0].scalar())
	}
	if len(leading) != 1 {
		return nil, fmt.Errorf("dynamoiam: cannot tell the partition key value of Query %q", r.KeyConditionExpression)
	}
	return []Authorization{{Action: "dynamodb:Query", Resource: res, LeadingKeys: leading}}, nil
}

// batch authorises the batch action once per table, with every partition key value it touches there.
func (ts Tables) batch(action string, requestItems map[string]json.RawMessage) ([]Authorization, error) {
	names := make([]string, 0, len(requestItems))
	for name := range requestItems {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []Authorization
	for _, name := range names {
		t, err := ts.table(name)
		if err != nil {
			return nil, err
		}
		var keys []item
		var get struct {
			Keys []item `json:"Keys"`
		}
		var writes []struct {
			PutRequest    *struct{ Item item } `json:"PutRequest"`
			DeleteRequest *struct{ Key item }  `json:"DeleteRequest"`
		}
		if action == "dynamodb:BatchGetItem" {
			if err := json.Unmarshal(requestItems[name], &get); err != nil {
				return nil, err
			}
			keys = get.Keys
		} else {
			if err := json.Unmarshal(requestItems[name], &writes); err != nil {
				return nil, err
			}
			for _, w := range writes {
				switch {
				case w.PutRequest != nil:
					keys = append(keys, w.PutRequest.Item)
				case w.DeleteRequest != nil:
					keys = append(keys, w.DeleteRequest.Key)
				}
			}
		}
		a := Authorization{Action: action, Resource: t.ARN}
		for _, k := range keys {
			a.LeadingKeys = append(a.LeadingKeys, k[t.PartitionKey].scalar())
		}
		out = append(out, a)
	}
	return out, nil
}

// transaction authorises each item with its own action, inside the enclosing operation.
func (ts Tables) transaction(operation string, items []map[string]json.RawMessage) ([]Authorization, error) {
	actions := map[string]string{"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
		"ConditionCheck": "ConditionCheckItem", "Get": "GetItem"}
	var out []Authorization
	for i, it := range items {
		if len(it) != 1 {
			return nil, fmt.Errorf("dynamodb: %s item %d has %d operations", operation, i, len(it))
		}
		for kind, raw := range it {
			action, ok := actions[kind]
			if !ok {
				return nil, fmt.Errorf("dynamoiam: %s item %d: unknown %s", operation, i, kind)
			}
			var r keyedRequest
			if err := json.Unmarshal(raw, &r); err != nil {
				return nil, err
			}
			key := r.Key
			if kind == "Put" {
				key = r.Item
			}
			a, err := ts.one("dynamodb:"+action, r.TableName, key, operation)
			if err != nil {
				return nil, err
			}
			out = append(out, a...)
		}
	}
	return out, nil
}
