package dynamostore_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tanggap/tanggap/infra/testenv"
	"github.com/tanggap/tanggap/shared/dynamostore"
	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/ticket"
)

func nAttr(item map[string]types.AttributeValue, name string) int64 {
	v, ok := item[name].(*types.AttributeValueMemberN)
	if !ok {
		return 0
	}
	n, _ := strconv.ParseInt(v.Value, 10, 64)
	return n
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// A ticket's queue keys follow its state through every write: the first-response due time while
// unanswered, the resolution due time after, the resolved lane, out of the index when closed, back when
// reopened; the counters of its team and priority move in the same transactions.
func TestTicketQueueKeysAndCountersFollowTheTicket(t *testing.T) {
	env := testenv.DynamoDB(t)
	store := dynamostore.NewTickets(env.Client, env.SupportTable)
	ctx := context.Background()
	tk := sampleTicket("TKT-QUEUE", "budi", ticketBase, ticket.PriorityNormal)
	createTicket(t, store, tk, nil)

	check := func(step, wantPK, wantSK string, open, unanswered int64) {
		t.Helper()
		it := getRaw(t, env, "TICKET#TKT-QUEUE", "#TICKET")
		if sAttr(it, "GSI2PK") != wantPK || sAttr(it, "GSI2SK") != wantSK {
			t.Errorf("%s: GSI2 %q / %q, want %q / %q", step, sAttr(it, "GSI2PK"), sAttr(it, "GSI2SK"), wantPK, wantSK)
		}
		if _, has := it["GSI2PK"]; wantPK == "" && has {
			t.Errorf("%s: GSI2PK still present", step)
		}
		c := getRaw(t, env, "QUEUECOUNT#TICKET#payments#normal", "#COUNTERS")
		if nAttr(c, "open") != open || nAttr(c, "unanswered") != unanswered {
			t.Errorf("%s: counters open=%d unanswered=%d, want %d %d", step, nAttr(c, "open"), nAttr(c, "unanswered"), open, unanswered)
		}
	}
	tail := "#" + stamp(tk.CreatedAt) + "#TKT-QUEUE"
	check("created", "QUEUE#TICKET#payments#active", stamp(tk.FirstResponseDueAt)+tail, 1, 1)

	update := func(mutate func(*ticket.Ticket)) {
		t.Helper()
		before, _, err := store.Read(ctx, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		after := before
		after.Version++
		mutate(&after)
		if err := store.Update(ctx, ticket.Change{Before: before, After: after, At: after.UpdatedAt}); err != nil {
			t.Fatal(err)
		}
	}
	at := ticketBase.Add(time.Hour)
	update(func(a *ticket.Ticket) { a.Status, a.FirstRespondedAt = ticket.StatusInProgress, &at })
	check("answered", "QUEUE#TICKET#payments#active", stamp(tk.ResolutionDueAt)+tail, 1, 0)

	update(func(a *ticket.Ticket) { a.Status, a.ResolvedAt = ticket.StatusResolved, &at })
	check("resolved", "QUEUE#TICKET#payments#resolved", stamp(tk.ResolutionDueAt)+tail, 0, 0)

	update(func(a *ticket.Ticket) { a.Status, a.ClosedAt = ticket.StatusClosed, &at })
	check("closed", "", "", 0, 0)

	due := ticketBase.Add(100 * time.Hour)
	update(func(a *ticket.Ticket) {
		a.Status, a.ResolvedAt, a.ClosedAt, a.ResolutionDueAt = ticket.StatusOpen, nil, nil, due
	})
	check("reopened", "QUEUE#TICKET#payments#active", stamp(due)+tail, 1, 0)

	// Moving team and priority moves the count between cells in one transaction.
	update(func(a *ticket.Ticket) { a.Team, a.Priority = escalation.TeamLegal, ticket.PriorityHigh })
	if c := getRaw(t, env, "QUEUECOUNT#TICKET#payments#normal", "#COUNTERS"); nAttr(c, "open") != 0 || nAttr(c, "unanswered") != 0 {
		t.Errorf("payments/normal counters after the move %v", c)
	}
	it := getRaw(t, env, "TICKET#TKT-QUEUE", "#TICKET")
	if sAttr(it, "GSI2PK") != "QUEUE#TICKET#legal#active" {
		t.Errorf("moved: GSI2PK %q", sAttr(it, "GSI2PK"))
	}
	if c := getRaw(t, env, "QUEUECOUNT#TICKET#legal#high", "#COUNTERS"); nAttr(c, "open") != 1 || nAttr(c, "unanswered") != 0 {
		t.Errorf("legal/high counters %v", c)
	}
}
