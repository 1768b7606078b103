package ticket

import (
	"bytes"
	"context"
	"strconv"
	"testing"
	"time"
)

// createOnlyStore accepts new tickets; the other Store methods are not used by Create.
type createOnlyStore struct {
	Store
	created []Change
}

func (s *createOnlyStore) Create(_ context.Context, c Change) error {
	s.created = append(s.created, c)
	return nil
}

func (s *createOnlyStore) CountByCustomer(context.Context, string, time.Time, time.Time) (int, error) {
	return 0, nil
}

func TestCreateWritesTicketsCreatedByPriority(t *testing.T) {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	store := &createOnlyStore{}
	svc := NewService(store, nil, DefaultRules(), DefaultSLA(), func() time.Time { return at })
	svc.Metrics = &buf

	d, err := svc.Create(context.Background(), "budi", NewComplaint{Channel: ChannelWeb, Category: CategoryOther,
		Subject: "Pertanyaan", Description: "Kapan toko buka?", StatedUrgency: PriorityHigh})
	if err != nil {
		t.Fatal(err)
	}
	p := string(d.Ticket.Priority)
	want := `{"_aws":{"Timestamp":` + strconv.FormatInt(at.UnixMilli(), 10) + `,"CloudWatchMetrics":[{"Namespace":"Tanggap",` +
		`"Dimensions":[["Service","Priority"]],"Metrics":[{"Name":"TicketsCreated","Unit":"Count"}]}]},` +
		`"Service":"complaints","Priority":"` + p + `","TicketsCreated":1}` + "\n"
	if buf.String() != want {
		t.Fatalf("got  %s\nwant %s", buf.String(), want)
	}
	if p != "high" || len(store.created) != 1 {
		t.Fatalf("priority %s, %d tickets stored", p, len(store.created))
	}

	// A refused complaint counts nothing.
	buf.Reset()
	if _, err := svc.Create(context.Background(), "budi", NewComplaint{Channel: ChannelWeb, Category: "nonsense", Subject: "x", Description: "y"}); err == nil {
		t.Fatal("invalid category accepted")
	}
	if buf.Len() != 0 {
		t.Fatalf("refused complaint wrote %s", buf.String())
	}
}
