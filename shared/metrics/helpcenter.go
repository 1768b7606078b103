package metrics

// Help-center counters, written by the help-center function: a view with each article read, a vote
// with its feedback in the same transaction (one per reader and article).
const (
	HelpArticleViews            = "help_article_views"
	HelpHelpful                 = "help_helpful"
	HelpNotHelpful              = "help_not_helpful"
	HelpComplaintFormHelpful    = "help_complaint_form_helpful"     // also counted in HelpHelpful
	HelpComplaintFormNotHelpful = "help_complaint_form_not_helpful" // also counted in HelpNotHelpful
)

// HelpCenter is the help center's share of the report.
type HelpCenter struct {
	// ArticleViews counts article reads that reached the function (a CDN or API cache hit is not one).
	ArticleViews int64        `json:"articleViews"`
	Feedback     HelpFeedback `json:"feedback"`
	Deflection   Deflection   `json:"deflection"`
}

// HelpFeedback: "was this article helpful?" votes, from search and from the complaint form.
type HelpFeedback struct {
	Helpful    int64 `json:"helpful"`
	NotHelpful int64 `json:"notHelpful"`
	// HelpfulPercent = helpful ÷ (helpful + not helpful) × 100.
	HelpfulPercent *float64 `json:"helpfulPercent"`
}

// Deflection compares complaints the help center answered with complaints filed: an article suggested
// in the complaint form and voted helpful there is a complaint that was not filed.
type Deflection struct {
	ComplaintFormHelpful    int64 `json:"complaintFormHelpful"`
	ComplaintFormNotHelpful int64 `json:"complaintFormNotHelpful"`
	ComplaintsFiled         int64 `json:"complaintsFiled"`
	// Percent = complaint-form helpful votes ÷ (those votes + complaints filed) × 100: the share of
	// would-be complaints an article answered.
	Percent *float64 `json:"percent"`
}

func helpCenterFigures(t Totals) HelpCenter {
	h := HelpCenter{ArticleViews: t[HelpArticleViews]}
	h.Feedback = HelpFeedback{Helpful: t[HelpHelpful], NotHelpful: t[HelpNotHelpful],
		HelpfulPercent: percent(t[HelpHelpful], t[HelpHelpful]+t[HelpNotHelpful])}
	h.Deflection = Deflection{ComplaintFormHelpful: t[HelpComplaintFormHelpful], ComplaintFormNotHelpful: t[HelpComplaintFormNotHelpful],
		ComplaintsFiled: t[TicketsCreated], Percent: percent(t[HelpComplaintFormHelpful], t[HelpComplaintFormHelpful]+t[TicketsCreated])}
	return h
}
