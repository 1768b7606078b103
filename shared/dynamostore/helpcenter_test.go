package dynamostore_test

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/helpcenter"
)

func indexChunks(t *testing.T, env *testenv.DynamoEnv) []string {
	t.Helper()
	out, err := env.Client.Query(t.Context(), &dynamodb.QueryInput{
		TableName:                 aws.String(env.SupportTable),
		KeyConditionExpression:    aws.String("PK = :pk AND begins_with(SK, :c)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: "HELP#INDEX"}, ":c": &types.AttributeValueMemberS{Value: "CHUNK#"}},
		ConsistentRead:            aws.Bool(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	var sks []string
	for _, it := range out.Items {
		sks = append(sks, it["SK"].(*types.AttributeValueMemberS).Value)
	}
	return sks
}

// An index larger than DynamoDB's 400 KB item limit is stored in chunks and read back whole; a newer
// index replaces it, the one before stays for searchers still loading it, older ones are deleted, and a
// stale writer never overwrites a newer index.
func TestHelpIndexIsChunkedVersionedAndCleanedUp(t *testing.T) {
	env := testenv.DynamoDB(t)
	s := dynamostore.NewHelpCenter(env.Client, env.SupportTable)
	ctx := t.Context()
	save := func(seq int64, b []byte) error {
		t.Helper()
		h, err := s.IndexHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		h.ContentSeq = seq
		return s.SaveIndex(ctx, h, b)
	}
	blob := func(n int) []byte {
		b := make([]byte, n)
		_, _ = rand.Read(b)
		return b
	}
	if h, err := s.IndexHead(ctx); err != nil || h != (helpcenter.IndexHead{}) {
		t.Fatalf("empty table: %+v %v", h, err)
	}
	big := blob(800_000)
	stale, _ := s.IndexHead(ctx) // what a slow writer of change 1 read before anything was built
	stale.ContentSeq = 1
	if err := save(1, big); err != nil {
		t.Fatal(err)
	}
	h, err := s.IndexHead(ctx)
	if err != nil || h.Seq != 1 || h.Chunks != 3 {
		t.Fatalf("head %+v %v, want seq 1 in 3 chunks", h, err)
	}
	got, err := s.LoadIndex(ctx, h)
	if err != nil || !bytes.Equal(got, big) {
		t.Fatalf("loaded %d bytes (%v), want the %d stored", len(got), err, len(big))
	}
	second, third := blob(10), blob(20)
	if err := save(2, second); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveIndex(ctx, stale, blob(5)); err != nil { // the slow writer of the older change
		t.Fatal(err)
	}
	if h, _ := s.IndexHead(ctx); h.Seq != 2 || h.Chunks != 1 {
		t.Fatalf("after a stale save: %+v", h)
	}
	if err := save(3, third); err != nil {
		t.Fatal(err)
	}
	chunks := indexChunks(t, env)
	if len(chunks) != 2 || !strings.HasPrefix(chunks[0], "CHUNK#000000000002#B") || !strings.HasPrefix(chunks[1], "CHUNK#000000000003#B") {
		t.Errorf("chunks %v, want the current index and the one before", chunks)
	}
	h, _ = s.IndexHead(ctx)
	if got, err := s.LoadIndex(ctx, h); err != nil || !bytes.Equal(got, third) {
		t.Errorf("loaded %v %v", got, err)
	}
	// A head that names more chunks than stored is an error, not a truncated index.
	h.Chunks = 2
	if _, err := s.LoadIndex(ctx, h); err == nil {
		t.Error("a missing chunk was not noticed")
	}
}

// A change to published content moves the head's content sequence in the change's own transaction;
// a draft edit does not.
func TestHelpArticleSaveMarksTheIndexStale(t *testing.T) {
	env := testenv.DynamoDB(t)
	s := dynamostore.NewHelpCenter(env.Client, env.SupportTable)
	ctx := t.Context()
	now := time.Now().UTC().Truncate(time.Millisecond)
	a := helpcenter.Article{Slug: "cara-retur", Status: helpcenter.StatusDraft, Version: 1, CreatedAt: now, UpdatedAt: now, UpdatedBy: "dewi",
		Draft: helpcenter.Draft{Category: "returns", Tags: []string{"retur"}, Content: map[string]helpcenter.Content{"id": {Title: "Cara retur", Body: "Isi."}}}}
	entry := func(a helpcenter.Article, action helpcenter.Action) helpcenter.Version {
		return helpcenter.Version{Slug: a.Slug, Version: a.Version, Action: action, Status: a.Status, By: "dewi", At: now, Draft: a.Draft}
	}
	if err := s.Save(ctx, a, 0, entry(a, helpcenter.ActionCreate), false); err != nil {
		t.Fatal(err)
	}
	if h, _ := s.IndexHead(ctx); h.ContentSeq != 0 {
		t.Errorf("a draft moved the content sequence: %+v", h)
	}
	if err := s.Save(ctx, a, 0, entry(a, helpcenter.ActionCreate), false); err == nil {
		t.Error("creating an existing article twice succeeded")
	}
	pub := a
	pub.Version, pub.Status = 2, helpcenter.StatusPublished
	pub.Published = &helpcenter.Snapshot{Draft: a.Draft, Version: 2, At: now, By: "dewi"}
	if err := s.Save(ctx, pub, 1, entry(pub, helpcenter.ActionPublish), true); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, pub, 1, entry(pub, helpcenter.ActionPublish), true); err == nil {
		t.Error("a save on a version read before the last change succeeded")
	}
	h, _ := s.IndexHead(ctx)
	if h.ContentSeq != 1 || h.Seq != 0 || !h.ContentChangedAt.Equal(now) {
		t.Errorf("head %+v, want content sequence 1 changed at %v and nothing built", h, now)
	}
	got, err := s.Get(ctx, "cara-retur")
	if err != nil || got.Version != 2 || got.Published == nil || !got.Published.Draft.Equal(a.Draft) || !got.Draft.Equal(a.Draft) {
		t.Errorf("stored %+v %v", got, err)
	}
	vs, err := s.Versions(ctx, "cara-retur")
	if err != nil || len(vs) != 2 || vs[0].Action != helpcenter.ActionCreate || vs[1].Action != helpcenter.ActionPublish || vs[1].Status != helpcenter.StatusPublished {
		t.Errorf("versions %+v %v", vs, err)
	}
}
