package ticket

import (
	"strconv"
	"strings"
	"time"
	"unicode"

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
	// Reasons are stable codes for every rule that fired, e.g. "keyword:penipuan", "repeat_complaints:3".
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

// keywordRule: any of the phrases (Bahasa Indonesia and English, matched case-insensitively on word
// boundaries) sets at least priority and hands the ticket to team. Earlier rules win the team.
type keywordRule struct {
	priority Priority
	team     escalation.Team
	phrases  []string
}

var keywordRules = []keywordRule{
	{PriorityHigh, escalation.TeamLegal, []string{
		"legal", "hukum", "pengacara", "lawyer", "attorney", "polisi", "police", "lapor polisi", "somasi",
		"gugat", "gugatan", "menggugat", "sue", "lawsuit", "pidana", "bpsk", "ylki",
	}},
	{PriorityUrgent, escalation.TeamQuality, []string{
		"injury", "injured", "cedera", "luka", "terluka", "burn", "burned", "terbakar", "keracunan", "poisoning",
		"poisoned", "meledak", "exploded", "explosion", "kesetrum", "electric shock",
	}},
	{PriorityHigh, escalation.TeamPayments, []string{
		"fraud", "fraudulent", "penipuan", "penipu", "scam", "scammer", "tipu", "ditipu", "menipu", "phishing",
	}},
	{PriorityHigh, escalation.TeamTechnical, []string{
		"data bocor", "kebocoran data", "data leak", "data leaked", "data breach", "akun diretas", "diretas",
		"hacked", "dibobol",
	}},
}

// words splits text into lower-case letter/digit runs, the unit keywords match on.
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// firstPhrase returns the first phrase of phrases (in list order) that occurs in ws as whole words.
func firstPhrase(ws []string, phrases []string) (string, bool) {
	for _, p := range phrases {
		pw := strings.Fields(p)
		for i := 0; i+len(pw) <= len(ws); i++ {
			match := true
			for j := range pw {
				if ws[i+j] != pw[j] {
					match = false
					break
				}
			}
			if match {
				return p, true
			}
		}
	}
	return "", false
}

// keywordHits runs the keyword rules over text.
func keywordHits(text string) (p Priority, team escalation.Team, reasons []string) {
	ws := words(text)
	for _, rule := range keywordRules {
		phrase, ok := firstPhrase(ws, rule.phrases)
		if !ok {
			continue
		}
		reasons = append(reasons, "keyword:"+phrase)
		p = higher(p, rule.priority)
		if team == "" {
			team = rule.team
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

	kp, kteam, kreasons := keywordHits(s.Text)
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

// FollowUp runs the keyword rules over a customer's follow-up message: it returns a higher priority
// (and the keyword's team) when the message warrants one, never a lower one.
func FollowUp(current Priority, message string) (Assessment, bool) {
	kp, kteam, kreasons := keywordHits(message)
	if kteam == "" || kp.Rank() <= current.Rank() {
		return Assessment{}, false
	}
	reasons := make([]string, len(kreasons))
	for i, r := range kreasons {
		reasons[i] = "followup_" + r
	}
	return Assessment{Priority: kp, Team: kteam, Reasons: reasons}, true
}
