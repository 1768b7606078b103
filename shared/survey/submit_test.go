package survey

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tanggap/tanggap/shared/platform/failure"
)

// keepStore is an in-memory Store for the service's rules (not storage): it keeps what it is given.
type keepStore struct {
	created  []Survey
	statuses [][]string
	surveys  map[string]Survey
	err      error
}

func (k *keepStore) Create(_ context.Context, s Survey, statuses []string) error {
	if k.err != nil {
		return k.err
	}
	k.created = append(k.created, s)
	k.statuses = append(k.statuses, statuses)
	if k.surveys == nil {
		k.surveys = map[string]Survey{}
	}
	k.surveys[s.ID()] = s
	return nil
}

func (k *keepStore) Get(_ context.Context, t SubjectType, id string) (Survey, error) {
	s, ok := k.surveys[string(t)+":"+id]
	if !ok {
		return Survey{}, ErrNotFound
	}
	return s, nil
}

var answeredAt = time.Date(2026, 11, 20, 3, 0, 0, 0, time.FixedZone("WIB", 7*3600))

func num(f float64) *float64 { return &f }

// A survey is stored with who answered, when (UTC), the scores as whole numbers, the trimmed comment, and
// the statuses its subject must be in; the EMF line goes out only after it is stored.
func TestSubmitStoresTheAnswer(t *testing.T) {
	store := &keepStore{}
	var emf bytes.Buffer
	svc := NewService(store, func() time.Time { return answeredAt }, &emf)
	got, err := svc.Submit(context.Background(), "budi", Input{SubjectType: "order", SubjectID: "TGP-10001",
		CSAT: num(4), CES: num(2), NPS: num(9), Comment: "  Cepat sekali! "})
	if err != nil {
		t.Fatal(err)
	}
	ces, nps := 2, 9
	want := Survey{SubjectType: SubjectOrder, SubjectID: "TGP-10001", CustomerID: "budi", CSAT: 4, CES: &ces, NPS: &nps,
		Comment: "Cepat sekali!", SubmittedAt: answeredAt.UTC()}
	if !reflect.DeepEqual(got, want) || len(store.created) != 1 || !reflect.DeepEqual(store.created[0], want) {
		t.Fatalf("survey\n got %+v\nwant %+v", got, want)
	}
	if got.SubmittedAt.Location() != time.UTC {
		t.Errorf("submitted at %v, want UTC", got.SubmittedAt)
	}
	if !reflect.DeepEqual(store.statuses[0], []string{"delivered"}) {
		t.Errorf("statuses %v, want an order to be delivered", store.statuses[0])
	}
	if !strings.Contains(emf.String(), `"CSATScore":4`) {
		t.Errorf("EMF line %q", emf.String())
	}

	store.err = ErrAlreadySubmitted
	emf.Reset()
	if _, err := svc.Submit(context.Background(), "budi", Input{SubjectType: "order", SubjectID: "TGP-10001", CSAT: num(5)}); err != ErrAlreadySubmitted || emf.Len() != 0 {
		t.Fatalf("refused by the store: %v, wrote %q", err, emf.String())
	}
}

// A poor answer is marked for service recovery when it is stored (and so escalates in the same write).
func TestSubmitMarksServiceRecovery(t *testing.T) {
	store := &keepStore{}
	svc := NewService(store, func() time.Time { return answeredAt }, nil)
	if got, err := svc.Submit(context.Background(), "budi", Input{SubjectType: "ticket", SubjectID: "TKT-1", CSAT: num(1)}); err != nil || !got.ServiceRecovery || !store.created[0].ServiceRecovery {
		t.Fatalf("CSAT 1: %+v %v", got, err)
	}
	if got, err := svc.Submit(context.Background(), "budi", Input{SubjectType: "return", SubjectID: "RTN-1", CSAT: num(5)}); err != nil || got.ServiceRecovery {
		t.Fatalf("CSAT 5: %+v %v", got, err)
	}
}

// Every problem with an answer is reported at once, by field: scores are whole numbers in their ranges
// (ends included), ids have their shape, the comment has a limit.
func TestSubmitValidation(t *testing.T) {
	good := func() Input {
		return Input{SubjectType: "order", SubjectID: "TGP-1", CSAT: num(3), CES: num(4), NPS: num(5), Comment: "ok"}
	}
	for _, c := range []struct {
		name string
		edit func(*Input)
		want string // "" accepted
	}{
		{"lowest scores", func(in *Input) { in.CSAT, in.CES, in.NPS = num(1), num(1), num(0) }, ""},
		{"highest scores", func(in *Input) { in.CSAT, in.CES, in.NPS = num(5), num(7), num(10) }, ""},
		{"comment at its limit", func(in *Input) { in.Comment = strings.Repeat("é", MaxCommentChars) }, ""},
		{"no optional scores", func(in *Input) { in.CES, in.NPS = nil, nil }, ""},
		{"CSAT 0", func(in *Input) { in.CSAT = num(0) }, "csat:csat_range"},
		{"CSAT 6", func(in *Input) { in.CSAT = num(6) }, "csat:csat_range"},
		{"CSAT 4.5", func(in *Input) { in.CSAT = num(4.5) }, "csat:csat_range"},
		{"no CSAT", func(in *Input) { in.CSAT = nil }, "csat:required"},
		{"CES 8", func(in *Input) { in.CES = num(8) }, "ces:ces_range"},
		{"CES 0", func(in *Input) { in.CES = num(0) }, "ces:ces_range"},
		{"NPS -1", func(in *Input) { in.NPS = num(-1) }, "nps:nps_range"},
		{"NPS 11", func(in *Input) { in.NPS = num(11) }, "nps:nps_range"},
		{"comment over its limit", func(in *Input) { in.Comment = strings.Repeat("é", MaxCommentChars+1) }, "comment:comment_length"},
		{"no subject type", func(in *Input) { in.SubjectType = "" }, "subjectType:required"},
		{"unknown subject type", func(in *Input) { in.SubjectType = "shop" }, "subjectType:oneof"},
		{"no subject id", func(in *Input) { in.SubjectID = "" }, "subjectId:required"},
		{"bad subject id", func(in *Input) { in.SubjectID = "../TGP-1" }, "subjectId:invalid"},
		{"everything wrong", func(in *Input) { *in = Input{CES: num(9)} }, "subjectType:required subjectId:required csat:required ces:ces_range"},
	} {
		in := good()
		c.edit(&in)
		store := &keepStore{}
		_, err := NewService(store, func() time.Time { return answeredAt }, nil).Submit(context.Background(), "budi", in)
		if c.want == "" {
			if err != nil || len(store.created) != 1 {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		fe, ok := failure.As(err)
		var got []string
		if ok {
			for _, f := range fe.Fields {
				got = append(got, f.Field+":"+f.Code)
			}
		}
		if strings.Join(got, " ") != c.want || len(store.created) != 0 {
			t.Errorf("%s: %v (%v), want %s and nothing stored", c.name, got, err, c.want)
		}
	}
}

// A customer sees only their own survey; a malformed subject is simply not found.
func TestGetMine(t *testing.T) {
	store := &keepStore{}
	svc := NewService(store, func() time.Time { return answeredAt }, nil)
	if _, err := svc.Submit(context.Background(), "budi", Input{SubjectType: "order", SubjectID: "TGP-1", CSAT: num(5)}); err != nil {
		t.Fatal(err)
	}
	if sv, err := svc.GetMine(context.Background(), "budi", SubjectOrder, "TGP-1"); err != nil || sv.CSAT != 5 {
		t.Fatalf("own: %+v %v", sv, err)
	}
	for _, c := range []struct {
		who string
		t   SubjectType
		id  string
	}{{"siti", SubjectOrder, "TGP-1"}, {"budi", "shop", "TGP-1"}, {"budi", SubjectOrder, "../x"}, {"budi", SubjectOrder, "TGP-2"}} {
		if _, err := svc.GetMine(context.Background(), c.who, c.t, c.id); !errors.Is(err, ErrNotFound) {
			t.Errorf("%+v: %v, want not found", c, err)
		}
	}
}
