package samtemplate

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// transformScript runs the SAM translator (the code behind `sam deploy` and cfn-lint's SAM support) on the
// template at argv[1] and prints the CloudFormation template. CodeUri becomes an S3 URI, as `sam package`
// makes it; managed policy names are not looked up (the template uses none).
const transformScript = `
import json, logging, os, sys
logging.disable(logging.WARNING)
os.environ.setdefault("AWS_DEFAULT_REGION", "ap-southeast-3")
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

class NoManagedPolicies:
    def load(self):
        return {}

with open(sys.argv[1]) as f:
    tpl = yaml_parse(f.read())
for r in tpl.get("Resources", {}).values():
    if r.get("Type") == "AWS::Serverless::Function":
        r.setdefault("Properties", {})["CodeUri"] = "s3://artifacts/function.zip"
json.dump(transform(tpl, {}, NoManagedPolicies()), sys.stdout)
`

type cfnResource struct {
	Type                string         `json:"Type"`
	Condition           string         `json:"Condition"`
	DeletionPolicy      string         `json:"DeletionPolicy"`
	UpdateReplacePolicy string         `json:"UpdateReplacePolicy"`
	Properties          map[string]any `json:"Properties"`
}

// transformedProject is template.yaml after the SAM transform, or a skip where python3 or samtranslator is
// missing (pip install aws-sam-translator).
func transformedProject(t *testing.T) map[string]cfnResource {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("SAM transform test skipped: python3 is not installed (needs python3 with aws-sam-translator)")
	}
	if err := exec.Command(python, "-c", "import samtranslator").Run(); err != nil {
		t.Skip("SAM transform test skipped: python3 has no samtranslator module (pip install aws-sam-translator)")
	}
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(python, "-c", transformScript, filepath.Join(root, "template.yaml"))
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("SAM transform of template.yaml failed: %v\n%s", err, stderr.String())
	}
	var out struct {
		Resources map[string]cfnResource `json:"Resources"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("SAM transform output: %v", err)
	}
	if len(out.Resources) == 0 {
		t.Fatal("SAM transform produced no resources")
	}
	return out.Resources
}

func ofType(resources map[string]cfnResource, typ string) []string {
	var ids []string
	for _, id := range sortedKeys(resources) {
		if resources[id].Type == typ {
			ids = append(ids, id)
		}
	}
	return ids
}

func TestTransformedTemplateIsSafeToDeploy(t *testing.T) {
	resources := transformedProject(t)

	t.Run("WAF ACL on the API stage", func(t *testing.T) {
		acls := ofType(resources, "AWS::WAFv2::WebACL")
		assocs := ofType(resources, "AWS::WAFv2::WebACLAssociation")
		if len(acls) != 1 || len(assocs) != 1 {
			t.Fatalf("web ACLs %v, associations %v; want one of each", acls, assocs)
		}
		acl, assoc := resources[acls[0]], resources[assocs[0]]
		if acl.Condition != "WafEnabled" || assoc.Condition != "WafEnabled" {
			t.Errorf("conditions %q, %q; want both WafEnabled (parameter EnableWaf)", acl.Condition, assoc.Condition)
		}
		arn, _ := json.Marshal(assoc.Properties["ResourceArn"])
		stages := ofType(resources, "AWS::ApiGateway::Stage")
		if len(stages) != 1 || !strings.Contains(string(arn), "${"+stages[0]+"}") || !strings.Contains(string(arn), "/restapis/${SupportApi}/") {
			t.Errorf("association ResourceArn %s is not the SupportApi stage %v", arn, stages)
		}
		if target, _ := referencedID(assoc.Properties["WebACLArn"]); target != acls[0] {
			t.Errorf("association WebACLArn %v, want %s", assoc.Properties["WebACLArn"], acls[0])
		}
		rules, _ := json.Marshal(acl.Properties["Rules"])
		for _, want := range []string{
			`"SizeConstraintStatement":{"ComparisonOperator":"GT","FieldToMatch":{"Body":{"OversizeHandling":"MATCH"}},"Size":65536`,
			`"Limit":{"Ref":"GuestLookupRateLimit"}`, `"AggregateKeyType":"IP"`, `"SearchString":"/orders/lookup"`,
			`"Name":"AWSManagedRulesCommonRuleSet"`, `"Name":"AWSManagedRulesKnownBadInputsRuleSet"`,
			`"RuleActionOverrides":[{"ActionToUse":{"Count":{}},"Name":"SizeRestrictions_BODY"}]`,
		} {
			if !strings.Contains(string(rules), want) {
				t.Errorf("web ACL rules lack %s", want)
			}
		}
		limit, _ := json.Marshal(acl.Properties["AssociationConfig"])
		if !strings.Contains(string(limit), "KB_64") {
			t.Errorf("AssociationConfig %s: WAF must inspect 64 KB of the body for the 64 KB rule", limit)
		}
	})

	t.Run("one stage", func(t *testing.T) {
		stages := ofType(resources, "AWS::ApiGateway::Stage")
		if len(stages) != 1 {
			t.Errorf("stages = %v, want exactly one (Globals.Api.OpenApiVersion stops SAM adding a stage named Stage)", stages)
		}
		for _, id := range ofType(resources, "AWS::ApiGateway::Deployment") {
			if sn, ok := resources[id].Properties["StageName"]; ok {
				t.Errorf("%s creates stage %v outside the template's Stage resource", id, sn)
			}
		}
	})

	t.Run("stateful resources retained", func(t *testing.T) {
		// Customer data: must survive `sam delete` and a replacing change.
		for _, typ := range []string{"AWS::DynamoDB::Table", "AWS::Cognito::UserPool"} {
			ids := ofType(resources, typ)
			if len(ids) == 0 {
				t.Errorf("no %s", typ)
			}
			for _, id := range ids {
				r := resources[id]
				if r.DeletionPolicy != "Retain" || r.UpdateReplacePolicy != "Retain" {
					t.Errorf("%s: DeletionPolicy %q, UpdateReplacePolicy %q; want Retain, Retain", id, r.DeletionPolicy, r.UpdateReplacePolicy)
				}
			}
		}
		for _, id := range ofType(resources, "AWS::Cognito::UserPool") {
			if resources[id].Properties["DeletionProtection"] != "ACTIVE" {
				t.Errorf("%s: DeletionProtection = %v, want ACTIVE", id, resources[id].Properties["DeletionProtection"])
			}
		}
		// Everything else that holds something: an explicit decision (template comment says why).
		for _, typ := range []string{"AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::KMS::Key", "AWS::Logs::LogGroup"} {
			for _, id := range ofType(resources, typ) {
				r := resources[id]
				if r.DeletionPolicy == "" || r.UpdateReplacePolicy == "" {
					t.Errorf("%s (%s): DeletionPolicy %q, UpdateReplacePolicy %q; want both set", id, typ, r.DeletionPolicy, r.UpdateReplacePolicy)
				}
			}
		}
	})

	t.Run("API functions deploy through a canary with rollback alarms", func(t *testing.T) {
		tpl := loadProject(t)
		routes, err := tpl.APIRoutes()
		if err != nil {
			t.Fatal(err)
		}
		apiFunctions := map[string]bool{}
		for _, r := range routes {
			apiFunctions[r.FunctionLogicalID] = true
		}
		if len(apiFunctions) == 0 {
			t.Fatal("no API functions")
		}
		for fn := range apiFunctions {
			alias := fn + "Aliaslive"
			if resources[alias].Type != "AWS::Lambda::Alias" {
				t.Errorf("%s: no alias %s (AutoPublishAlias: live)", fn, alias)
			}
			dg := resources[fn+"DeploymentGroup"]
			if dg.Type != "AWS::CodeDeploy::DeploymentGroup" {
				t.Errorf("%s: no CodeDeploy deployment group (DeploymentPreference)", fn)
				continue
			}
			config, _ := json.Marshal(dg.Properties["DeploymentConfigName"])
			if !strings.Contains(string(config), "Canary") && !strings.Contains(string(config), "Linear") {
				t.Errorf("%s: deployment config %s, want a canary or linear one", fn, config)
			}
			alarms, _ := json.Marshal(asMap(dg.Properties["AlarmConfiguration"])["Alarms"])
			errorsAlarm := strings.TrimSuffix(fn, "Function") + "ErrorsAlarm"
			if !strings.Contains(string(alarms), `"Ref":"`+errorsAlarm+`"`) {
				t.Errorf("%s: rollback alarms %s, want %s", fn, alarms, errorsAlarm)
			}
			rollback, _ := json.Marshal(dg.Properties["AutoRollbackConfiguration"])
			if !strings.Contains(string(rollback), "DEPLOYMENT_STOP_ON_ALARM") {
				t.Errorf("%s: auto rollback %s does not roll back on alarm", fn, rollback)
			}
		}
		// API Gateway may invoke only the alias, never $LATEST (so the canary's weights apply to every route).
		permissions := 0
		for _, id := range ofType(resources, "AWS::Lambda::Permission") {
			p := resources[id].Properties
			if p["Principal"] != "apigateway.amazonaws.com" {
				continue
			}
			permissions++
			target, _ := referencedID(p["FunctionName"])
			if !strings.HasSuffix(target, "Aliaslive") {
				t.Errorf("%s lets API Gateway invoke %v, not the alias", id, p["FunctionName"])
			}
		}
		if permissions == 0 {
			t.Error("no API Gateway invoke permissions")
		}
		var bodies strings.Builder
		for _, id := range ofType(resources, "AWS::ApiGateway::RestApi") {
			body, _ := json.Marshal(resources[id].Properties["Body"])
			bodies.Write(body)
		}
		for fn := range apiFunctions {
			if !strings.Contains(bodies.String(), "functions/${"+fn+"Aliaslive}/invocations") {
				t.Errorf("no API integration invokes %s through its alias", fn)
			}
			if strings.Contains(bodies.String(), "${"+fn+".Arn}") {
				t.Errorf("an API integration invokes %s without its alias", fn)
			}
		}
	})
}
