package macro

import (
	"testing"

	"github.com/tanggap/tanggap/shared/platform/i18n"
)

// Text right before a placeholder is kept, however short.
func TestRenderKeepsTextBeforeAPlaceholder(t *testing.T) {
	m := Macro{BodyID: "A{{order.id}}B", BodyEN: "{{order.id}}"}
	if got, err := m.Render(i18n.Indonesian, Data{OrderID: "TGP-1"}); err != nil || got != "ATGP-1B" {
		t.Fatalf("%q %v", got, err)
	}
	if got, err := m.Render(i18n.English, Data{OrderID: "TGP-1"}); err != nil || got != "TGP-1" {
		t.Fatalf("%q %v", got, err)
	}
}
