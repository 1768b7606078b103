package dynamostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/shared/helpcenter"
	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
	"github.com/tanggap/tanggap/shared/platform/randomid"
)

// Help center:
//
//	HELP#ARTICLES          ARTICLE#<slug>           the article: draft, status, version, published snapshot
//	HELP#ARTICLE#<slug>    VERSION#<00000001>       its history, one item per change (never deleted)
//	HELP#FEEDBACK#<slug>   VOTER#<hash>             one reader's vote (first one counts)
//	HELP#INDEX             #HEAD                    the search index: seq/chunks built, contentSeq to build
//	HELP#INDEX             CHUNK#<seq>#<build>#<n>  the encoded index in chunks of at most indexChunkBytes
//
// Every article lives in one partition so that the index build lists them with one consistent Query
// (a few pages for thousands of articles) instead of a Scan or an eventually consistent index; readers
// get articles by key. A change that alters published content adds one to the head's contentSeq in its
// own transaction, so the index built afterwards knows which changes it holds.

const (
	helpArticlesPK  = "HELP#ARTICLES"
	helpIndexPK     = "HELP#INDEX"
	helpIndexHeadSK = "#HEAD"
	// indexChunkBytes keeps each chunk item well under DynamoDB's 400 KB item limit.
	indexChunkBytes = 350_000
)

func helpArticleSK(slug string) string  { return "ARTICLE#" + slug }
func helpVersionsPK(slug string) string { return "HELP#ARTICLE#" + slug }
func helpVersionSK(v int) string        { return fmt.Sprintf("VERSION#%08d", v) }
func helpFeedbackPK(slug string) string { return "HELP#FEEDBACK#" + slug }

// indexBuilds names index builds.
var indexBuilds = randomid.NewKind("B")

// A chunk's key names its build as well as its sequence, so two writers building the same sequence never
// overwrite each other's chunks.
func helpChunkPrefix(seq int64, build string) string {
	return fmt.Sprintf("CHUNK#%012d#%s#", seq, build)
}
func helpChunkSK(seq int64, build string, n int) string {
	return helpChunkPrefix(seq, build) + fmt.Sprintf("%04d", n)
}

type helpContentItem struct {
	Title string `dynamodbav:"title"`
	Body  string `dynamodbav:"body"`
}

type helpDraftItem struct {
	Category string                     `dynamodbav:"category"`
	Tags     []string                   `dynamodbav:"tags"`
	Content  map[string]helpContentItem `dynamodbav:"content"`
}

type helpSnapshotItem struct {
	helpDraftItem
	Version int       `dynamodbav:"version"`
	At      time.Time `dynamodbav:"at"`
	By      string    `dynamodbav:"by"`
}

type helpArticleItem struct {
	PK      string `dynamodbav:"PK"`
	SK      string `dynamodbav:"SK"`
	Entity  string `dynamodbav:"entity"`
	Slug    string `dynamodbav:"slug"`
	Status  string `dynamodbav:"status"`
	Version int    `dynamodbav:"version"`
	helpDraftItem
	Published *helpSnapshotItem `dynamodbav:"published,omitempty"`
	CreatedAt time.Time         `dynamodbav:"createdAt"`
	UpdatedAt time.Time         `dynamodbav:"updatedAt"`
	UpdatedBy string            `dynamodbav:"updatedBy"`
}

type helpVersionItem struct {
	PK      string    `dynamodbav:"PK"`
	SK      string    `dynamodbav:"SK"`
	Entity  string    `dynamodbav:"entity"`
	Slug    string    `dynamodbav:"slug"`
	Version int       `dynamodbav:"version"`
	Action  string    `dynamodbav:"action"`
	Status  string    `dynamodbav:"status"`
	By      string    `dynamodbav:"by"`
	At      time.Time `dynamodbav:"at"`
	helpDraftItem
}

type helpVoteItem struct {
	PK      string    `dynamodbav:"PK"`
	SK      string    `dynamodbav:"SK"`
	Entity  string    `dynamodbav:"entity"`
	Slug    string    `dynamodbav:"slug"`
	Helpful bool      `dynamodbav:"helpful"`
	Context string    `dynamodbav:"context"`
	At      time.Time `dynamodbav:"at"`
}

func toDraftItem(d helpcenter.Draft) helpDraftItem {
	it := helpDraftItem{Category: d.Category, Tags: d.Tags, Content: map[string]helpContentItem{}}
	for lang, c := range d.Content {
		it.Content[lang] = helpContentItem{Title: c.Title, Body: c.Body}
	}
	return it
}

func (it helpDraftItem) draft() helpcenter.Draft {
	d := helpcenter.Draft{Category: it.Category, Tags: it.Tags, Content: map[string]helpcenter.Content{}}
	for lang, c := range it.Content {
		d.Content[lang] = helpcenter.Content{Title: c.Title, Body: c.Body}
	}
	return d
}

func (it helpArticleItem) article() helpcenter.Article {
	a := helpcenter.Article{Slug: it.Slug, Draft: it.draft(), Status: helpcenter.Status(it.Status), Version: it.Version,
		CreatedAt: it.CreatedAt, UpdatedAt: it.UpdatedAt, UpdatedBy: it.UpdatedBy}
	if p := it.Published; p != nil {
		a.Published = &helpcenter.Snapshot{Draft: p.draft(), Version: p.Version, At: p.At, By: p.By}
	}
	return a
}

// HelpCenter stores help articles, their history, feedback and the search index in the support table.
type HelpCenter struct {
	db    DB
	table string
}

var (
	_ helpcenter.Store      = (*HelpCenter)(nil)
	_ helpcenter.IndexStore = (*HelpCenter)(nil)
)

// NewHelpCenter returns the help-center store for table.
func NewHelpCenter(db DB, table string) *HelpCenter { return &HelpCenter{db: db, table: table} }

func (s *HelpCenter) key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"PK": str(pk), "SK": str(sk)}
}

// Get reads an article by key.
func (s *HelpCenter) Get(ctx context.Context, slug string) (helpcenter.Article, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: s.key(helpArticlesPK, helpArticleSK(slug))})
	if err != nil {
		return helpcenter.Article{}, fmt.Errorf("get help article: %w", err)
	}
	if out.Item == nil {
		return helpcenter.Article{}, helpcenter.ErrNotFound
	}
	var it helpArticleItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return helpcenter.Article{}, err
	}
	return it.article(), nil
}

// queryAll runs in page by page and returns every item.
func (s *HelpCenter) queryAll(ctx context.Context, in *dynamodb.QueryInput) ([]map[string]types.AttributeValue, error) {
	var items []map[string]types.AttributeValue
	for {
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, err
		}
		items = append(items, out.Items...)
		if len(out.LastEvaluatedKey) == 0 {
			return items, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// List reads every article with one consistent Query of the articles partition; deleted ones are left out.
func (s *HelpCenter) List(ctx context.Context) ([]helpcenter.Article, error) {
	items, err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName:                 &s.table,
		KeyConditionExpression:    aws.String("PK = :pk AND begins_with(SK, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(helpArticlesPK), ":prefix": str("ARTICLE#")},
		ConsistentRead:            aws.Bool(true),
	})
	if err != nil {
		return nil, fmt.Errorf("list help articles: %w", err)
	}
	out := make([]helpcenter.Article, 0, len(items))
	for _, item := range items {
		var it helpArticleItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return nil, err
		}
		if it.Status != string(helpcenter.StatusDeleted) {
			out = append(out, it.article())
		}
	}
	return out, nil
}

// Versions reads an article's history, oldest first.
func (s *HelpCenter) Versions(ctx context.Context, slug string) ([]helpcenter.Version, error) {
	items, err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName:                 &s.table,
		KeyConditionExpression:    aws.String("PK = :pk AND begins_with(SK, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(helpVersionsPK(slug)), ":prefix": str("VERSION#")},
	})
	if err != nil {
		return nil, fmt.Errorf("list help article versions: %w", err)
	}
	out := make([]helpcenter.Version, 0, len(items))
	for _, item := range items {
		var it helpVersionItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return nil, err
		}
		out = append(out, helpcenter.Version{Slug: it.Slug, Version: it.Version, Action: helpcenter.Action(it.Action),
			Status: helpcenter.Status(it.Status), By: it.By, At: it.At, Draft: it.draft()})
	}
	return out, nil
}

var errHelpArticleMoved = errors.New("the help article changed since it was read")

// Save writes the article and its history entry in one transaction, conditional on the version read;
// a change to published content also adds one to the index head's contentSeq.
func (s *HelpCenter) Save(ctx context.Context, next helpcenter.Article, prevVersion int, entry helpcenter.Version, republished bool) error {
	it := helpArticleItem{PK: helpArticlesPK, SK: helpArticleSK(next.Slug), Entity: "help_article", Slug: next.Slug,
		Status: string(next.Status), Version: next.Version, helpDraftItem: toDraftItem(next.Draft),
		CreatedAt: next.CreatedAt.UTC(), UpdatedAt: next.UpdatedAt.UTC(), UpdatedBy: next.UpdatedBy}
	if p := next.Published; p != nil {
		it.Published = &helpSnapshotItem{helpDraftItem: toDraftItem(p.Draft), Version: p.Version, At: p.At.UTC(), By: p.By}
	}
	av, err := attributevalue.MarshalMap(it)
	if err != nil {
		return err
	}
	ev, err := attributevalue.MarshalMap(helpVersionItem{PK: helpVersionsPK(entry.Slug), SK: helpVersionSK(entry.Version), Entity: "help_article_version",
		Slug: entry.Slug, Version: entry.Version, Action: string(entry.Action), Status: string(entry.Status), By: entry.By, At: entry.At.UTC(),
		helpDraftItem: toDraftItem(entry.Draft)})
	if err != nil {
		return err
	}
	put := &types.Put{TableName: &s.table, Item: av, ConditionExpression: aws.String("attribute_not_exists(PK)")}
	if prevVersion > 0 {
		put.ConditionExpression = aws.String("#version = :prev")
		put.ExpressionAttributeNames = map[string]string{"#version": "version"}
		put.ExpressionAttributeValues = map[string]types.AttributeValue{":prev": num(int64(prevVersion))}
	}
	items := []types.TransactWriteItem{
		{Put: put},
		{Put: &types.Put{TableName: &s.table, Item: ev, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
	}
	if republished {
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName:                 &s.table,
			Key:                       s.key(helpIndexPK, helpIndexHeadSK),
			UpdateExpression:          aws.String("SET #entity = :entity, #changed = :at ADD #contentSeq :one"),
			ExpressionAttributeNames:  map[string]string{"#entity": "entity", "#changed": "contentChangedAt", "#contentSeq": "contentSeq"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":entity": str("help_index_head"), ":at": str(sortableTime(next.UpdatedAt)), ":one": num(1)},
		}})
	}
	return transactWrite(ctx, s.db, func() []types.TransactWriteItem { return items }, func(err error) (error, bool) {
		if reasons := cancellationReasons(err); (len(reasons) > 1 && (reasons[0] == "ConditionalCheckFailed" || reasons[1] == "ConditionalCheckFailed")) || isTransactionConflict(err) {
			return helpcenter.ErrVersionConflict.Wrap(errors.Join(errHelpArticleMoved, err)), true
		}
		return fmt.Errorf("save help article %s: %w", next.Slug, err), false
	})
}

// Vote reads a reader's vote on an article.
func (s *HelpCenter) Vote(ctx context.Context, slug, voter string) (*helpcenter.Feedback, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: s.key(helpFeedbackPK(slug), "VOTER#"+voter), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, fmt.Errorf("get help feedback: %w", err)
	}
	if out.Item == nil {
		return nil, nil
	}
	var it helpVoteItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return nil, err
	}
	return &helpcenter.Feedback{Slug: it.Slug, Voter: voter, Helpful: it.Helpful, Context: it.Context, At: it.At}, nil
}

// RecordVote writes a first vote in one transaction: a check that the article is published, the vote
// (conditional on none being there) and its counters.
func (s *HelpCenter) RecordVote(ctx context.Context, f helpcenter.Feedback) error {
	av, err := attributevalue.MarshalMap(helpVoteItem{PK: helpFeedbackPK(f.Slug), SK: "VOTER#" + f.Voter, Entity: "help_feedback",
		Slug: f.Slug, Helpful: f.Helpful, Context: f.Context, At: f.At.UTC()})
	if err != nil {
		return err
	}
	check := types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
		TableName:                 &s.table,
		Key:                       s.key(helpArticlesPK, helpArticleSK(f.Slug)),
		ConditionExpression:       aws.String("#status = :published"),
		ExpressionAttributeNames:  map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":published": str(string(helpcenter.StatusPublished))},
	}}
	put := types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: av, ConditionExpression: aws.String("attribute_not_exists(PK)")}}
	return transactWrite(ctx, s.db, func() []types.TransactWriteItem {
		return []types.TransactWriteItem{check, put, counterUpdate(s.table, f.At, f.Counters())}
	}, func(err error) (error, bool) {
		reasons := cancellationReasons(err)
		switch {
		case len(reasons) > 0 && reasons[0] == "ConditionalCheckFailed":
			return helpcenter.ErrNotFound.Wrap(err), false
		case len(reasons) > 1 && reasons[1] == "ConditionalCheckFailed", isTransactionConflict(err):
			// the same reader's vote landed first: read it and answer with it
			return idempotency.Stale(fmt.Errorf("help feedback raced: %w", err)), true
		}
		return fmt.Errorf("record help feedback on %s: %w", f.Slug, err), false
	})
}

// CountView adds one article view to a random counter shard of at's day, with one UpdateItem.
func (s *HelpCenter) CountView(ctx context.Context, at time.Time) error {
	u := counterUpdate(s.table, at, map[string]int64{metrics.HelpArticleViews: 1}).Update
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: u.TableName, Key: u.Key, UpdateExpression: u.UpdateExpression,
		ExpressionAttributeNames: u.ExpressionAttributeNames, ExpressionAttributeValues: u.ExpressionAttributeValues})
	if err != nil {
		return fmt.Errorf("count help article view: %w", err)
	}
	return nil
}

type helpIndexHeadItem struct {
	Seq              int64  `dynamodbav:"seq"`
	Chunks           int    `dynamodbav:"chunks"`
	Bytes            int    `dynamodbav:"bytes"`
	ContentSeq       int64  `dynamodbav:"contentSeq"`
	ContentChangedAt string `dynamodbav:"contentChangedAt"`
	BuiltAt          string `dynamodbav:"builtAt"`
	Build            string `dynamodbav:"build"`
	PrevSeq          int64  `dynamodbav:"prevSeq"`
	PrevBuild        string `dynamodbav:"prevBuild"`
	PrevChunks       int    `dynamodbav:"prevChunks"`
}

// IndexHead reads the index head (strongly consistent, so a searcher sees a rebuild at once).
func (s *HelpCenter) IndexHead(ctx context.Context) (helpcenter.IndexHead, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: s.key(helpIndexPK, helpIndexHeadSK), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return helpcenter.IndexHead{}, fmt.Errorf("get help index head: %w", err)
	}
	var it helpIndexHeadItem
	if out.Item != nil {
		if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
			return helpcenter.IndexHead{}, err
		}
	}
	changed, _ := time.Parse("2006-01-02T15:04:05.000Z", it.ContentChangedAt)
	return helpcenter.IndexHead{Seq: it.Seq, Build: it.Build, Chunks: it.Chunks, ContentSeq: it.ContentSeq, ContentChangedAt: changed,
		PrevSeq: it.PrevSeq, PrevBuild: it.PrevBuild, PrevChunks: it.PrevChunks}, nil
}

// LoadIndex reads the chunks of head's index with one Query (paged at 1 MB) and joins them.
func (s *HelpCenter) LoadIndex(ctx context.Context, head helpcenter.IndexHead) ([]byte, error) {
	items, err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName:                 &s.table,
		KeyConditionExpression:    aws.String("PK = :pk AND begins_with(SK, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(helpIndexPK), ":prefix": str(helpChunkPrefix(head.Seq, head.Build))},
		ConsistentRead:            aws.Bool(true),
	})
	if err != nil {
		return nil, fmt.Errorf("load help index: %w", err)
	}
	if len(items) != head.Chunks {
		return nil, fmt.Errorf("load help index %d: %d chunks, head says %d", head.Seq, len(items), head.Chunks)
	}
	var blob []byte
	for _, item := range items {
		b, ok := item["data"].(*types.AttributeValueMemberB)
		if !ok {
			return nil, fmt.Errorf("load help index %d: a chunk has no data", head.Seq)
		}
		blob = append(blob, b.Value...)
	}
	return blob, nil
}

// SaveIndex stores blob as the index of head.ContentSeq: the chunks first, then the head (conditional on
// holding an older index), then it deletes the chunks of the index before the one it replaced (that one
// stays for searchers still loading it). Their keys are in the head, so no Query is needed.
func (s *HelpCenter) SaveIndex(ctx context.Context, head helpcenter.IndexHead, blob []byte) error {
	seq := head.ContentSeq
	if head.Seq >= seq && head.Chunks > 0 {
		return nil // built already, by this or a newer change
	}
	build := indexBuilds.New()
	n := 0
	for off := 0; off < len(blob) || n == 0; off += indexChunkBytes {
		part := blob[off:min(off+indexChunkBytes, len(blob))]
		_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: map[string]types.AttributeValue{
			"PK": str(helpIndexPK), "SK": str(helpChunkSK(seq, build, n)), "entity": str("help_index_chunk"),
			"data": &types.AttributeValueMemberB{Value: part},
		}})
		if err != nil {
			return fmt.Errorf("store help index chunk %d: %w", n, err)
		}
		n++
	}
	// Point the head at the new chunks, only over the index this writer last read (so the record of which
	// chunks to delete next stays true); when another writer moved it meanwhile, read it again and go on only
	// if ours is still newer.
	for attempt := 0; ; attempt++ {
		err := s.pointHead(ctx, head, seq, build, n, len(blob))
		if err == nil {
			break
		}
		if !isConditionFailed(err) || attempt == 3 {
			return fmt.Errorf("store help index head: %w", err)
		}
		if head, err = s.IndexHead(ctx); err != nil {
			return err
		}
		if head.Seq >= seq {
			return s.deleteChunks(ctx, seq, build, n) // as new an index won; ours is garbage
		}
	}
	return s.deleteChunks(ctx, head.PrevSeq, head.PrevBuild, head.PrevChunks)
}

// pointHead makes the head name the index of seq in n chunks, the one it named (prev) becoming the previous.
func (s *HelpCenter) pointHead(ctx context.Context, prev helpcenter.IndexHead, seq int64, build string, n, size int) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &s.table,
		Key:       s.key(helpIndexPK, helpIndexHeadSK),
		UpdateExpression: aws.String("SET #entity = :entity, #seq = :seq, #build = :build, #chunks = :chunks, #bytes = :bytes, #built = :built, " +
			"#prevSeq = :prevSeq, #prevBuild = :prevBuild, #prevChunks = :prevChunks"),
		ConditionExpression: aws.String("attribute_not_exists(#build) OR #build = :readBuild"),
		ExpressionAttributeNames: map[string]string{"#entity": "entity", "#seq": "seq", "#build": "build", "#chunks": "chunks", "#bytes": "bytes",
			"#built": "builtAt", "#prevSeq": "prevSeq", "#prevBuild": "prevBuild", "#prevChunks": "prevChunks"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":entity": str("help_index_head"), ":seq": num(seq), ":build": str(build),
			":chunks": num(int64(n)), ":bytes": num(int64(size)), ":built": str(sortableTime(time.Now())),
			":prevSeq": num(prev.Seq), ":prevBuild": str(prev.Build), ":prevChunks": num(int64(prev.Chunks)), ":readBuild": str(prev.Build)},
	})
	return err
}

// deleteChunks deletes the n chunks of the index of seq and build (none when build is empty).
func (s *HelpCenter) deleteChunks(ctx context.Context, seq int64, build string, n int) error {
	if build == "" {
		return nil
	}
	for i := range n {
		if _, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.table, Key: s.key(helpIndexPK, helpChunkSK(seq, build, i))}); err != nil {
			return fmt.Errorf("delete old help index chunk: %w", err)
		}
	}
	return nil
}
