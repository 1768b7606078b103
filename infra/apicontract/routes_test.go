package apicontract

import (
	"sort"
	"testing"

	"github.com/tanggap/tanggap/infra/samtemplate"
	"github.com/tanggap/tanggap/shared/customerevent/inboxapi"
	"github.com/tanggap/tanggap/shared/helpcenter/helpapi"
	"github.com/tanggap/tanggap/shared/metrics/metricsapi"
	"github.com/tanggap/tanggap/shared/order/orderapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/returns/returnapi"
	"github.com/tanggap/tanggap/shared/survey/surveyapi"
	"github.com/tanggap/tanggap/shared/ticket/calendarapi"
	"github.com/tanggap/tanggap/shared/ticket/complaintapi"
	"github.com/tanggap/tanggap/shared/workspace/customerapi"
	"github.com/tanggap/tanggap/shared/workspace/workspaceapi"
)

// handlerRoutes lists, per template function, the routes its handler serves. Services are nil: only
// the route table is read, no handler runs.
var handlerRoutes = map[string][]httpapi.Route{
	"OrdersFunction":        orderapi.Routes(nil),
	"ComplaintsFunction":    append(complaintapi.Routes(nil), calendarapi.Routes(nil)...),
	"ReturnsFunction":       returnapi.Routes(nil),
	"SurveysFunction":       surveyapi.Routes(nil),
	"MetricsFunction":       metricsapi.Routes(nil),
	"WorkspaceFunction":     append(workspaceapi.Routes(nil), customerapi.Routes(nil, nil)...),
	"HelpCenterFunction":    helpapi.Routes(nil),
	"NotificationsFunction": inboxapi.Routes(nil),
}

type routeKey struct{ Function, Method, Path, Auth string }

func TestTemplateAndHandlersServeTheSameRoutes(t *testing.T) {
	tpl, err := samtemplate.LoadProject()
	if err != nil {
		t.Fatal(err)
	}
	routes, err := tpl.APIRoutes()
	if err != nil {
		t.Fatal(err)
	}
	inTemplate := map[routeKey]bool{}
	for _, r := range routes {
		inTemplate[routeKey{r.FunctionLogicalID, r.Method, r.Path, r.Auth}] = true
	}
	inHandlers := map[routeKey]bool{}
	for fn, rs := range handlerRoutes {
		for _, r := range rs {
			inHandlers[routeKey{fn, r.Method, r.Path, r.Access.String()}] = true
		}
	}
	for _, k := range sortedKeys(inTemplate) {
		if !inHandlers[k] {
			t.Errorf("template routes %s %s (%s auth) to %s, but that handler does not serve it", k.Method, k.Path, k.Auth, k.Function)
		}
	}
	for _, k := range sortedKeys(inHandlers) {
		if !inTemplate[k] {
			t.Errorf("%s serves %s %s (%s auth), but template.yaml has no such API event", k.Function, k.Method, k.Path, k.Auth)
		}
	}
	if len(inTemplate) == 0 {
		t.Fatal("template declares no API routes")
	}
}

// Every function with API events must have its route table registered above.
func TestEveryAPIFunctionIsChecked(t *testing.T) {
	tpl, err := samtemplate.LoadProject()
	if err != nil {
		t.Fatal(err)
	}
	routes, err := tpl.APIRoutes()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range routes {
		if _, ok := handlerRoutes[r.FunctionLogicalID]; !ok {
			t.Errorf("%s has API events but no entry in handlerRoutes", r.FunctionLogicalID)
		}
	}
}

func sortedKeys(m map[routeKey]bool) []routeKey {
	out := make([]routeKey, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Function != b.Function {
			return a.Function < b.Function
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Method < b.Method
	})
	return out
}
