package macro

import (
	"context"
	"errors"
	"testing"

	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/money"
)

func TestRenderFillsPlaceholdersPerLanguage(t *testing.T) {
	refund := money.New(18900000, "IDR")
	m := Macro{BodyID: "Halo {{customer.firstName}}, dana {{ return.refund }} untuk {{order.id}} ({{ticket.id}}) diproses.",
		BodyEN: "Hi {{customer.firstName}}, your {{return.refund}} refund for {{order.id}} ({{ticket.id}}) is on its way."}
	d := Data{CustomerFirstName: "Budi", OrderID: "TGP-1", TicketID: "TKT-1", ReturnRefund: &refund}
	for lang, want := range map[i18n.Lang]string{
		i18n.Indonesian: "Halo Budi, dana Rp189.000 untuk TGP-1 (TKT-1) diproses.",
		i18n.English:    "Hi Budi, your IDR 189,000 refund for TGP-1 (TKT-1) is on its way.",
	} {
		got, err := m.Render(lang, d)
		if err != nil || got != want {
			t.Errorf("%s: %q %v, want %q", lang, got, err, want)
		}
	}
	d.ReturnRefund = nil
	_, err := m.Render(i18n.English, d)
	var fe *failure.Error
	if !errors.As(err, &fe) || fe.Code != "macro_data_missing" || fe.Params["placeholder"] != ReturnRefund {
		t.Fatalf("missing data: %v", err)
	}
}

func TestDraftValidation(t *testing.T) {
	ok := Draft{Title: "t", BodyID: "Halo {{customer.name}}", BodyEN: "Hi {{customer.name}}", Team: "payments"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		d     Draft
		field string
		code  string
		param string
	}{
		{Draft{Title: "t", BodyID: "{{customer.phone}}", BodyEN: "x"}, "bodyId", "macro_placeholder_unknown", "customer.phone"},
		{Draft{Title: "t", BodyID: "x", BodyEN: "{{ticket.id"}, "bodyEn", "macro_placeholder_unclosed", ""},
		{Draft{Title: " ", BodyID: "x", BodyEN: "x"}, "title", "required", ""},
		{Draft{Title: "t", BodyID: "x", BodyEN: "x", Team: "sales"}, "team", "invalid", ""},
		{Draft{Title: string(make([]rune, MaxTitle+1)), BodyID: "x", BodyEN: "x"}, "title", "max", "120"},
	} {
		var fe *failure.Error
		if err := c.d.Validate(); !errors.As(err, &fe) || len(fe.Fields) != 1 || fe.Fields[0].Field != c.field || fe.Fields[0].Code != c.code || fe.Fields[0].Param != c.param {
			t.Errorf("%+v: %+v", c.d, fe)
		}
	}
	if got := Placeholders("{{order.id}} {{ order.id }} {{ticket.id}}"); len(got) != 2 || got[0] != OrderID || got[1] != TicketID {
		t.Fatalf("%v", got)
	}
}

type fakeSources struct {
	m           Macro
	name        string
	nameReads   int
	returnReads int
}

func (f *fakeSources) Macro(_ context.Context, id string) (Macro, error) {
	if id != f.m.ID {
		return Macro{}, ErrNotFound
	}
	return f.m, nil
}
func (f *fakeSources) CustomerName(context.Context, string) (string, error) {
	f.nameReads++
	return f.name, nil
}
func (f *fakeSources) LatestReturn(context.Context, string) (string, *money.Money, error) {
	f.returnReads++
	return "", nil, nil
}

// Compose reads only what the body uses, falls back to the name given at filing, and answers in
// Indonesian unless the ticket was filed in English.
func TestComposeReadsOnlyWhatTheBodyUses(t *testing.T) {
	src := &fakeSources{m: Macro{ID: IDs.New(), BodyID: "Halo {{customer.firstName}} ({{ticket.id}})", BodyEN: "Hi {{customer.name}}"}}
	msg, m, err := Compose(context.Background(), src, src.m.ID, "", Ticket{ID: "TKT-1", CustomerName: "Andi  Pratama", Language: "fr"})
	if err != nil || msg != "Halo Andi (TKT-1)" || m.ID != src.m.ID || src.nameReads != 1 || src.returnReads != 0 {
		t.Fatalf("%q %v reads %d/%d", msg, err, src.nameReads, src.returnReads)
	}
	src.name = "Siti Rahayu"
	msg, _, _ = Compose(context.Background(), src, src.m.ID, " Salam. ", Ticket{ID: "TKT-1", Language: i18n.English})
	if msg != "Hi Siti Rahayu\n\nSalam." {
		t.Fatalf("%q", msg)
	}
	if _, _, err := Compose(context.Background(), src, "MAC-nope", "", Ticket{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("%v", err)
	}
}
