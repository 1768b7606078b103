package metrics

// Survey invitations: counted by the relay in the invitation's own transaction (invited, on the day the
// invitation was written) and by the survey's own transaction when it answers an invited subject (answered,
// on the day of the answer, once per subject). Surveys about subjects nobody invited are not counted here.
const (
	SurveysInvitedPfx  = "surveys_invited_"  // + ticket|return|order
	SurveysAnsweredPfx = "surveys_answered_" // + ticket|return|order
)

// SurveySubjectTypes are the subject types customers are invited to rate.
var SurveySubjectTypes = []string{"ticket", "return", "order"}

// SurveyInvitedCounter names the invited counter of a subject type.
func SurveyInvitedCounter(subjectType string) string { return SurveysInvitedPfx + subjectType }

// SurveyAnsweredCounter names the answered counter of a subject type.
func SurveyAnsweredCounter(subjectType string) string { return SurveysAnsweredPfx + subjectType }

// ResponseRate is invited vs answered for one subject type, or for all of them.
type ResponseRate struct {
	Invited  int64    `json:"invited"`
	Answered int64    `json:"answered"`
	Percent  *float64 `json:"percent"` // answered ÷ invited × 100
}

// SurveyResponseRates are the response rates by subject type and overall. Like the return rate they compare
// events of the same days: answers in the range against invitations in the range.
type SurveyResponseRates struct {
	Overall       ResponseRate            `json:"overall"`
	BySubjectType map[string]ResponseRate `json:"bySubjectType"`
}

func surveyResponseRates(t Totals) SurveyResponseRates {
	r := SurveyResponseRates{BySubjectType: make(map[string]ResponseRate, len(SurveySubjectTypes))}
	for _, st := range SurveySubjectTypes {
		inv, ans := t[SurveyInvitedCounter(st)], t[SurveyAnsweredCounter(st)]
		r.BySubjectType[st] = ResponseRate{Invited: inv, Answered: ans, Percent: percent(ans, inv)}
		r.Overall.Invited += inv
		r.Overall.Answered += ans
	}
	r.Overall.Percent = percent(r.Overall.Answered, r.Overall.Invited)
	return r
}
