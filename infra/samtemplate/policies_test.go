package samtemplate

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// DynamoDB actions that read or write items. Each is authorised per item (TransactWriteItems per item
// action), so each must be scoped to item types with dynamodb:LeadingKeys.
var itemActions = map[string]bool{
	"GetItem": true, "BatchGetItem": true, "Query": true, "PutItem": true, "UpdateItem": true, "DeleteItem": true,
	"BatchWriteItem": true, "ConditionCheckItem": true,
}

// Stream reads carry no item keys; they are scoped by the stream ARN alone.
var streamActions = map[string]bool{"DescribeStream": true, "GetRecords": true, "GetShardIterator": true, "ListStreams": true}

// dynamoNames resolves table ARNs to short forms: "SupportTable", "SupportTable/index/GSI1", "SupportTable/stream".
func dynamoNames(t *testing.T, tpl *Template) Names {
	t.Helper()
	tables, err := tpl.Tables()
	if err != nil {
		t.Fatal(err)
	}
	n := Names{Refs: map[string]string{}, Attrs: map[string]string{}}
	for id := range tables {
		n.Attrs[id+".Arn"] = id
		n.Attrs[id+".StreamArn"] = id + "/stream"
		n.Refs[id] = id
	}
	return n
}

// leastPrivilegeViolations lists every DynamoDB grant of every function that is not scoped to item types:
// an item action without a ForAllValues LeadingKeys condition (or with a pattern that matches every key),
// wildcard actions or resources, Scan and PartiQL, and DynamoDB policy templates or managed policies.
func leastPrivilegeViolations(t *testing.T, tpl *Template) []string {
	t.Helper()
	fns, err := tpl.Functions()
	if err != nil {
		t.Fatal(err)
	}
	names := dynamoNames(t, tpl)
	var out []string
	for _, id := range sortedKeys(fns) {
		pol, err := tpl.FunctionPolicies(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, named := range pol.Named {
			if strings.Contains(strings.ToLower(named), "dynamodb") {
				out = append(out, fmt.Sprintf("%s: policy %s grants DynamoDB access without LeadingKeys", id, named))
			}
		}
		for i, s := range pol.Statements {
			where := fmt.Sprintf("%s: Statement[%d]", id, i)
			out = append(out, statementViolations(where, s, tpl, names)...)
		}
	}
	return out
}

func statementViolations(where string, s Statement, tpl *Template, names Names) []string {
	var out []string
	items := false
	dynamo := false
	for _, a := range s.Actions {
		if a == "*" {
			out = append(out, where+": Action *")
			continue
		}
		svc, name, _ := strings.Cut(a, ":")
		if !strings.EqualFold(svc, "dynamodb") {
			continue
		}
		dynamo = true
		switch {
		case strings.ContainsAny(name, "*?"):
			out = append(out, fmt.Sprintf("%s: wildcard action %s", where, a))
		case itemActions[name]:
			items = true
		case streamActions[name]:
		default:
			out = append(out, fmt.Sprintf("%s: action %s is not allowed (reads are key lookups or Queries)", where, a))
		}
	}
	if !dynamo || s.Effect != "Allow" {
		return out
	}
	for _, r := range s.Resources {
		res, err := tpl.Resolve(r, names)
		if err != nil || strings.ContainsAny(res, "*?") && !strings.HasSuffix(res, "/stream/*") {
			out = append(out, fmt.Sprintf("%s: resource %v is not one table, index or stream", where, r))
		}
	}
	if !items {
		return out
	}
	var leading []string
	for op, keys := range s.Condition {
		vals, ok := keys["dynamodb:LeadingKeys"]
		if !ok {
			continue
		}
		if op != "ForAllValues:StringLike" && op != "ForAllValues:StringEquals" {
			out = append(out, fmt.Sprintf("%s: LeadingKeys under %s lets keys outside the list through", where, op))
			continue
		}
		leading = append(leading, vals...)
	}
	if len(leading) == 0 {
		out = append(out, where+": DynamoDB item actions without a ForAllValues dynamodb:LeadingKeys condition")
	}
	for _, p := range leading {
		if p == "" || strings.ContainsAny(p[:1], "*?") {
			out = append(out, fmt.Sprintf("%s: LeadingKeys pattern %q does not name an item type", where, p))
		}
	}
	return out
}

func TestEveryDynamoDBGrantIsScopedToItemTypes(t *testing.T) {
	tpl := loadProject(t)
	if v := leastPrivilegeViolations(t, tpl); len(v) > 0 {
		t.Errorf("least-privilege violations:\n%s", strings.Join(v, "\n"))
	}
}

func TestLeastPrivilegeCheckCatchesWideGrants(t *testing.T) {
	cases := map[string]struct{ policies, want string }{
		"statement without a condition": {`
        - Statement:
            - Effect: Allow
              Action: [dynamodb:GetItem]
              Resource: !GetAtt SupportTable.Arn`, "without a ForAllValues dynamodb:LeadingKeys condition"},
		"ForAnyValue lets other keys through": {`
        - Statement:
            - Effect: Allow
              Action: dynamodb:PutItem
              Resource: !GetAtt SupportTable.Arn
              Condition:
                ForAnyValue:StringLike:
                  dynamodb:LeadingKeys: ["ORDER#*"]`, "lets keys outside the list through"},
		"pattern matching every key": {`
        - Statement:
            - Effect: Allow
              Action: [dynamodb:Query]
              Resource: !Sub "${SupportTable.Arn}/index/GSI1"
              Condition:
                ForAllValues:StringLike:
                  dynamodb:LeadingKeys: ["*"]`, "does not name an item type"},
		"only another condition": {`
        - Statement:
            - Effect: Allow
              Action: [dynamodb:UpdateItem]
              Resource: !GetAtt SupportTable.Arn
              Condition:
                ForAnyValue:StringEquals:
                  dynamodb:EnclosingOperation: [TransactWriteItems]`, "without a ForAllValues dynamodb:LeadingKeys"},
		"wildcard action": {`
        - Statement:
            - Effect: Allow
              Action: ["dynamodb:*"]
              Resource: !GetAtt SupportTable.Arn`, "wildcard action"},
		"scan": {`
        - Statement:
            - Effect: Allow
              Action: [dynamodb:Scan]
              Resource: !GetAtt SupportTable.Arn
              Condition:
                ForAllValues:StringLike:
                  dynamodb:LeadingKeys: ["ORDER#*"]`, "dynamodb:Scan is not allowed"},
		"wildcard resource": {`
        - Statement:
            - Effect: Allow
              Action: [dynamodb:Query]
              Resource: !Sub "${SupportTable.Arn}/index/*"
              Condition:
                ForAllValues:StringLike:
                  dynamodb:LeadingKeys: ["ORDER#*"]`, "is not one table, index or stream"},
		"SAM policy template": {`
        - DynamoDBCrudPolicy:
            TableName: !Ref SupportTable`, "policy DynamoDBCrudPolicy"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			src := `
Resources:
  SupportTable:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions: [{AttributeName: PK, AttributeType: S}]
      KeySchema: [{AttributeName: PK, KeyType: HASH}]
      BillingMode: PAY_PER_REQUEST
  WidgetFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Policies:
        - Statement:
            - Effect: Allow
              Action: [dynamodb:GetItem]
              Resource: !GetAtt SupportTable.Arn
              Condition:
                ForAllValues:StringLike:
                  dynamodb:LeadingKeys: ["WIDGET#*"]` + c.policies + "\n"
			tpl, err := Parse([]byte(src))
			if err != nil {
				t.Fatal(err)
			}
			// The base statement is scoped; only the added one may be reported.
			v := leastPrivilegeViolations(t, tpl)
			found := false
			for _, s := range v {
				found = found || strings.Contains(s, c.want)
				if !strings.Contains(s, "Statement[1]") && !strings.Contains(s, "policy ") {
					t.Errorf("violation on the scoped base statement: %s", s)
				}
			}
			if !found {
				t.Errorf("violations = %q, want one containing %q", v, c.want)
			}
		})
	}
}

// grants flattens a function's DynamoDB grants to "Action Resource KeyPattern" lines, with " (tx)" when the
// grant holds only inside TransactWriteItems.
func grants(t *testing.T, tpl *Template, id string) []string {
	t.Helper()
	pol, err := tpl.FunctionPolicies(id)
	if err != nil {
		t.Fatal(err)
	}
	names := dynamoNames(t, tpl)
	var out []string
	for _, s := range pol.Statements {
		tx := ""
		if slices.Equal(s.Condition["ForAnyValue:StringEquals"]["dynamodb:EnclosingOperation"], []string{"TransactWriteItems"}) {
			tx = " (tx)"
		}
		keys := append(s.Condition["ForAllValues:StringLike"]["dynamodb:LeadingKeys"],
			s.Condition["ForAllValues:StringEquals"]["dynamodb:LeadingKeys"]...)
		for _, a := range s.Actions {
			name, ok := strings.CutPrefix(a, "dynamodb:")
			if !ok {
				continue
			}
			for _, r := range s.Resources {
				res, err := tpl.Resolve(r, names)
				if err != nil {
					t.Fatalf("%s: %v", id, err)
				}
				if !itemActions[name] {
					out = append(out, name+" "+res)
					continue
				}
				for _, k := range keys {
					out = append(out, name+" "+res+" "+k+tx)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// TestGrantsAreWhatTheCodeTouches pins each function's grants to the item types its code paths read and write
// (shared/dynamostore, wired in functions/<name>/main.go). A grant the code does not need, or a code path
// without its grant, must change this list, the template and the reasoning below together.
func TestGrantsAreWhatTheCodeTouches(t *testing.T) {
	tpl := loadProject(t)
	want := map[string][]string{
		// Orders.Get/readOrder: Query ORDER#; ListByCustomer: GSI1 CUSTOMER#; Upsert: one transaction, of
		// header and line Puts and a counter Update (create) or of the header Update (update), with the
		// order.delivered event Put and its inbox unread counter Update (INBOX#). Ops PUT is the
		// only idempotent route (Idempotency-Key records are PK "operator:<arn>|<key>").
		// Customer profile (customers.go): GetItem, then Put in the upsert's transaction with the timeline entry (Delete when it moves) and the email item.
		"OrdersFunction": {
			"DeleteItem IdempotencyTable operator:*",
			"DeleteItem SupportTable CUSTOMER#* (tx)",
			"GetItem SupportTable CUSTOMER#*",
			"PutItem IdempotencyTable operator:*",
			"PutItem SupportTable CUSTOMER#* (tx)",
			"PutItem SupportTable EMAIL#* (tx)",
			"PutItem SupportTable INBOX#* (tx)",
			"PutItem SupportTable ORDER#* (tx)",
			"Query SupportTable ORDER#*",
			"Query SupportTable/index/GSI1 CUSTOMER#*",
			"UpdateItem IdempotencyTable operator:*",
			"UpdateItem SupportTable INBOX#* (tx)",
			"UpdateItem SupportTable METRICS#* (tx)",
			"UpdateItem SupportTable ORDER#* (tx)",
		},
		// Returns.Order: Query ORDER#; Get: GetItem RETURN#; ListByOrder: GSI1 partition ORDER#; Create and
		// Transition: transactions of the return and refund Puts, line/header Updates and counters.
		// Customer profile: GetItem, then Put with the timeline entry in the return request's transaction.
		// Customer events: the INBOX# event Put and unread counter Update in the transition's transaction.
		"ReturnsFunction": {
			"DeleteItem IdempotencyTable customer:*",
			"DeleteItem IdempotencyTable operator:*",
			"GetItem SupportTable CUSTOMER#*",
			"GetItem SupportTable RETURN#*",
			"PutItem IdempotencyTable customer:*",
			"PutItem IdempotencyTable operator:*",
			"PutItem SupportTable CUSTOMER#* (tx)",
			"PutItem SupportTable INBOX#* (tx)",
			"PutItem SupportTable RETURN#* (tx)",
			"Query SupportTable ORDER#*",
			"Query SupportTable/index/GSI1 ORDER#*",
			"UpdateItem IdempotencyTable customer:*",
			"UpdateItem IdempotencyTable operator:*",
			"UpdateItem SupportTable INBOX#* (tx)",
			"UpdateItem SupportTable METRICS#* (tx)",
			"UpdateItem SupportTable ORDER#* (tx)",
			"UpdateItem SupportTable QUEUECOUNT#RETURN#* (tx)",
		},
		// Tickets.Read: Query TICKET# (header and timeline); the order behind a complaint: Query ORDER#;
		// ListByCustomer and CountByCustomer: GSI1 CUSTOMER#; Create/Update: transactions of the ticket,
		// timeline Puts, counters (daily and the ticket's queue cell) and the escalation outbox Put, the SLA
		// check Put or Delete; the business calendar: GetItem CALENDAR# (cached), PutItem CALENDAR# in a
		// transaction (PUT /ops/calendar). Customer profile: GetItem, then Put with the timeline entry at
		// creation and first resolution.
		// Reply with a saved reply (MacroSources): the macro, the latest return on the order (GSI1 ORDER#), usage Update in the reply's transaction.
		// The ops ticket view (Customers.TicketContext): profile, GSI1 orders and tickets, timeline Query, open returns BatchGetItem.
		// Customer events: the INBOX# event Puts and unread counter Update in the change's transaction.
		"ComplaintsFunction": {
			"BatchGetItem SupportTable RETURN#*",
			"DeleteItem IdempotencyTable customer:*",
			"DeleteItem IdempotencyTable operator:*",
			"DeleteItem SupportTable TICKET#* (tx)",
			"GetItem SupportTable CALENDAR#*",
			"GetItem SupportTable CUSTOMER#*",
			"GetItem SupportTable MACROS",
			"PutItem IdempotencyTable customer:*",
			"PutItem IdempotencyTable operator:*",
			"PutItem SupportTable CALENDAR#* (tx)",
			"PutItem SupportTable CUSTOMER#* (tx)",
			"PutItem SupportTable ESCALATION#* (tx)",
			"PutItem SupportTable INBOX#* (tx)",
			"PutItem SupportTable TICKET#* (tx)",
			"Query SupportTable CUSTOMER#*",
			"Query SupportTable ORDER#*",
			"Query SupportTable TICKET#*",
			"Query SupportTable/index/GSI1 CUSTOMER#*",
			"Query SupportTable/index/GSI1 ORDER#*",
			"UpdateItem IdempotencyTable customer:*",
			"UpdateItem IdempotencyTable operator:*",
			"UpdateItem SupportTable MACROS (tx)",
			"UpdateItem SupportTable INBOX#* (tx)",
			"UpdateItem SupportTable METRICS#* (tx)",
			"UpdateItem SupportTable QUEUECOUNT#TICKET#* (tx)",
			"UpdateItem SupportTable TICKET#* (tx)",
		},
		// The SLA monitor: GSI2 SLA# (due checks), Query TICKET# (ticket and timeline), GetItem CALENDAR#;
		// ticket changes as the complaints function makes them (marks, escalation outbox, auto-resolution with
		// the customer's profile).
		"SlaMonitorFunction": {
			"DeleteItem SupportTable TICKET#* (tx)",
			"GetItem SupportTable CALENDAR#*",
			"GetItem SupportTable CUSTOMER#*",
			"PutItem SupportTable CUSTOMER#* (tx)",
			"PutItem SupportTable ESCALATION#* (tx)",
			"PutItem SupportTable INBOX#* (tx)",
			"PutItem SupportTable TICKET#* (tx)",
			"Query SupportTable TICKET#*",
			"Query SupportTable/index/GSI2 SLA#*",
			"UpdateItem SupportTable INBOX#* (tx)",
			"UpdateItem SupportTable METRICS#* (tx)",
			"UpdateItem SupportTable QUEUECOUNT#TICKET#* (tx)",
			"UpdateItem SupportTable TICKET#* (tx)",
		},
		// Surveys.Submit: GetItem of the SURVEY# invitation, then one transaction (ConditionCheck on the subject,
		// survey Put, invitation Update or ConditionCheck, counters, outbox Put); Get: GetItem SURVEY#.
		// Customer profile: Update (latest CSAT, count) and the timeline entry Put, in the survey's transaction.
		"SurveysFunction": {
			"ConditionCheckItem SupportTable ORDER#*",
			"ConditionCheckItem SupportTable RETURN#*",
			"ConditionCheckItem SupportTable SURVEY#*",
			"ConditionCheckItem SupportTable TICKET#*",
			"DeleteItem IdempotencyTable customer:*",
			"GetItem SupportTable SURVEY#*",
			"PutItem IdempotencyTable customer:*",
			"PutItem SupportTable CUSTOMER#* (tx)",
			"PutItem SupportTable ESCALATION#* (tx)",
			"PutItem SupportTable SURVEY#* (tx)",
			"UpdateItem IdempotencyTable customer:*",
			"UpdateItem SupportTable CUSTOMER#* (tx)",
			"UpdateItem SupportTable METRICS#* (tx)",
			"UpdateItem SupportTable SURVEY#* (tx)",
		},
		// Workspace: Queues.Tickets/Returns/DueBefore query GSI2 under the queue prefixes; Counters is one
		// BatchGetItem of the queue counter items.
		// Customers (customers_read.go): profile GetItem, timeline Query and BatchGetItem of its items, email Query and profiles; Macros: GetItem, Query, transactions; idempotent macro changes.
		"WorkspaceFunction": {
			"BatchGetItem SupportTable CUSTOMER#*",
			"BatchGetItem SupportTable ORDER#*",
			"BatchGetItem SupportTable QUEUECOUNT#*",
			"BatchGetItem SupportTable RETURN#*",
			"BatchGetItem SupportTable TICKET#*",
			"DeleteItem IdempotencyTable operator:*",
			"DeleteItem SupportTable MACROS (tx)",
			"GetItem SupportTable CUSTOMER#*",
			"GetItem SupportTable MACROS",
			"PutItem IdempotencyTable operator:*",
			"PutItem SupportTable MACROS (tx)",
			"Query SupportTable CUSTOMER#*",
			"Query SupportTable EMAIL#*",
			"Query SupportTable MACROS",
			"Query SupportTable/index/GSI2 QUEUE#RETURN#*",
			"Query SupportTable/index/GSI2 QUEUE#TICKET#*",
			"UpdateItem IdempotencyTable operator:*",
			"UpdateItem SupportTable MACROS (tx)",
		},
		// HelpCenter: Get/List/Versions read HELP#ARTICLES and HELP#ARTICLE#; Save and RecordVote are
		// transactions (article, history and vote Puts, the article ConditionCheck, index head and counter
		// Updates); Vote reads HELP#FEEDBACK#; CountView updates a counter shard; the index store reads,
		// writes and deletes HELP#INDEX items outside transactions.
		"HelpCenterFunction": {
			"ConditionCheckItem SupportTable HELP#ARTICLES",
			"DeleteItem IdempotencyTable guest:*",
			"DeleteItem IdempotencyTable operator:*",
			"DeleteItem SupportTable HELP#INDEX",
			"GetItem SupportTable HELP#ARTICLES",
			"GetItem SupportTable HELP#FEEDBACK#*",
			"GetItem SupportTable HELP#INDEX",
			"PutItem IdempotencyTable guest:*",
			"PutItem IdempotencyTable operator:*",
			"PutItem SupportTable HELP#ARTICLE#* (tx)",
			"PutItem SupportTable HELP#ARTICLES (tx)",
			"PutItem SupportTable HELP#FEEDBACK#* (tx)",
			"PutItem SupportTable HELP#INDEX",
			"Query SupportTable HELP#ARTICLE#*",
			"Query SupportTable HELP#ARTICLES",
			"Query SupportTable HELP#INDEX",
			"UpdateItem IdempotencyTable guest:*",
			"UpdateItem IdempotencyTable operator:*",
			"UpdateItem SupportTable HELP#INDEX",
			"UpdateItem SupportTable METRICS#*",
		},
		// Inbox: List, UnreadCount and UnreadUpTo query the caller's INBOX# partition; UnreadByID is a
		// BatchGetItem there; MarkRead one transaction of INBOX# Updates (items and day counters).
		"NotificationsFunction": {
			"BatchGetItem SupportTable INBOX#*",
			"DeleteItem IdempotencyTable customer:*",
			"PutItem IdempotencyTable customer:*",
			"Query SupportTable INBOX#*",
			"UpdateItem IdempotencyTable customer:*",
			"UpdateItem SupportTable INBOX#* (tx)",
		},
		// Metrics reads counters only: BatchGetItem of METRICS# shards.
		"MetricsFunction": {
			"BatchGetItem SupportTable METRICS#*",
		},
		// Relay: ListPending queries GSI1 OUTBOX#PENDING; MarkSent/RecordFailure update ESCALATION#; the
		// stream event source mapping reads the stream with the function's role. Customer events: the sweep
		// queries GSI1 CUSTEVENT#PENDING#<shard>; MarkSent/RecordFailure update INBOX#; Invite is a
		// transaction (SURVEY# invitation Put, SURVEY# survey ConditionCheck, INBOX# event Put and unread
		// Update, METRICS# counter). Survey answers are the survey's own transaction (SurveysFunction).
		"EscalationRelayFunction": {
			"ConditionCheckItem SupportTable SURVEY#*",
			"DescribeStream SupportTable/stream",
			"GetRecords SupportTable/stream",
			"GetShardIterator SupportTable/stream",
			"ListStreams SupportTable/stream/*",
			"PutItem SupportTable INBOX#* (tx)",
			"PutItem SupportTable SURVEY#* (tx)",
			"Query SupportTable/index/GSI1 CUSTEVENT#PENDING#*",
			"Query SupportTable/index/GSI1 OUTBOX#PENDING",
			"UpdateItem SupportTable ESCALATION#*",
			"UpdateItem SupportTable INBOX#*",
			"UpdateItem SupportTable METRICS#* (tx)",
		},
		// Consumer: RecordEscalation is a transaction (ticket Update, timeline Put); Record is a transaction
		// (processed Put, counters) and, when it already exists, GetItem of it; MarkNotified updates it.
		"EscalationConsumerFunction": {
			"GetItem SupportTable ESCALATION#*",
			"PutItem SupportTable ESCALATION#* (tx)",
			"PutItem SupportTable TICKET#* (tx)",
			"UpdateItem SupportTable ESCALATION#*",
			"UpdateItem SupportTable METRICS#* (tx)",
			"UpdateItem SupportTable TICKET#* (tx)",
		},
	}
	fns, err := tpl.Functions()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range sortedKeys(fns) {
		w, ok := want[id]
		if !ok {
			t.Errorf("%s: no expected grants; derive them from its code paths and add them here", id)
			continue
		}
		sort.Strings(w)
		if got := grants(t, tpl, id); !reflect.DeepEqual(got, w) {
			t.Errorf("%s grants:\n got  %s\n want %s", id, strings.Join(got, "\n      "), strings.Join(w, "\n      "))
		}
	}
}
