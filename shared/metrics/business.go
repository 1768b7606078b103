package metrics

import (
	"context"
	"io"
	"log/slog"
	"time"
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
// writes nothing. A failed write is logged, never returned: the event itself has already happened.
func CountEvent(ctx context.Context, w io.Writer, at time.Time, name, service string, dims ...Dimension) {
	if w == nil {
		return
	}
	all := append([]Dimension{{Name: "Service", Value: service}}, dims...)
	if err := EMF(w, at, Namespace, all, []Value{{Name: name, Unit: UnitCount, Value: 1}}); err != nil {
		slog.WarnContext(ctx, "writing EMF line failed", slog.String("metric", name), slog.Any("err", err))
	}
}
