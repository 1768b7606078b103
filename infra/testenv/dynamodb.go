package testenv

import (
	"errors"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/infra/samtemplate"
)

// DynamoEnv is a set of freshly created tables, one per AWS::DynamoDB::Table in template.yaml.
type DynamoEnv struct {
	Client *dynamodb.Client
	// SupportTable and IdempotencyTable are the created names of the template's tables with those logical ids.
	SupportTable     string
	IdempotencyTable string

	t      testing.TB
	tables map[string]string // logical id -> name
}

// DynamoDB creates every table of template.yaml under a unique name (keys, GSIs, TTL as the template says),
// waits until they are ACTIVE and deletes them when the test ends.
func DynamoDB(t testing.TB) *DynamoEnv {
	t.Helper()
	endpoint := DynamoDBEndpoint(t)
	return newDynamoEnv(t, ProjectTemplate(t), NewDynamoDBClient(endpoint))
}

func newDynamoEnv(t testing.TB, tpl *samtemplate.Template, client *dynamodb.Client) *DynamoEnv {
	t.Helper()
	defs, err := tpl.Tables()
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	env := &DynamoEnv{Client: client, t: t, tables: map[string]string{}}
	prefix := uniquePrefix(t)
	ctx := t.Context()

	ids := make([]string, 0, len(defs))
	for id := range defs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		def := defs[id]
		name := prefix + id
		def.Input.TableName = aws.String(name)
		if _, err := client.CreateTable(ctx, def.Input); err != nil {
			t.Fatalf("testenv: create table %s (%s): %v", id, name, err)
		}
		env.tables[id] = name
		t.Cleanup(func() { deleteTable(t, client, name) })

		waiter := dynamodb.NewTableExistsWaiter(client, func(o *dynamodb.TableExistsWaiterOptions) {
			o.MinDelay, o.MaxDelay = 50*time.Millisecond, time.Second
		})
		if err := waiter.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 30*time.Second); err != nil {
			t.Fatalf("testenv: table %s did not become ACTIVE: %v", name, err)
		}
		if def.TTLAttribute != "" {
			_, err := client.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
				TableName: aws.String(name),
				TimeToLiveSpecification: &types.TimeToLiveSpecification{
					AttributeName: aws.String(def.TTLAttribute), Enabled: aws.Bool(true),
				},
			})
			if err != nil {
				t.Fatalf("testenv: enable TTL on %s: %v", name, err)
			}
		}
	}
	env.SupportTable = env.tables["SupportTable"]
	env.IdempotencyTable = env.tables["IdempotencyTable"]
	return env
}

// Table returns the created name of the template table with the given logical id; it fails the test when
// the template has no such table.
func (e *DynamoEnv) Table(logicalID string) string {
	e.t.Helper()
	name, ok := e.tables[logicalID]
	if !ok {
		e.t.Fatalf("testenv: template.yaml has no DynamoDB table %q", logicalID)
	}
	return name
}

func deleteTable(t testing.TB, client *dynamodb.Client, name string) {
	ctx, cancel := cleanupContext()
	defer cancel()
	_, err := client.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	var notFound *types.ResourceNotFoundException
	if err != nil && !errors.As(err, &notFound) {
		t.Errorf("testenv: delete table %s: %v", name, err)
	}
}
