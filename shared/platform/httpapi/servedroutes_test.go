package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/tanggap/tanggap/shared/platform/httpapi"
	"github.com/tanggap/tanggap/shared/platform/httpapi/apitest"
)

// servingAPI answers every method on /widgets/{id} with 200 and the method it served, so a request that
// reaches a route is told apart from one the edge refused (which the other test APIs' 404 routes hide).
func servingAPI(t *testing.T) http.Handler {
	t.Helper()
	var routes []httpapi.Route
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
		routes = append(routes, httpapi.Route{Method: m, Path: "/widgets/{id}", Access: httpapi.Public,
			Handle: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("X-Served", r.Method)
				w.WriteHeader(http.StatusOK)
				return nil
			}})
	}
	h, err := httpapi.New(httpapi.Options{AllowedOrigin: "https://shop.example"}, routes)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func serve(t *testing.T, h http.Handler, ev events.APIGatewayProxyRequest) events.APIGatewayProxyResponse {
	t.Helper()
	resp, err := httpapi.LambdaHandler(h)(context.Background(), ev)
	if err != nil {
		t.Fatalf("adapter error %v", err)
	}
	return resp
}

func widgetEvent(method, id string) events.APIGatewayProxyRequest {
	return apitest.Event(apitest.Request{Method: method, Path: "/widgets/" + id, Resource: "/widgets/{id}", As: apitest.AsGuest()})
}

func served(resp events.APIGatewayProxyResponse) string {
	if v := resp.MultiValueHeaders["X-Served"]; len(v) == 1 {
		return v[0]
	}
	return ""
}

// Every method API Gateway proxies reaches its route (HEAD the GET route), and answers expose the headers
// browser code may read.
func TestEveryProxiedMethodReachesItsRoute(t *testing.T) {
	h := servingAPI(t)
	for _, m := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
		resp := serve(t, h, widgetEvent(m, "w-1"))
		if resp.StatusCode != 200 || served(resp) != m {
			t.Errorf("%s: status %d, served by %q; body %s", m, resp.StatusCode, served(resp), resp.Body)
		}
		if got := resp.MultiValueHeaders["Access-Control-Expose-Headers"]; len(got) != 1 || got[0] != httpapi.ExposedHeaders {
			t.Errorf("%s: Access-Control-Expose-Headers %v", m, got)
		}
	}
}

// The hostile events reach no route even when the route would answer them: each is refused at the edge.
func TestHostileEventsNeverReachARoute(t *testing.T) {
	h := servingAPI(t)
	captureStdout(t, func() {
		for name, c := range hostileEvents() {
			resp := serve(t, h, c.ev)
			if resp.StatusCode != c.status || served(resp) != "" {
				t.Errorf("%s: status %d, served by %q; want %d from the edge", name, resp.StatusCode, served(resp), c.status)
			}
		}
	})
	// A parameter API Gateway decoded to invalid UTF-8, though the path is fine.
	ev := widgetEvent("GET", "w-1")
	ev.PathParameters = map[string]string{"id": "\xff"}
	if resp := serve(t, h, ev); resp.StatusCode != 404 || served(resp) != "" {
		t.Errorf("invalid UTF-8 parameter: status %d, served by %q", resp.StatusCode, served(resp))
	}
}

// A path may be as long as maxPathBytes (1024 bytes), not one byte longer.
func TestPathLengthLimit(t *testing.T) {
	h := servingAPI(t)
	id := strings.Repeat("a", 1024-len("/widgets/"))
	if resp := serve(t, h, widgetEvent("GET", id)); resp.StatusCode != 200 {
		t.Errorf("1024-byte path: status %d", resp.StatusCode)
	}
	if resp := serve(t, h, widgetEvent("GET", id+"a")); resp.StatusCode != 404 || served(resp) != "" {
		t.Errorf("1025-byte path: status %d, served by %q", resp.StatusCode, served(resp))
	}
}

// Any DNS name (letters of either case, digits, dots, hyphens), with or without a port, is a host.
func TestEveryDNSNameIsAHost(t *testing.T) {
	h := servingAPI(t)
	for _, host := range []string{"AZaz09.example-1.com", "API.EXAMPLE.COM", "a0.z9.example", "localhost:3000", "example.com:65535"} {
		ev := widgetEvent("GET", "w-1")
		ev.RequestContext.DomainName = host
		if resp := serve(t, h, ev); resp.StatusCode != 200 {
			t.Errorf("%s: status %d; body %s", host, resp.StatusCode, resp.Body)
		}
	}
}
