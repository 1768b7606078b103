package ticket

import (
	"strconv"
	"time"

	"github.com/tanggap/tanggap/shared/escalation"
)

// Priority of a ticket, lowest first.
type Priority string

const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// Priorities lists every priority, lowest first.
var Priorities = []Priority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}

// Rank orders priorities: low 0 ... urgent 3; unknown -1.
func (p Priority) Rank() int {
	for i, q := range Priorities {
		if p == q {
			return i
		}
	}
	return -1
}

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool { return p.Rank() >= 0 }

// Escalates reports whether a ticket at p goes to a team through the escalation queue.
func (p Priority) Escalates() bool { return p.Rank() >= PriorityHigh.Rank() }

func (p Priority) raised(levels int) Priority {
	r := min(p.Rank()+levels, len(Priorities)-1)
	return Priorities[max(r, 0)]
}

func higher(a, b Priority) Priority {
	if b.Rank() > a.Rank() {
		return b
	}
	return a
}

// Rules are the configurable inputs of the priority rules.
type Rules struct {
	// HighValueOrder is the order total (minor units of HighValueCurrency) from which a complaint
	// about the order is raised one level.
	HighValueOrder    int64
	HighValueCurrency string
	// RepeatWindow and RepeatAfter: a customer with at least RepeatAfter earlier tickets inside the
	// window gets the new one raised one level.
	RepeatWindow time.Duration
	RepeatAfter  int
	// Triage reads the complaint's text; nil means DefaultTriage.
	Triage *Triage
}

// DefaultRules: Rp 5.000.000 (IDR has 2 minor digits, ISO 4217), two earlier tickets in 30 days.
func DefaultRules() Rules {
	return Rules{HighValueOrder: 500_000_000, HighValueCurrency: "IDR", RepeatWindow: 30 * 24 * time.Hour, RepeatAfter: 2}
}

// Signals are what a new complaint tells about its urgency.
type Signals struct {
	Category      Category
	Text          string // subject and description
	HasOrder      bool
	OrderTotal    int64
	OrderCurrency string
	StatedUrgency Priority // empty when not stated
	// EarlierTickets counts the customer's tickets inside Rules.RepeatWindow before this one.
	EarlierTickets int
}

// Assessment is a priority with the team that should own the ticket, and why.
type Assessment struct {
	Priority Priority
	Team     escalation.Team
	// Reasons say why, for the ops view: "category:fraud", the customer's words and the rule they fired
	// ("keyword:ditipu", "rule:fraud"), "order_value>=500000000", "repeat_complaints:3".
	Reasons []string
}

// category defaults: the team that fixes such complaints and the priority they start at.
var categoryDefaults = map[Category]struct {
	team     escalation.Team
	priority Priority
}{
	CategoryOrderIssue:     {escalation.TeamLogistics, PriorityNormal},
	CategoryDelivery:       {escalation.TeamLogistics, PriorityNormal},
	CategoryPayment:        {escalation.TeamPayments, PriorityNormal},
	CategoryRefund:         {escalation.TeamPayments, PriorityNormal},
	CategoryProductQuality: {escalation.TeamQuality, PriorityNormal},
	CategoryTechnical:      {escalation.TeamTechnical, PriorityNormal},
	CategoryAccount:        {escalation.TeamTechnical, PriorityNormal},
	CategoryFraud:          {escalation.TeamPayments, PriorityHigh},
	CategoryOther:          {escalation.TeamCustomerCare, PriorityLow},
}

// Categories lists every category.
func Categories() []Category {
	return []Category{CategoryOrderIssue, CategoryDelivery, CategoryPayment, CategoryRefund, CategoryProductQuality,
		CategoryTechnical, CategoryAccount, CategoryFraud, CategoryOther}
}

// Valid reports whether c is a known category.
func (c Category) Valid() bool { _, ok := categoryDefaults[c]; return ok }

// textHits runs the triage rules over text and folds their verdicts: the highest priority, the team
// of the first rule that fired (rules are ordered by precedence), and the reasons.
func (r Rules) textHits(category Category, text string) (p Priority, team escalation.Team, reasons []string) {
	t := r.Triage
	if t == nil {
		t = DefaultTriage()
	}
	for _, h := range t.Match(category, text) {
		reasons = append(reasons, "keyword:"+h.Words, "rule:"+h.Rule)
		p = higher(p, h.Priority)
		if team == "" {
			team = h.Team
		}
	}
	return p, team, reasons
}

// Assess derives a new complaint's priority and team. The base is the highest of the category's
// priority, the keyword rules and the customer's stated urgency (which counts at most as high: a
// customer cannot make a ticket urgent on their own); a high-value order and repeat complaints then
// raise the base one level each, up to urgent.
func (r Rules) Assess(s Signals) Assessment {
	def, ok := categoryDefaults[s.Category]
	if !ok {
		def = categoryDefaults[CategoryOther]
	}
	a := Assessment{Priority: def.priority, Team: def.team}
	if def.priority != PriorityNormal {
		a.Reasons = append(a.Reasons, "category:"+string(s.Category))
	}

	kp, kteam, kreasons := r.textHits(s.Category, s.Text)
	if kteam != "" {
		a.Priority = higher(a.Priority, kp)
		a.Team = kteam
		a.Reasons = append(a.Reasons, kreasons...)
	}

	if s.StatedUrgency.Escalates() {
		a.Priority = higher(a.Priority, PriorityHigh)
		a.Reasons = append(a.Reasons, "stated_urgency:"+string(s.StatedUrgency))
	}

	bumps := 0
	if s.HasOrder && r.HighValueOrder > 0 && s.OrderCurrency == r.HighValueCurrency && s.OrderTotal >= r.HighValueOrder {
		bumps++
		a.Reasons = append(a.Reasons, "order_value>="+strconv.FormatInt(r.HighValueOrder, 10))
	}
	if r.RepeatAfter > 0 && s.EarlierTickets >= r.RepeatAfter {
		bumps++
		a.Reasons = append(a.Reasons, "repeat_complaints:"+strconv.Itoa(s.EarlierTickets))
	}
	a.Priority = a.Priority.raised(bumps)
	return a
}

// FollowUp runs the triage rules over a customer's follow-up message on a ticket filed under
// category: it returns a higher priority (and the rule's team) when the message warrants one, never a
// lower one.
func (r Rules) FollowUp(current Priority, category Category, message string) (Assessment, bool) {
	kp, kteam, kreasons := r.textHits(category, message)
	if kteam == "" || kp.Rank() <= current.Rank() {
		return Assessment{}, false
	}
	reasons := make([]string, len(kreasons))
	for i, r := range kreasons {
		reasons[i] = "followup_" + r
	}
	return Assessment{Priority: kp, Team: kteam, Reasons: reasons}, true
}
