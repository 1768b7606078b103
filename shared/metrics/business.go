package metrics

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/tanggap/tanggap/shared/platform/idempotency"
)

// Business metrics: EMF lines in Namespace counting one event each, with a "Service" dimension naming the
// function that emits them plus the dimension noted. The ops dashboard graphs every one of them (a test in
// infra/opsready holds it to this list).
const (
	ReturnsRequestedMetric = "ReturnsRequested" // Service=returns
	ReturnsRefundedMetric  = "ReturnsRefunded"  // Service=returns
	TicketsCreatedMetric   = "TicketsCreated"   // Service=complaints, Priority=low|normal|high|urgent
	EscalationsMetric      = "Escalations"      // Service=escalations, Team=<team>
	SurveyResponsesMetric  = "SurveyResponses"  // Service=surveys, see SurveyValues
)

// BusinessMetrics lists the business metric names.
var BusinessMetrics = []string{ReturnsRequestedMetric, ReturnsRefundedMetric, TicketsCreatedMetric, EscalationsMetric, SurveyResponsesMetric}

// CountEvent writes one EMF line to w counting one event named name, dimensioned by service and dims. A nil w
// writes nothing. A failed write is logged, never returned: the event itself has already happened. Inside
// an idempotent request the line is written only once the planned change commits.
func CountEvent(ctx context.Context, w io.Writer, at time.Time, name, service string, dims ...Dimension) {
	if w == nil {
		return
	}
	all := append([]Dimension{{Name: "Service", Value: service}}, dims...)
	WriteAfterCommit(ctx, w, at, all, []Value{{Name: name, Unit: UnitCount, Value: 1}})
}

// WriteAfterCommit writes one EMF line once the change of ctx's request has committed (at once outside an
// idempotent request, where the change has already been written). A failed write is logged.
func WriteAfterCommit(ctx context.Context, w io.Writer, at time.Time, dims []Dimension, values []Value) {
	idempotency.PlanFrom(ctx).AfterCommit(func() {
		if err := EMF(w, at, Namespace, dims, values); err != nil {
			slog.WarnContext(ctx, "writing EMF line failed", slog.String("metric", values[0].Name), slog.Any("err", err))
		}
	})
}
