package provision

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/infra/testenv"
)

// The template's stream is enabled on a new table, and on a kept table that was created without one; its
// ARN resolves !GetAtt SupportTable.StreamArn.
func TestEnsureEnablesTheTemplateStream(t *testing.T) {
	ep := Endpoints{DynamoDB: testenv.DynamoDBEndpoint(t), SQS: testenv.SQSEndpoint(t)}
	ep.SNS = ep.SQS
	tpl := testenv.ProjectTemplate(t)
	c := NewClients(ep, testenv.Region)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	prefix := uniquePrefix()

	// An older local table without the stream.
	tables, err := tpl.Tables()
	if err != nil {
		t.Fatal(err)
	}
	old := tables["SupportTable"].Input
	old.TableName, old.StreamSpecification = aws.String(prefix+"SupportTable"), nil
	if _, err := c.DynamoDB.CreateTable(ctx, old); err != nil {
		t.Fatal(err)
	}

	res, err := Ensure(ctx, tpl, c, Options{Prefix: prefix})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if res != nil {
			_ = Delete(ctx, c, res)
		} else {
			_, _ = c.DynamoDB.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: old.TableName})
		}
	})
	if err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	arn := res.Streams["SupportTable"]
	if arn == "" || !strings.Contains(arn, prefix+"SupportTable") {
		t.Fatalf("streams %v", res.Streams)
	}
	if _, ok := res.Streams["IdempotencyTable"]; ok {
		t.Error("IdempotencyTable has no stream in the template")
	}
	desc, err := c.DynamoDB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(res.Tables["SupportTable"])})
	if err != nil {
		t.Fatal(err)
	}
	if s := desc.Table.StreamSpecification; s == nil || !aws.ToBool(s.StreamEnabled) || s.StreamViewType != ddbtypes.StreamViewTypeNewImage {
		t.Fatalf("stream spec %+v", desc.Table.StreamSpecification)
	}
	if got, err := tpl.Resolve(map[string]any{"Fn::GetAtt": []any{"SupportTable", "StreamArn"}}, res.Names(tpl, "s")); err != nil || got != arn {
		t.Fatalf("StreamArn resolves to %q (%v), want %q", got, err, arn)
	}

	// Kept on the next run, same stream.
	again, err := Ensure(ctx, tpl, c, Options{Prefix: prefix})
	if err != nil || again.Streams["SupportTable"] != arn {
		t.Fatalf("second Ensure: %v %v", again.Streams, err)
	}
}
