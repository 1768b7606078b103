package helpcenter

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/tanggap/tanggap/shared/metrics"
	"github.com/tanggap/tanggap/shared/platform/failure"
)

// Where a reader voted from.
const (
	ContextSearch        = "search"
	ContextComplaintForm = "complaint_form"
)

// FeedbackContexts lists the accepted contexts.
var FeedbackContexts = []string{ContextSearch, ContextComplaintForm}

// Feedback is one reader's vote on an article: one per reader and article, the first one counts.
type Feedback struct {
	Slug    string
	Voter   string // VoterID of the reader
	Helpful bool
	Context string
	At      time.Time
}

// VoterID turns who a reader is (a Cognito sub or a source IP, from the API Gateway request context)
// into the stored voter key: a hash, so no IP address is stored with the vote.
func VoterID(principal string) string {
	sum := sha256.Sum256([]byte("tanggap-help-voter|" + principal))
	return hex.EncodeToString(sum[:16])
}

// Counters are the metric counter deltas a first vote adds.
func (f Feedback) Counters() map[string]int64 {
	d := map[string]int64{}
	if f.Helpful {
		d[metrics.HelpHelpful] = 1
	} else {
		d[metrics.HelpNotHelpful] = 1
	}
	if f.Context == ContextComplaintForm {
		if f.Helpful {
			d[metrics.HelpComplaintFormHelpful] = 1
		} else {
			d[metrics.HelpComplaintFormNotHelpful] = 1
		}
	}
	return d
}

// Vote records a reader's vote on a published article. It reports whether this vote counted: a reader
// who already voted on the article gets their first vote back, and nothing changes.
func (s *Service) Vote(ctx context.Context, principal, slug string, helpful bool, where string) (Feedback, bool, error) {
	if !ValidSlug(slug) {
		return Feedback{}, false, ErrNotFound
	}
	valid := false
	for _, c := range FeedbackContexts {
		valid = valid || c == where
	}
	if !valid {
		return Feedback{}, false, failure.Invalid(failure.FieldError{Field: "context", Code: "oneof", Param: ContextSearch + " " + ContextComplaintForm})
	}
	voter := VoterID(principal)
	prior, err := s.store.Vote(ctx, slug, voter)
	if err != nil {
		return Feedback{}, false, err
	}
	if prior != nil {
		return *prior, false, nil
	}
	f := Feedback{Slug: slug, Voter: voter, Helpful: helpful, Context: where, At: s.now().UTC()}
	if err := s.store.RecordVote(ctx, f); err != nil {
		return Feedback{}, false, err
	}
	return f, true, nil
}
