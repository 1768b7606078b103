package ticket

import (
	"reflect"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/money"
)

// fullTicket has every field a view shows set, each to a value of its own, so a view that drops a field,
// takes it from the wrong place or labels it with the wrong list differs from what is written out below.
func fullTicket() (Detail, time.Time) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	at := func(h int) *time.Time { v := t0.Add(time.Duration(h) * time.Hour); return &v }
	tk := Ticket{
		ID: "TKT-1", CustomerID: "cust-budi", Channel: ChannelChat, Category: CategoryRefund, Subject: "Dana belum masuk",
		Description: "Refund pesanan TGP-7 belum masuk", OrderID: "TGP-7", OrderTotal: 15000000, OrderCurrency: "IDR",
		StatedUrgency: PriorityNormal, Status: StatusWaitingOnCustomer, Priority: PriorityHigh,
		PriorityReasons: []string{"category:refund"}, Team: escalation.TeamPayments, AssignedAgent: "arn:aws:iam::1:user/sari",
		CreatedAt: t0, UpdatedAt: t0.Add(5 * time.Hour),
		FirstResponseDueAt: t0.Add(time.Hour), ResolutionDueAt: t0.Add(48 * time.Hour),
		FirstRespondedAt: at(2), // an hour late: first response breached
		ResolvedAt:       at(4), FirstResolvedAt: at(4), ClosedAt: at(30),
		WaitingSince: at(3), AutoResolveAt: at(75),
		SLAMarks:         []string{"first_response:breached"},
		EscalationStatus: EscalationEscalated, EscalatedPriority: PriorityUrgent, EscalationDedupKey: "ticket:TKT-1:priority_high",
		EscalationTeam: escalation.TeamLegal, EscalatedAt: at(1), Version: 7,
	}
	d := Detail{Ticket: tk, Timeline: []Event{
		{Type: EventInternalNote, Visibility: Internal, Author: "agent", Actor: "sari", Body: "cek mutasi bank", At: t0.Add(90 * time.Minute)},
		{Type: EventAgentReply, Visibility: Public, Author: "agent", Actor: "sari", Body: "Sedang kami cek", FromStatus: StatusOpen,
			ToStatus: StatusInProgress, Priority: PriorityLow, Team: escalation.TeamLogistics, Agent: "arn:aws:iam::1:user/sari",
			Target: TargetFirstResponse, At: t0.Add(2 * time.Hour)},
		{Type: EventSLAPaused, Visibility: Public, Author: "system", ToStatus: StatusWaitingOnCustomer, Target: TargetResolution, At: t0.Add(3 * time.Hour)},
	}}
	return d, t0.Add(50 * time.Hour)
}

func label(kind, code string) string { return i18n.Label(i18n.English, kind, code) }

func TestViewsCarryEveryFieldWithItsLabel(t *testing.T) {
	d, now := fullTicket()
	tk := d.Ticket
	sla := SLAView{FirstResponseDueAt: tk.FirstResponseDueAt, ResolutionDueAt: tk.ResolutionDueAt,
		FirstRespondedAt: tk.FirstRespondedAt, ResolvedAt: tk.ResolvedAt, FirstResponseBreached: true, ResolutionBreached: false,
		ResolutionPaused: true, PausedAt: tk.WaitingSince, AutoResolveAt: tk.AutoResolveAt}
	if got := SLAViewOf(tk, now); !reflect.DeepEqual(got, sla) {
		t.Errorf("SLA view\n got %+v\nwant %+v", got, sla)
	}
	escalated := EscalationView{Status: EscalationEscalated, StatusLabel: label("escalation_status", "escalated"), EscalatedAt: tk.EscalatedAt}

	summary := Summary{TicketID: "TKT-1", Status: StatusWaitingOnCustomer, StatusLabel: label("ticket_status", "waiting_on_customer"),
		Category: CategoryRefund, CategoryLabel: label("ticket_category", "refund"), Subject: "Dana belum masuk",
		Priority: PriorityHigh, PriorityLabel: label("ticket_priority", "high"), CreatedAt: tk.CreatedAt, UpdatedAt: tk.UpdatedAt,
		SLA: sla, Escalation: escalated}
	if got := SummaryOf(tk, now, i18n.English); !reflect.DeepEqual(got, summary) {
		t.Errorf("summary\n got %+v\nwant %+v", got, summary)
	}

	customer := CustomerView{TicketID: "TKT-1", Status: StatusWaitingOnCustomer, StatusLabel: label("ticket_status", "waiting_on_customer"),
		Channel: ChannelChat, ChannelLabel: label("ticket_channel", "chat"), Category: CategoryRefund,
		CategoryLabel: label("ticket_category", "refund"), Subject: "Dana belum masuk", Description: "Refund pesanan TGP-7 belum masuk",
		OrderID: "TGP-7", StatedUrgency: PriorityNormal, StatedUrgencyLabel: label("ticket_priority", "normal"),
		Priority: PriorityHigh, PriorityLabel: label("ticket_priority", "high"), CreatedAt: tk.CreatedAt, UpdatedAt: tk.UpdatedAt,
		SLA: sla, Escalation: escalated,
		Timeline: []TimelineEntry{ // the internal note is not shown
			{Type: EventAgentReply, Author: "agent", Body: "Sedang kami cek", Status: StatusInProgress,
				StatusLabel: label("ticket_status", "in_progress"), Priority: PriorityLow, PriorityLabel: label("ticket_priority", "low"),
				Target: TargetFirstResponse, TargetLabel: label("sla_target", "first_response"), At: d.Timeline[1].At},
			{Type: EventSLAPaused, Author: "system", Status: StatusWaitingOnCustomer, StatusLabel: label("ticket_status", "waiting_on_customer"),
				PriorityLabel: label("ticket_priority", ""), Target: TargetResolution, TargetLabel: label("sla_target", "resolution"), At: d.Timeline[2].At},
		}}
	if got := CustomerViewOf(d, now, i18n.English); !reflect.DeepEqual(got, customer) {
		t.Errorf("customer view\n got %+v\nwant %+v", got, customer)
	}

	total := money.New(15000000, "IDR").In(i18n.English)
	ops := OpsView{TicketID: "TKT-1", CustomerID: "cust-budi", Status: StatusWaitingOnCustomer,
		StatusLabel: label("ticket_status", "waiting_on_customer"), Channel: ChannelChat, ChannelLabel: label("ticket_channel", "chat"),
		Category: CategoryRefund, CategoryLabel: label("ticket_category", "refund"), Subject: "Dana belum masuk",
		Description: "Refund pesanan TGP-7 belum masuk", OrderID: "TGP-7", OrderTotal: &total,
		StatedUrgency: PriorityNormal, StatedUrgencyLabel: label("ticket_priority", "normal"), Priority: PriorityHigh,
		PriorityLabel: label("ticket_priority", "high"), PriorityReasons: []string{"category:refund"}, Team: escalation.TeamPayments,
		TeamLabel: label("team", "payments"), AssignedAgent: "arn:aws:iam::1:user/sari", CreatedAt: tk.CreatedAt, UpdatedAt: tk.UpdatedAt,
		FirstResolvedAt: tk.FirstResolvedAt, ClosedAt: tk.ClosedAt, SLA: sla, SLAMarks: []string{"first_response:breached"},
		Escalation: OpsEscalationView{Status: EscalationEscalated, StatusLabel: label("escalation_status", "escalated"),
			EscalatedPriority: PriorityUrgent, EscalatedPriorityLabel: label("ticket_priority", "urgent"),
			DedupKey: "ticket:TKT-1:priority_high", Team: escalation.TeamLegal, TeamLabel: label("team", "legal"), EscalatedAt: tk.EscalatedAt},
		Version: 7,
		Timeline: []OpsEntry{
			{Type: EventInternalNote, Visibility: Internal, Author: "agent", Actor: "sari", Body: "cek mutasi bank",
				FromStatusLabel: label("ticket_status", ""), ToStatusLabel: label("ticket_status", ""), PriorityLabel: label("ticket_priority", ""),
				TeamLabel: label("team", ""), TargetLabel: label("sla_target", ""), At: d.Timeline[0].At},
			{Type: EventAgentReply, Visibility: Public, Author: "agent", Actor: "sari", Body: "Sedang kami cek", FromStatus: StatusOpen,
				FromStatusLabel: label("ticket_status", "open"), ToStatus: StatusInProgress, ToStatusLabel: label("ticket_status", "in_progress"),
				Priority: PriorityLow, PriorityLabel: label("ticket_priority", "low"), Team: escalation.TeamLogistics,
				TeamLabel: label("team", "logistics"), Agent: "arn:aws:iam::1:user/sari", Target: TargetFirstResponse,
				TargetLabel: label("sla_target", "first_response"), At: d.Timeline[1].At},
			{Type: EventSLAPaused, Visibility: Public, Author: "system", FromStatusLabel: label("ticket_status", ""),
				ToStatus: StatusWaitingOnCustomer, ToStatusLabel: label("ticket_status", "waiting_on_customer"),
				PriorityLabel: label("ticket_priority", ""), TeamLabel: label("team", ""), Target: TargetResolution,
				TargetLabel: label("sla_target", "resolution"), At: d.Timeline[2].At},
		}}
	if got := OpsViewOf(d, now, i18n.English); !reflect.DeepEqual(got, ops) {
		t.Errorf("ops view\n got %+v\nwant %+v", got, ops)
	}

	// Labels differ by language: the same view in Indonesian carries the Indonesian ones.
	if got := OpsViewOf(d, now, i18n.Indonesian); got.StatusLabel != i18n.Label(i18n.Indonesian, "ticket_status", "waiting_on_customer") ||
		got.StatusLabel == ops.StatusLabel || got.OrderTotal.Display != money.New(15000000, "IDR").In(i18n.Indonesian).Display {
		t.Errorf("Indonesian ops view: %q, total %+v", got.StatusLabel, got.OrderTotal)
	}
}

// A ticket without an order, reasons, marks or timeline shows no order total and empty lists, never null.
func TestOpsViewOfABareTicket(t *testing.T) {
	d, now := fullTicket()
	d.Ticket.OrderID, d.Ticket.OrderTotal, d.Ticket.PriorityReasons, d.Ticket.SLAMarks, d.Timeline = "", 0, nil, nil, nil
	v := OpsViewOf(d, now, i18n.English)
	if v.OrderTotal != nil || v.PriorityReasons == nil || len(v.PriorityReasons) != 0 || v.SLAMarks == nil ||
		len(v.SLAMarks) != 0 || v.Timeline == nil || len(v.Timeline) != 0 {
		t.Errorf("bare ticket: total %v, reasons %#v, marks %#v, timeline %#v", v.OrderTotal, v.PriorityReasons, v.SLAMarks, v.Timeline)
	}
	if c := CustomerViewOf(d, now, i18n.English); c.Timeline == nil || len(c.Timeline) != 0 {
		t.Errorf("customer timeline %#v, want empty", c.Timeline)
	}
}
