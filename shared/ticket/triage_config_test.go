package ticket

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

// oneRule compiles a rule set of one rule, as a shop's own base document would give it.
func oneRule(t *testing.T, extra, phrase string) *Triage {
	t.Helper()
	tr, err := CompileTriage([]byte(`{"version": "shop-1"`+extra+`, "rules": [{"id": "r", "priority": "high", "team": "legal", "phrases": ["`+phrase+`"]}]}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// A rule set is versioned: a base document without a version is refused, not only an override.
func TestTriageRuleSetNeedsAVersion(t *testing.T) {
	for _, doc := range []string{`{"rules": []}`, `{"version": "  ", "rules": []}`} {
		if _, err := CompileTriage([]byte(doc), nil); err == nil || !strings.Contains(err.Error(), "version is required") {
			t.Errorf("%s: %v", doc, err)
		}
	}
}

// Without maxGap two words of a phrase may have two other words between them, not three; maxGap may be
// set anywhere from 0 (adjacent words only) to 5.
func TestTriageWordGap(t *testing.T) {
	tr := oneRule(t, "", "kompor meledak")
	if got := firedRules(tr, CategoryOther, "kompor biru hijau meledak"); !reflect.DeepEqual(got, []string{"r"}) {
		t.Errorf("two words between: %q", got)
	}
	if got := firedRules(tr, CategoryOther, "kompor biru hijau kuning meledak"); got != nil {
		t.Errorf("three words between: %q", got)
	}
	adjacent := oneRule(t, `, "maxGap": 0`, "kompor meledak")
	if firedRules(adjacent, CategoryOther, "kompor meledak") == nil || firedRules(adjacent, CategoryOther, "kompor biru meledak") != nil {
		t.Error("maxGap 0 is not adjacent words only")
	}
	oneRule(t, `, "maxGap": 5`, "kompor meledak")
	for _, gap := range []string{"-1", "6"} {
		if _, err := CompileTriage([]byte(`{"version": "x", "maxGap": `+gap+`, "rules": []}`), nil); err == nil {
			t.Errorf("maxGap %s accepted", gap)
		}
	}
}

// A loan word in a rule (one the dictionary cannot stem) is a root, so customers' affixed forms of it
// match; a split prefix at the end of a phrase is joined as in customer text.
func TestTriageRuleWordsReachAffixedForms(t *testing.T) {
	if got := firedRules(oneRule(t, "", "scam"), CategoryOther, "saya kena discam"); !reflect.DeepEqual(got, []string{"r"}) {
		t.Errorf("loan word with a prefix: %q", got)
	}
	if got := firedRules(oneRule(t, "", "ylki"), CategoryOther, "saya mau lapor ylkii"); !reflect.DeepEqual(got, []string{"r"}) {
		t.Errorf("loan word with a doubled letter: %q", got)
	}
	if got := firedRules(oneRule(t, "", "akun di hack"), CategoryOther, "akun saya dihack"); !reflect.DeepEqual(got, []string{"r"}) {
		t.Errorf("split prefix at the end of a phrase: %q", got)
	}
}

// Raising a ticket's priority brings its promises forward to what the new priority promises from now
// (an unanswered normal ticket raised to urgent owes an answer in 30 minutes and a resolution in 4 hours).
func TestRaisingBringsTheDueTimesForward(t *testing.T) {
	svc, _, id := fileOne(t)
	d, err := svc.PostMessage(context.Background(), "budi", id, "Kompor meledak dan tangan saya terluka.")
	if err != nil {
		t.Fatal(err)
	}
	if d.Ticket.Priority != PriorityUrgent || !d.Ticket.FirstResponseDueAt.Equal(filedAt.Add(30*time.Minute)) ||
		!d.Ticket.ResolutionDueAt.Equal(filedAt.Add(4*time.Hour)) {
		t.Fatalf("priority %s, due %v / %v; want urgent, due in 30 min / 4 h", d.Ticket.Priority,
			d.Ticket.FirstResponseDueAt, d.Ticket.ResolutionDueAt)
	}
}
