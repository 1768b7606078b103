package config

import (
	"reflect"
	"slices"
	"testing"

	"github.com/tanggap/tanggap/infra/samtemplate"
	"github.com/tanggap/tanggap/shared/returns/returnpolicy"
)

// Every zone a deployment may choose with the template's ShopTimeZone parameter is one the functions accept
// at cold start, and it reaches them as SHOP_TIME_ZONE: a value the template allows but the code refuses
// would stop every function after a successful deploy.
func TestEveryShopTimeZoneTheTemplateAllowsStartsTheFunctions(t *testing.T) {
	tpl, err := samtemplate.LoadProject()
	if err != nil {
		t.Fatal(err)
	}
	param, ok := tpl.Parameters()["ShopTimeZone"]
	if !ok || len(param.AllowedValues) == 0 || !slices.Contains(param.AllowedValues, param.Default) {
		t.Fatalf("ShopTimeZone = %+v, want a parameter with allowed values including its default", param)
	}
	for _, zone := range param.AllowedValues {
		e := FromMap(map[string]string{"SHOP_TIME_ZONE": zone})
		if p := ReturnPolicy(e); e.Err() != nil || p.TimeZone != zone {
			t.Errorf("SHOP_TIME_ZONE=%s: policy zone %q, err %v", zone, p.TimeZone, e.Err())
		}
	}
	if _, known := returnpolicy.Zones[param.Default]; !known {
		t.Errorf("default %q is not a zone the return policy knows", param.Default)
	}
	fns, err := tpl.Functions()
	if err != nil || len(fns) == 0 {
		t.Fatalf("functions: %d, %v", len(fns), err)
	}
	for id, fn := range fns {
		if got := fn.Environment["SHOP_TIME_ZONE"]; !reflect.DeepEqual(got, map[string]any{"Ref": "ShopTimeZone"}) {
			t.Errorf("%s: SHOP_TIME_ZONE = %v, want the ShopTimeZone parameter", id, got)
		}
	}
}
