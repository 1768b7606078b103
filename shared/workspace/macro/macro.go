// Package macro is saved replies: reply templates ops write once, in Bahasa Indonesia and English, with
// placeholders filled from the ticket, its customer, order and return when an agent replies with one. A
// placeholder the renderer does not know is refused when the template is saved, never left blank in a
// customer's reply.
package macro

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tanggap/tanggap/shared/escalation"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/i18n"
	"github.com/tanggap/tanggap/shared/platform/money"
	"github.com/tanggap/tanggap/shared/platform/randomid"
)

// Macro is one saved reply.
type Macro struct {
	ID     string
	Title  string
	BodyID string // Bahasa Indonesia
	BodyEN string
	Team   escalation.Team // the team it is for; empty for every team
	// Usage is how many replies used it; the reply's own transaction adds to it.
	Usage     int64
	CreatedAt time.Time
	UpdatedAt time.Time
	UpdatedBy string // operator name
	Version   int64
}

// Body is the text in lang.
func (m Macro) Body(lang i18n.Lang) string {
	if lang == i18n.English {
		return m.BodyEN
	}
	return m.BodyID
}

// Placeholders a template may use.
const (
	CustomerFirstName = "customer.firstName"
	CustomerName      = "customer.name"
	TicketID          = "ticket.id"
	TicketSubject     = "ticket.subject"
	OrderID           = "order.id"
	ReturnID          = "return.id"
	ReturnRefund      = "return.refund"
)

// Known lists the placeholders in the order the README documents them.
var Known = []string{CustomerFirstName, CustomerName, TicketID, TicketSubject, OrderID, ReturnID, ReturnRefund}

func known(name string) bool {
	for _, k := range Known {
		if k == name {
			return true
		}
	}
	return false
}

// Limits, in characters.
const (
	MaxTitle = 120
	MaxBody  = 5000
)

// IDs are macro ids: "MAC-" and 80 random bits.
var IDs = randomid.NewKind("MAC-")

// Failures.
var (
	ErrNotFound    = failure.NotFound("macro_not_found")
	ErrChanged     = failure.Conflict("macro_changed")
	ErrDataMissing = failure.Rejected("macro_data_missing")
)

// segment is literal text, or a placeholder when name is set.
type segment struct {
	text string
	name string
}

// parse splits a body into text and placeholders ({{name}}, spaces inside the braces allowed). It reports
// the first unknown placeholder or an unclosed "{{".
func parse(body string) ([]segment, *failure.FieldError) {
	var out []segment
	for {
		i := strings.Index(body, "{{")
		if i < 0 {
			if body != "" {
				out = append(out, segment{text: body})
			}
			return out, nil
		}
		if i > 0 {
			out = append(out, segment{text: body[:i]})
		}
		rest := body[i+2:]
		j := strings.Index(rest, "}}")
		if j < 0 {
			return nil, &failure.FieldError{Code: "macro_placeholder_unclosed"}
		}
		name := strings.TrimSpace(rest[:j])
		if !known(name) {
			return nil, &failure.FieldError{Code: "macro_placeholder_unknown", Param: name}
		}
		out = append(out, segment{name: name})
		body = rest[j+2:]
	}
}

// Placeholders returns the placeholders a body uses, each once, in order of first use.
func Placeholders(body string) []string {
	segs, _ := parse(body)
	var names []string
	seen := map[string]bool{}
	for _, s := range segs {
		if s.name != "" && !seen[s.name] {
			seen[s.name] = true
			names = append(names, s.name)
		}
	}
	return names
}

// Draft is what ops send to create or replace a macro.
type Draft struct {
	Title  string
	BodyID string
	BodyEN string
	Team   escalation.Team
}

// Validate refuses a draft with a blank or too long field, an unknown team, or a body with an unknown or
// unclosed placeholder.
func (d Draft) Validate() error {
	var fields []failure.FieldError
	text := func(field, v string, max int) {
		switch {
		case strings.TrimSpace(v) == "":
			fields = append(fields, failure.FieldError{Field: field, Code: "required"})
		case utf8.RuneCountInString(v) > max:
			fields = append(fields, failure.FieldError{Field: field, Code: "max", Param: strconv.Itoa(max)})
		}
	}
	text("title", d.Title, MaxTitle)
	text("bodyId", d.BodyID, MaxBody)
	text("bodyEn", d.BodyEN, MaxBody)
	for _, b := range []struct{ field, body string }{{"bodyId", d.BodyID}, {"bodyEn", d.BodyEN}} {
		if _, fe := parse(b.body); fe != nil {
			fe.Field = b.field
			fields = append(fields, *fe)
		}
	}
	if d.Team != "" && !d.Team.Valid() {
		fields = append(fields, failure.FieldError{Field: "team", Code: "invalid"})
	}
	if len(fields) > 0 {
		return failure.Invalid(fields...)
	}
	return nil
}

// Data is what a reply's placeholders are filled with; an empty value is data the ticket does not have.
type Data struct {
	CustomerFirstName string
	CustomerName      string
	TicketID          string
	TicketSubject     string
	OrderID           string
	ReturnID          string
	ReturnRefund      *money.Money
}

func (d Data) value(name string, lang i18n.Lang) string {
	switch name {
	case CustomerFirstName:
		return d.CustomerFirstName
	case CustomerName:
		return d.CustomerName
	case TicketID:
		return d.TicketID
	case TicketSubject:
		return d.TicketSubject
	case OrderID:
		return d.OrderID
	case ReturnID:
		return d.ReturnID
	case ReturnRefund:
		if d.ReturnRefund != nil {
			return d.ReturnRefund.Display(lang)
		}
	}
	return ""
}

// Render fills the body in lang. A placeholder with no data is refused (ErrDataMissing, naming it), so a
// customer never reads a blank where a name or an amount belongs.
func (m Macro) Render(lang i18n.Lang, d Data) (string, error) {
	segs, fe := parse(m.Body(lang))
	if fe != nil { // saved before a placeholder was withdrawn: refuse rather than guess
		return "", ErrDataMissing.With("placeholder", fe.Param)
	}
	var b strings.Builder
	for _, s := range segs {
		if s.name == "" {
			b.WriteString(s.text)
			continue
		}
		v := d.value(s.name, lang)
		if v == "" {
			return "", ErrDataMissing.With("placeholder", s.name)
		}
		b.WriteString(v)
	}
	return b.String(), nil
}

// Page is a page of macros.
type Page struct {
	Macros     []Macro
	NextCursor string
}

// Store is the port to macro storage.
type Store interface {
	// Create stores a new macro; ErrChanged when one with its id appeared meanwhile.
	Create(ctx context.Context, m Macro) error
	// Get returns the macro, or ErrNotFound.
	Get(ctx context.Context, id string) (Macro, error)
	// List pages the macros by id, of one team (and those for every team) when team is set.
	List(ctx context.Context, team escalation.Team, limit int, cursor string) (Page, error)
	// Update replaces title, bodies and team while the stored version is m.Version-1; ErrChanged otherwise,
	// ErrNotFound when it is gone.
	Update(ctx context.Context, m Macro) error
	// Delete removes the macro; ErrNotFound when it is not there.
	Delete(ctx context.Context, id string) error
}

// Service manages macros for ops.
type Service struct {
	store Store
	now   func() time.Time
	newID func() string
}

// NewService wires a Service.
func NewService(store Store, now func() time.Time) *Service {
	return &Service{store: store, now: now, newID: IDs.New}
}

// Create validates and stores a new macro.
func (s *Service) Create(ctx context.Context, actor string, d Draft) (Macro, error) {
	if err := d.Validate(); err != nil {
		return Macro{}, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	m := Macro{ID: s.newID(), Title: d.Title, BodyID: d.BodyID, BodyEN: d.BodyEN, Team: d.Team,
		CreatedAt: now, UpdatedAt: now, UpdatedBy: actor, Version: 1}
	if err := s.store.Create(ctx, m); err != nil {
		return Macro{}, err
	}
	return m, nil
}

// Get returns one macro.
func (s *Service) Get(ctx context.Context, id string) (Macro, error) {
	if !IDs.Valid(id) {
		return Macro{}, ErrNotFound
	}
	return s.store.Get(ctx, id)
}

// List pages the macros.
func (s *Service) List(ctx context.Context, team escalation.Team, limit int, cursor string) (Page, error) {
	return s.store.List(ctx, team, limit, cursor)
}

// Put replaces a macro's title, bodies and team (usage is kept), or creates it under id when there is
// none, so ops tooling can keep its saved replies under ids it chose. It reports whether it created.
func (s *Service) Put(ctx context.Context, actor, id string, d Draft) (Macro, bool, error) {
	if err := d.Validate(); err != nil {
		return Macro{}, false, err
	}
	m, err := s.Get(ctx, id)
	if errors.Is(err, ErrNotFound) && IDs.Valid(id) {
		now := s.now().UTC().Truncate(time.Millisecond)
		m = Macro{ID: id, Title: d.Title, BodyID: d.BodyID, BodyEN: d.BodyEN, Team: d.Team, CreatedAt: now, UpdatedAt: now, UpdatedBy: actor, Version: 1}
		return m, true, s.store.Create(ctx, m)
	}
	if err != nil {
		return Macro{}, false, err
	}
	m.Title, m.BodyID, m.BodyEN, m.Team = d.Title, d.BodyID, d.BodyEN, d.Team
	m.UpdatedAt, m.UpdatedBy, m.Version = s.now().UTC().Truncate(time.Millisecond), actor, m.Version+1
	if err := s.store.Update(ctx, m); err != nil {
		return Macro{}, false, err
	}
	return m, false, nil
}

// Delete removes a macro.
func (s *Service) Delete(ctx context.Context, id string) error {
	if !IDs.Valid(id) {
		return ErrNotFound
	}
	return s.store.Delete(ctx, id)
}

// Sources are where a reply's placeholders are filled from.
type Sources interface {
	// Macro returns the macro, or ErrNotFound.
	Macro(ctx context.Context, id string) (Macro, error)
	// CustomerName is the name the shop gave for the customer ("" when none).
	CustomerName(ctx context.Context, customerID string) (string, error)
	// LatestReturn is the newest return on the order and its refund (the final one once received, the
	// estimate before); an empty id when the order has none.
	LatestReturn(ctx context.Context, orderID string) (id string, refund *money.Money, err error)
}

// Ticket is what a reply needs of the ticket it answers.
type Ticket struct {
	ID         string
	Subject    string
	CustomerID string
	// CustomerName is the name the identity provider gave at filing: used when the shop gave none.
	CustomerName string
	OrderID      string
	Language     i18n.Lang // the customer's, recorded when they filed it
}

// Compose renders macro id for the ticket in its customer's language, reading only what the body uses,
// and appends extra (the agent's own words) after a blank line. It returns the message and the macro.
func Compose(ctx context.Context, src Sources, id, extra string, t Ticket) (string, Macro, error) {
	if !IDs.Valid(id) {
		return "", Macro{}, ErrNotFound
	}
	m, err := src.Macro(ctx, id)
	if err != nil {
		return "", Macro{}, err
	}
	lang := t.Language
	if lang != i18n.English {
		lang = i18n.Indonesian
	}
	d := Data{TicketID: t.ID, TicketSubject: t.Subject, OrderID: t.OrderID}
	uses := Placeholders(m.Body(lang))
	has := func(names ...string) bool {
		for _, u := range uses {
			for _, n := range names {
				if u == n {
					return true
				}
			}
		}
		return false
	}
	if has(CustomerFirstName, CustomerName) {
		name, err := src.CustomerName(ctx, t.CustomerID)
		if err != nil {
			return "", Macro{}, err
		}
		if strings.TrimSpace(name) == "" {
			name = t.CustomerName
		}
		d.CustomerName = strings.Join(strings.Fields(name), " ")
		if f := strings.Fields(name); len(f) > 0 {
			d.CustomerFirstName = f[0]
		}
	}
	if has(ReturnID, ReturnRefund) && t.OrderID != "" {
		if d.ReturnID, d.ReturnRefund, err = src.LatestReturn(ctx, t.OrderID); err != nil {
			return "", Macro{}, err
		}
	}
	msg, err := m.Render(lang, d)
	if err != nil {
		return "", Macro{}, err
	}
	if extra = strings.TrimSpace(extra); extra != "" {
		msg += "\n\n" + extra
	}
	return msg, m, nil
}
