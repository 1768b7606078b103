package macro

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/money"
)

// Both bodies are required and bounded like the title, and every problem of a draft is reported at once.
func TestDraftBodiesAreRequiredAndBoundedAndProblemsAddUp(t *testing.T) {
	long := strings.Repeat("é", MaxBody+1)
	atLimit := strings.Repeat("é", MaxBody) // runes, not bytes
	if err := (Draft{Title: strings.Repeat("t", MaxTitle), BodyID: atLimit, BodyEN: atLimit}).Validate(); err != nil {
		t.Fatalf("bodies and title at their limits: %v", err)
	}
	if err := (Draft{Title: "t", BodyID: "x", BodyEN: "x", Team: ""}).Validate(); err != nil {
		t.Fatalf("a macro for every team: %v", err)
	}
	for _, c := range []struct {
		d    Draft
		want []failure.FieldError
	}{
		{Draft{Title: "t", BodyID: " \n", BodyEN: "x"}, []failure.FieldError{{Field: "bodyId", Code: "required"}}},
		{Draft{Title: "t", BodyID: "x", BodyEN: ""}, []failure.FieldError{{Field: "bodyEn", Code: "required"}}},
		{Draft{Title: "t", BodyID: long, BodyEN: "x"}, []failure.FieldError{{Field: "bodyId", Code: "max", Param: "5000"}}},
		{Draft{Title: "t", BodyID: "x", BodyEN: long}, []failure.FieldError{{Field: "bodyEn", Code: "max", Param: "5000"}}},
		{Draft{Title: "", BodyID: "{{nama}}", BodyEN: "Hi {{order.id}", Team: "sales"}, []failure.FieldError{
			{Field: "title", Code: "required"},
			{Field: "bodyId", Code: "macro_placeholder_unknown", Param: "nama"},
			{Field: "bodyEn", Code: "macro_placeholder_unclosed"},
			{Field: "team", Code: "invalid"},
		}},
	} {
		var fe *failure.Error
		err := c.d.Validate()
		if !errors.As(err, &fe) || fe.Kind != failure.KindInvalid || !sameFields(fe.Fields, c.want) {
			t.Errorf("%.40q: %v, want %+v", c.d.BodyID, err, c.want)
		}
	}
}

func sameFields(got, want []failure.FieldError) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// Every placeholder is filled from its own piece of data.
func TestRenderFillsEveryPlaceholder(t *testing.T) {
	refund := money.New(250000, "IDR")
	d := Data{CustomerFirstName: "Siti", CustomerName: "Siti Rahayu", TicketID: "TKT-9", TicketSubject: "Paket rusak",
		OrderID: "TGP-9", ReturnID: "RTN-9", ReturnRefund: &refund}
	var body strings.Builder
	for _, k := range Known {
		body.WriteString("[{{" + k + "}}]")
	}
	m := Macro{BodyID: body.String(), BodyEN: body.String()}
	got, err := m.Render(i18n.English, d)
	if want := "[Siti][Siti Rahayu][TKT-9][Paket rusak][TGP-9][RTN-9][IDR 2,500]"; err != nil || got != want {
		t.Fatalf("%q %v, want %q", got, err, want)
	}
	if got, _ := m.Render(i18n.Indonesian, d); !strings.HasSuffix(got, "[Rp2.500]") {
		t.Errorf("the refund in Indonesian: %q", got)
	}
	// A body saved before one of its placeholders was withdrawn is refused, naming it, not sent half-filled.
	stale := Macro{BodyID: "Halo {{customer.nickname}}", BodyEN: "x"}
	var fe *failure.Error
	if got, err := stale.Render(i18n.Indonesian, d); !errors.As(err, &fe) || fe.Code != "macro_data_missing" || fe.Params["placeholder"] != "customer.nickname" {
		t.Errorf("stale body: %q %v", got, err)
	}
}

// missing reports whether err refuses a reply for want of the placeholder's data.
func missing(err error, placeholder string) bool {
	fe, ok := failure.As(err)
	return ok && fe.Code == ErrDataMissing.Code && fe.Params["placeholder"] == placeholder
}

// sources is a fake of the reply's data sources that records what was read and can fail.
type sources struct {
	m                       Macro
	name                    string
	returnID                string
	refund                  *money.Money
	macroErr, nameErr, rErr error
	macroReads, nameReads   int
	returnReads             []string
}

func (s *sources) Macro(_ context.Context, id string) (Macro, error) {
	s.macroReads++
	if s.macroErr != nil {
		return Macro{}, s.macroErr
	}
	if id != s.m.ID {
		return Macro{}, ErrNotFound
	}
	return s.m, nil
}

func (s *sources) CustomerName(context.Context, string) (string, error) {
	s.nameReads++
	return s.name, s.nameErr
}

func (s *sources) LatestReturn(_ context.Context, orderID string) (string, *money.Money, error) {
	s.returnReads = append(s.returnReads, orderID)
	return s.returnID, s.refund, s.rErr
}

// A reply about a return reads the order's latest return; a ticket without an order has none to name.
func TestComposeFillsTheLatestReturnOfTheTicketsOrder(t *testing.T) {
	refund := money.New(189000, "IDR")
	src := &sources{m: Macro{ID: IDs.New(), BodyID: "Retur {{return.id}} ({{ticket.subject}}): {{return.refund}}.", BodyEN: "x"},
		returnID: "RTN-5", refund: &refund}
	tk := Ticket{ID: "TKT-5", Subject: "Sepatu kekecilan", OrderID: "TGP-5", Language: i18n.Indonesian}
	msg, _, err := Compose(context.Background(), src, src.m.ID, "  ", tk)
	if err != nil || msg != "Retur RTN-5 (Sepatu kekecilan): Rp1.890." || len(src.returnReads) != 1 || src.returnReads[0] != "TGP-5" || src.nameReads != 0 {
		t.Fatalf("%q %v, return reads %v, name reads %d", msg, err, src.returnReads, src.nameReads)
	}
	tk.OrderID = ""
	src.returnReads = nil
	if _, _, err := Compose(context.Background(), src, src.m.ID, "", tk); !missing(err, ReturnID) || len(src.returnReads) != 0 {
		t.Fatalf("no order: %v, return reads %v", err, src.returnReads)
	}
	// A body that names no return reads none.
	src.m.BodyID = "Pesanan {{order.id}}, keluhan {{ticket.id}}"
	tk.OrderID = "TGP-5"
	if msg, _, err := Compose(context.Background(), src, src.m.ID, "", tk); err != nil || msg != "Pesanan TGP-5, keluhan TKT-5" || len(src.returnReads) != 0 {
		t.Fatalf("%q %v, return reads %v", msg, err, src.returnReads)
	}
}

// The customer's name: the shop's (spaces tidied), else the one given at filing; a one-word name is the
// first name too.
func TestComposeNamesTheCustomer(t *testing.T) {
	src := &sources{m: Macro{ID: IDs.New(), BodyID: "{{customer.firstName}}|{{customer.name}}", BodyEN: "x"}}
	for _, c := range []struct{ shop, filed, want string }{
		{"  Siti   Rahayu ", "Budi", "Siti|Siti Rahayu"},
		{"Siti", "", "Siti|Siti"},
		{"   ", "Budi  Santoso", "Budi|Budi Santoso"},
	} {
		src.name = c.shop
		msg, _, err := Compose(context.Background(), src, src.m.ID, "", Ticket{ID: "TKT-1", CustomerName: c.filed})
		if err != nil || msg != c.want {
			t.Errorf("shop %q, filed %q: %q %v, want %q", c.shop, c.filed, msg, err, c.want)
		}
	}
	src.name = ""
	if _, _, err := Compose(context.Background(), src, src.m.ID, "", Ticket{ID: "TKT-1"}); !missing(err, CustomerFirstName) {
		t.Errorf("no name anywhere: %v", err)
	}
}

// A source that fails fails the reply; a malformed id reads nothing.
func TestComposeFailsWithItsSources(t *testing.T) {
	down := errors.New("dynamodb: throttled")
	body := "{{customer.name}} {{return.id}}"
	tk := Ticket{ID: "TKT-1", OrderID: "TGP-1"}
	for name, src := range map[string]*sources{
		"macro":  {m: Macro{ID: IDs.New(), BodyID: body}, macroErr: down},
		"name":   {m: Macro{ID: IDs.New(), BodyID: body}, nameErr: down, returnID: "RTN-1"},
		"return": {m: Macro{ID: IDs.New(), BodyID: body}, name: "Siti", rErr: down},
	} {
		if msg, _, err := Compose(context.Background(), src, src.m.ID, "", tk); !errors.Is(err, down) {
			t.Errorf("%s down: %q %v", name, msg, err)
		}
	}
	src := &sources{m: Macro{ID: IDs.New(), BodyID: "x"}}
	if _, _, err := Compose(context.Background(), src, "MAC-"+strings.Repeat("A", 16)+"!", "", tk); !errors.Is(err, ErrNotFound) || src.macroReads != 0 {
		t.Errorf("malformed id: %v, %d reads", err, src.macroReads)
	}
}

// Empty braces are a placeholder with no name (unknown), not an unclosed one.
func TestEmptyPlaceholderIsUnknown(t *testing.T) {
	for _, body := range []string{"Halo {{}}", "Halo {{ }}!"} {
		var fe *failure.Error
		err := (Draft{Title: "t", BodyID: body, BodyEN: "x"}).Validate()
		if !errors.As(err, &fe) || !sameFields(fe.Fields, []failure.FieldError{{Field: "bodyId", Code: "macro_placeholder_unknown"}}) {
			t.Errorf("%q: %v", body, err)
		}
	}
}
