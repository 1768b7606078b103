package exactlyonce_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// TestCommittedChangeIsNeverRunTwice walks every idempotent route. Each request's transaction commits in
// DynamoDB, then its answer is lost and the invocation dies (nothing it sends afterwards arrives). After
// the lock expires (the guard's clock moves, nobody sleeps), the client retries with the same key: it
// must get the committed outcome, and the retry must change nothing.
func TestCommittedChangeIsNeverRunTwice(t *testing.T) {
	f := newFixture(t)
	s := &state{customer: "cust-" + f.run, order: "TGP-" + f.run, orderUpdatedAt: time.Now().Add(-time.Hour)}
	for i, st := range steps() {
		key := fmt.Sprintf("crash-%d-%s", i, f.run)
		before := f.snapshot()

		f.net.loseNext("TransactWriteItems")
		lost := f.do(st.handler(f), st.request(s), key)
		f.net.revive()
		if lost.StatusCode < 500 {
			t.Fatalf("%s: the lost answer was answered %d %s", st.name, lost.StatusCode, lost.Body)
		}
		committed := f.snapshot()
		if reflect.DeepEqual(before, committed) {
			t.Fatalf("%s: the transaction did not commit, so the test proves nothing", st.name)
		}

		// Within the lock the key is still held by the dead invocation... as far as anyone can tell.
		f.passLock()
		retry := f.do(st.handler(f), st.request(s), key)
		if retry.StatusCode != st.status || retry.Header("Idempotent-Replayed") != "true" {
			t.Fatalf("%s: retry answered %d (replayed %q) %s, want the committed %d", st.name, retry.StatusCode,
				retry.Header("Idempotent-Replayed"), retry.Body, st.status)
		}
		if after := f.snapshot(); !reflect.DeepEqual(committed, after) {
			t.Fatalf("%s: the retry changed the data again:\n%s", st.name, diff(committed, after))
		}
		again := f.do(st.handler(f), st.request(s), key)
		if again.StatusCode != retry.StatusCode || again.Body != retry.Body || again.Header("Location") != retry.Header("Location") {
			t.Fatalf("%s: replays differ: %d %s / %d %s", st.name, retry.StatusCode, retry.Body, again.StatusCode, again.Body)
		}
		if st.keep != nil {
			st.keep(s, decodeBody(f, retry))
		}
	}
	if f.net.lost != len(steps()) {
		t.Fatalf("%d answers lost, want one per step (%d)", f.net.lost, len(steps()))
	}
}

// TestLostAnswerWithLiveInvocation loses only the commit's answer: the invocation goes on, answers 503 (retry) and
// releases its claim. The release must not remove the completed record, so an immediate retry (no lock
// expiry needed) replays the committed outcome.
func TestLostAnswerWithLiveInvocation(t *testing.T) {
	f := newFixture(t)
	s := &state{customer: "cust-" + f.run, order: "TGP-" + f.run, orderUpdatedAt: time.Now().Add(-time.Hour)}
	for i, st := range steps()[:3] {
		key := fmt.Sprintf("live-%d-%s", i, f.run)
		f.net.loseNext("TransactWriteItems")
		f.net.reviveAfterLoss = true
		lost := f.do(st.handler(f), st.request(s), key)
		if lost.StatusCode != 503 || lost.Header("Retry-After") == "" {
			t.Fatalf("%s: %d (Retry-After %q) %s; want 503, retry with the same key", st.name, lost.StatusCode,
				lost.Header("Retry-After"), lost.Body)
		}
		committed := f.snapshot()
		retry := f.do(st.handler(f), st.request(s), key)
		if retry.StatusCode != st.status || retry.Header("Idempotent-Replayed") != "true" {
			t.Fatalf("%s: retry answered %d %s, want the committed %d replayed", st.name, retry.StatusCode, retry.Body, st.status)
		}
		if after := f.snapshot(); !reflect.DeepEqual(committed, after) {
			t.Fatalf("%s: the retry changed the data again:\n%s", st.name, diff(committed, after))
		}
		if st.keep != nil {
			st.keep(s, decodeBody(f, retry))
		}
	}
}

// snapshot is every item of the support table, by key. A Scan is fine here: the table is this test's own.
func (f *fixture) snapshot() map[string]map[string]types.AttributeValue {
	f.t.Helper()
	out := map[string]map[string]types.AttributeValue{}
	p := dynamodb.NewScanPaginator(f.env.Client, &dynamodb.ScanInput{TableName: &f.env.SupportTable, ConsistentRead: boolPtr(true)})
	for p.HasMorePages() {
		page, err := p.NextPage(f.t.Context())
		if err != nil {
			f.t.Fatal(err)
		}
		for _, it := range page.Items {
			out[keyOf(it)] = it
		}
	}
	return out
}

func boolPtr(b bool) *bool { return &b }

func keyOf(it map[string]types.AttributeValue) string {
	pk, _ := it["PK"].(*types.AttributeValueMemberS)
	sk, _ := it["SK"].(*types.AttributeValueMemberS)
	if pk == nil || sk == nil {
		return "?"
	}
	return pk.Value + " " + sk.Value
}

func diff(a, b map[string]map[string]types.AttributeValue) string {
	out := ""
	for k, v := range b {
		if w, ok := a[k]; !ok {
			out += "+ " + k + "\n"
		} else if !reflect.DeepEqual(v, w) {
			out += "~ " + k + "\n"
		}
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			out += "- " + k + "\n"
		}
	}
	return out
}
