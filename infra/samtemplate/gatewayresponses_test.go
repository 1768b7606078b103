package samtemplate

import (
	"reflect"
	"strings"
	"testing"
)

func TestGatewayResponses(t *testing.T) {
	tpl, err := Parse([]byte(`
Parameters:
  Origin: {Type: String, Default: "https://toko.example"}
Globals:
  Api:
    GatewayResponses:
      DEFAULT_4XX:
        ResponseTemplates:
          application/json: '{"from":"globals"}'
      THROTTLED:
        StatusCode: 429
        ResponseTemplates:
          application/json: '{"from":"globals"}'
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      GatewayResponses:
        UNAUTHORIZED:
          StatusCode: "401"
          ResponseParameters:
            Headers:
              Content-Type: "'application/problem+json'"
              Access-Control-Allow-Origin: !Sub "'${Origin}'"
              Vary: method.request.header.Origin
          ResponseTemplates:
            application/json: '{"id":"$context.requestId"}'
        THROTTLED:
          ResponseTemplates:
            application/json: '{"from":"api"}'
  Bare:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := tpl.GatewayResponses("Api", Names{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]GatewayResponse{
		"DEFAULT_4XX": {Type: "DEFAULT_4XX", Headers: map[string]string{}, Templates: map[string]string{"application/json": `{"from":"globals"}`}},
		// The API's own entry replaces the Globals one whole, status code included.
		"THROTTLED": {Type: "THROTTLED", Headers: map[string]string{}, Templates: map[string]string{"application/json": `{"from":"api"}`}},
		"UNAUTHORIZED": {Type: "UNAUTHORIZED", StatusCode: 401,
			Headers: map[string]string{
				"Content-Type": "'application/problem+json'", "Access-Control-Allow-Origin": "'https://toko.example'",
				"Vary": "method.request.header.Origin",
			},
			Templates: map[string]string{"application/json": `{"id":"$context.requestId"}`}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GatewayResponses:\n got %+v\nwant %+v", got, want)
	}

	got, err = tpl.GatewayResponses("Api", Names{Refs: map[string]string{"Origin": "https://shop.example"}})
	if err != nil || got["UNAUTHORIZED"].Headers["Access-Control-Allow-Origin"] != "'https://shop.example'" {
		t.Errorf("parameter override: %v %+v", err, got["UNAUTHORIZED"])
	}

	bare, err := tpl.GatewayResponses("Bare", Names{})
	if err != nil || len(bare) != 2 || bare["THROTTLED"].StatusCode != 429 {
		t.Errorf("an API without its own GatewayResponses gets the Globals ones: %v %+v", err, bare)
	}
	if _, err := tpl.GatewayResponses("Missing", Names{}); err == nil {
		t.Error("an unknown API was accepted")
	}
}

func TestGatewayResponsesRejectBadInput(t *testing.T) {
	for name, entry := range map[string]string{
		"unknown type":          "UNAUTHORISED: {StatusCode: 401}",
		"status not a code":     "UNAUTHORIZED: {StatusCode: 4010}",
		"status not a number":   "UNAUTHORIZED: {StatusCode: abc}",
		"unknown property":      "UNAUTHORIZED: {Status: 401}",
		"unknown parameter":     "UNAUTHORIZED: {ResponseParameters: {Cookies: {a: \"'b'\"}}}",
		"unresolvable header":   "UNAUTHORIZED: {ResponseParameters: {Headers: {X-A: !Ref Nope}}}",
		"template not a string": "UNAUTHORIZED: {ResponseTemplates: {application/json: {a: b}}}",
		"entry not a mapping":   "UNAUTHORIZED: yes",
	} {
		t.Run(name, func(t *testing.T) {
			tpl, err := Parse([]byte("Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      GatewayResponses:\n        " + entry + "\n"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tpl.GatewayResponses("Api", Names{}); err == nil || !strings.Contains(err.Error(), "Api GatewayResponses.") {
				t.Errorf("got %v, want an error naming the entry", err)
			}
		})
	}
}
