package metrics

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// Namespace is the CloudWatch namespace of every Tanggap metric.
const Namespace = "Tanggap"

// CloudWatch units used by Tanggap's metrics.
const (
	UnitCount   = "Count"
	UnitSeconds = "Seconds"
	UnitPercent = "Percent"
	UnitNone    = "None"
)

// Dimension is one CloudWatch dimension, e.g. {"Service", "surveys"}.
type Dimension struct {
	Name  string
	Value string
}

// Value is one metric observation.
type Value struct {
	Name  string
	Unit  string
	Value float64
}

// Limits of the Embedded Metric Format (one directive).
const (
	emfMaxMetrics    = 100
	emfMaxDimensions = 30
)

type emfMetric struct {
	Name string `json:"Name"`
	Unit string `json:"Unit"`
}

type emfDirective struct {
	Namespace  string      `json:"Namespace"`
	Dimensions [][]string  `json:"Dimensions"`
	Metrics    []emfMetric `json:"Metrics"`
}

type emfMetadata struct {
	Timestamp         int64          `json:"Timestamp"`
	CloudWatchMetrics []emfDirective `json:"CloudWatchMetrics"`
}

// EMF writes one CloudWatch Embedded Metric Format line to w (a Lambda's stdout): CloudWatch Logs
// extracts the metrics from it asynchronously, so graphing them costs no API call in the request path.
// dims form one dimension set; the line carries `_aws` first, then dimension values, then metric values
// as top-level members, in the order given. One Write per line, so concurrent lines never interleave.
func EMF(w io.Writer, ts time.Time, namespace string, dims []Dimension, values []Value) error {
	if namespace == "" {
		return errors.New("emf: namespace is required")
	}
	if len(values) == 0 || len(values) > emfMaxMetrics {
		return fmt.Errorf("emf: %d metrics, want 1 to %d", len(values), emfMaxMetrics)
	}
	if len(dims) > emfMaxDimensions {
		return fmt.Errorf("emf: %d dimensions, at most %d", len(dims), emfMaxDimensions)
	}
	seen := map[string]bool{"_aws": true}
	dir := emfDirective{Namespace: namespace, Dimensions: [][]string{make([]string, 0, len(dims))}}
	for _, d := range dims {
		if d.Name == "" || seen[d.Name] {
			return fmt.Errorf("emf: dimension name %q is empty or repeated", d.Name)
		}
		seen[d.Name] = true
		dir.Dimensions[0] = append(dir.Dimensions[0], d.Name)
	}
	for _, v := range values {
		if v.Name == "" || seen[v.Name] {
			return fmt.Errorf("emf: metric name %q is empty or repeated", v.Name)
		}
		if math.IsNaN(v.Value) || math.IsInf(v.Value, 0) {
			return fmt.Errorf("emf: metric %s is not a finite number", v.Name)
		}
		seen[v.Name] = true
		unit := v.Unit
		if unit == "" {
			unit = UnitNone
		}
		dir.Metrics = append(dir.Metrics, emfMetric{Name: v.Name, Unit: unit})
	}

	var buf bytes.Buffer
	buf.WriteString(`{"_aws":`)
	meta, err := json.Marshal(emfMetadata{Timestamp: ts.UnixMilli(), CloudWatchMetrics: []emfDirective{dir}})
	if err != nil {
		return err
	}
	buf.Write(meta)
	for _, d := range dims {
		writeMember(&buf, d.Name, d.Value)
	}
	for _, v := range values {
		writeMember(&buf, v.Name, v.Value)
	}
	buf.WriteString("}\n")
	_, err = w.Write(buf.Bytes())
	return err
}

func writeMember(buf *bytes.Buffer, name string, value any) {
	k, _ := json.Marshal(name)
	v, _ := json.Marshal(value)
	buf.WriteByte(',')
	buf.Write(k)
	buf.WriteByte(':')
	buf.Write(v)
}

// ReportValues are the figures of r as EMF values; figures that are null (nothing to divide by) are left out.
func ReportValues(r Report) []Value {
	var vs []Value
	addPtr := func(name, unit string, p *float64) {
		if p != nil {
			vs = append(vs, Value{Name: name, Unit: unit, Value: *p})
		}
	}
	addPct := func(name string, p *Percentile) {
		if p != nil && p.UpperBoundSeconds != nil {
			vs = append(vs, Value{Name: name, Unit: UnitSeconds, Value: float64(*p.UpperBoundSeconds)})
		}
	}
	addPtr("CSATPercent", UnitPercent, r.CSAT.Percent)
	addPtr("CESMean", UnitNone, r.CES.Mean)
	addPtr("NPS", UnitNone, r.NPS.Score)
	addPct("FirstResponseTimeP50", r.FirstResponseTime.P50)
	addPct("FirstResponseTimeP90", r.FirstResponseTime.P90)
	addPct("ResolutionTimeP50", r.ResolutionTime.P50)
	addPct("ResolutionTimeP90", r.ResolutionTime.P90)
	count := func(name string, n int64) { vs = append(vs, Value{Name: name, Unit: UnitCount, Value: float64(n)}) }
	count("Tickets", r.Counts.Tickets)
	count("Escalations", r.Counts.Escalations)
	count("Returns", r.Counts.Returns)
	count("Refunds", r.Counts.Refunds)
	count("Orders", r.Counts.Orders)
	count("Surveys", r.Counts.Surveys)
	addPtr("ReturnRateUnitsPercent", UnitPercent, r.ReturnRate.UnitsPercent)
	addPtr("ReturnRateOrdersPercent", UnitPercent, r.ReturnRate.ReturnsPerOrdersPercent)
	return vs
}

// SurveyValues are one survey response as EMF values. Averages in CloudWatch then give the figures:
// Average(CSATSatisfied) × 100 = CSAT %, Average(CESScore) = mean CES,
// (Average(NPSPromoter) − Average(NPSDetractor)) × 100 = NPS, Sum(ServiceRecovery) = recoveries.
func SurveyValues(csat int, ces, nps *int, serviceRecovery bool) []Value {
	vs := []Value{
		{Name: "SurveyResponses", Unit: UnitCount, Value: 1},
		{Name: "CSATScore", Unit: UnitNone, Value: float64(csat)},
		{Name: "CSATSatisfied", Unit: UnitCount, Value: b2f(csat >= 4)},
	}
	if ces != nil {
		vs = append(vs, Value{Name: "CESScore", Unit: UnitNone, Value: float64(*ces)})
	}
	if nps != nil {
		vs = append(vs,
			Value{Name: "NPSScore", Unit: UnitNone, Value: float64(*nps)},
			Value{Name: "NPSPromoter", Unit: UnitCount, Value: b2f(*nps >= 9)},
			Value{Name: "NPSDetractor", Unit: UnitCount, Value: b2f(*nps <= 6)})
	}
	return append(vs, Value{Name: "ServiceRecovery", Unit: UnitCount, Value: b2f(serviceRecovery)})
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
