package ticket

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

// The SLA policy's limits are inclusive: 1..99 percent at risk, 1..60 business days of waiting.
func TestSLAPolicyLimits(t *testing.T) {
	for _, c := range []struct {
		p  SLAPolicy
		ok bool
	}{
		{SLAPolicy{AtRiskPercent: 1, AutoResolveDays: 1}, true},
		{SLAPolicy{AtRiskPercent: 99, AutoResolveDays: 60}, true},
		{SLAPolicy{AtRiskPercent: 0, AutoResolveDays: 5}, false},
		{SLAPolicy{AtRiskPercent: 100, AutoResolveDays: 5}, false},
		{SLAPolicy{AtRiskPercent: 75, AutoResolveDays: 0}, false},
		{SLAPolicy{AtRiskPercent: 75, AutoResolveDays: 61}, false},
	} {
		if err := c.p.Validate(); (err == nil) != c.ok {
			t.Errorf("%+v: %v, want ok=%v", c.p, err, c.ok)
		}
	}
}

// The statuses ops filter and count by are exactly the five of the lifecycle, in its order.
func TestStatusesAreTheLifecycle(t *testing.T) {
	want := []Status{"open", "in_progress", "waiting_on_customer", "resolved", "closed"}
	if !reflect.DeepEqual(Statuses, want) {
		t.Errorf("Statuses %v, want %v", Statuses, want)
	}
}

// Who filed a complaint is kept for the ops queues: the name cut to 100 letters, the email masked, and
// the language it was filed in.
func TestCreateKeepsWhoFiledIt(t *testing.T) {
	store := newFileStore()
	long := strings.Repeat("é", 101)
	d, err := fileService(store, nil).Create(context.Background(), "budi", NewComplaint{Channel: ChannelWeb, Category: CategoryTechnical,
		Subject: "Aplikasi", Description: "Tidak bisa masuk", CustomerName: " " + long + " ", CustomerEmail: "budi.santoso@example.co.id",
		Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	tk := d.Ticket
	if tk.CustomerName != strings.Repeat("é", 100) || tk.CustomerContact != MaskEmail("budi.santoso@example.co.id") ||
		tk.CustomerContact == "budi.santoso@example.co.id" || tk.Language != "en" {
		t.Errorf("filed by %q (%d letters), contact %q, language %q", tk.CustomerName, len([]rune(tk.CustomerName)), tk.CustomerContact, tk.Language)
	}
	if !reflect.DeepEqual(store.created[0].After, tk) {
		t.Error("the stored ticket differs from the one answered")
	}
}
