package helpcenter

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/tanggap/tanggap/shared/helpcenter/helpsearch"
	"github.com/tanggap/tanggap/shared/platform/failure"
	"github.com/tanggap/tanggap/shared/platform/idempotency"
)

// Failures.
var (
	ErrNotFound        = failure.NotFound("help_article_not_found")
	ErrVersionConflict = failure.Conflict("help_article_version_conflict")
)

// Store keeps articles, their history and feedback.
type Store interface {
	// Get returns the article (deleted ones too), or ErrNotFound.
	Get(ctx context.Context, slug string) (Article, error)
	// List returns every article that is not deleted, in slug order, read consistently.
	List(ctx context.Context) ([]Article, error)
	// Versions returns the article's history, oldest first.
	Versions(ctx context.Context, slug string) ([]Version, error)
	// Save writes next with its history entry in one transaction, provided the stored article is still
	// at prevVersion (0: does not exist, or is deleted). republished says the published content
	// changed, which marks the search index stale in the same transaction. A lost race is
	// ErrVersionConflict.
	Save(ctx context.Context, next Article, prevVersion int, entry Version, republished bool) error
	// Vote returns the voter's recorded vote on slug, if any.
	Vote(ctx context.Context, slug, voter string) (*Feedback, error)
	// RecordVote stores a first vote with its counters, provided the article is published; a vote that
	// appeared meanwhile is a lost race (idempotency.Stale inside a plan).
	RecordVote(ctx context.Context, f Feedback) error
	// CountView adds one to the article views of at's day.
	CountView(ctx context.Context, at time.Time) error
}

// IndexStore keeps the encoded search index.
type IndexStore interface {
	// Head returns what the stored index is at; the zero head when none was built.
	IndexHead(ctx context.Context) (IndexHead, error)
	// Load returns the encoded index head describes.
	LoadIndex(ctx context.Context, head IndexHead) ([]byte, error)
	// SaveIndex stores blob as the index of head.ContentSeq, unless one as new is stored already. head is
	// what the caller read before listing the articles the index holds.
	SaveIndex(ctx context.Context, head IndexHead, blob []byte) error
}

// IndexHead describes the stored index: Seq is the content sequence it was built from; ContentSeq is
// the sequence of the latest change to published content (Seq < ContentSeq while a rebuild is due).
type IndexHead struct {
	Seq              int64
	Build            string // names the chunks of this build of Seq
	Chunks           int
	ContentSeq       int64
	ContentChangedAt time.Time
	// PrevSeq and PrevChunks name the index Seq replaced, kept for searchers still loading it.
	PrevSeq    int64
	PrevBuild  string
	PrevChunks int
}

// Service runs the help center.
type Service struct {
	store  Store
	index  IndexStore
	now    func() time.Time
	search *searcher
}

// NewService returns the help center over store and index.
func NewService(store Store, index IndexStore, now func() time.Time) *Service {
	s := &Service{store: store, index: index, now: now}
	s.search = &searcher{store: index, now: now, refreshEvery: 30 * time.Second, rebuild: s.RebuildIndex}
	return s
}

// Upsert creates the article or replaces its draft. expectedVersion, when given, must be the stored
// version (optimistic locking between editors). A deleted slug is created anew, its history continuing.
// Nothing changes (and no version is written) when the draft is the same as stored.
func (s *Service) Upsert(ctx context.Context, by, slug string, draft Draft, expectedVersion *int) (Article, bool, error) {
	if !ValidSlug(slug) {
		return Article{}, false, failure.Invalid(failure.FieldError{Field: "slug", Code: "slug"})
	}
	clean, err := draft.Validate()
	if err != nil {
		return Article{}, false, err
	}
	cur, err := s.store.Get(ctx, slug)
	exists := err == nil && cur.Status != StatusDeleted
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Article{}, false, err
	}
	if expectedVersion != nil && (!exists || *expectedVersion != cur.Version) {
		return Article{}, false, ErrVersionConflict
	}
	now := s.now().UTC()
	if exists && cur.Draft.Equal(clean) {
		return cur, false, nil
	}
	next := Article{Slug: slug, Draft: clean, Status: StatusDraft, Version: cur.Version + 1, CreatedAt: now, UpdatedAt: now, UpdatedBy: by}
	action := ActionCreate
	prev := 0
	if exists {
		next.Status, next.Published, next.CreatedAt, action, prev = cur.Status, cur.Published, cur.CreatedAt, ActionUpdate, cur.Version
	} else if err == nil {
		prev = cur.Version // a deleted article: its history continues
	}
	if err := s.store.Save(ctx, next, prev, s.entry(next, action, by, now), false); err != nil {
		return Article{}, false, err
	}
	return next, !exists, nil
}

func (s *Service) entry(a Article, action Action, by string, at time.Time) Version {
	return Version{Slug: a.Slug, Version: a.Version, Action: action, Status: a.Status, By: by, At: at, Draft: a.Draft}
}

// Publish makes the current draft what customers read. Publishing what is already published changes
// nothing.
func (s *Service) Publish(ctx context.Context, by, slug string) (Article, error) {
	cur, err := s.live(ctx, slug)
	if err != nil {
		return Article{}, err
	}
	if cur.Status == StatusPublished && cur.Published != nil && cur.Published.Draft.Equal(cur.Draft) {
		return cur, nil
	}
	now := s.now().UTC()
	next := cur
	next.Version, next.Status, next.UpdatedAt, next.UpdatedBy = cur.Version+1, StatusPublished, now, by
	next.Published = &Snapshot{Draft: cur.Draft, Version: next.Version, At: now, By: by}
	return s.commit(ctx, cur, next, ActionPublish, by, now, true)
}

// Unpublish takes the article away from customers; its draft stays for ops. Unpublishing a draft changes
// nothing.
func (s *Service) Unpublish(ctx context.Context, by, slug string) (Article, error) {
	cur, err := s.live(ctx, slug)
	if err != nil {
		return Article{}, err
	}
	if cur.Status != StatusPublished {
		return cur, nil
	}
	now := s.now().UTC()
	next := cur
	next.Version, next.Status, next.Published, next.UpdatedAt, next.UpdatedBy = cur.Version+1, StatusDraft, nil, now, by
	return s.commit(ctx, cur, next, ActionUnpublish, by, now, true)
}

// Delete removes the article for customers and ops lists; its version history stays.
func (s *Service) Delete(ctx context.Context, by, slug string) (Article, error) {
	cur, err := s.live(ctx, slug)
	if err != nil {
		return Article{}, err
	}
	now := s.now().UTC()
	next := cur
	next.Version, next.Status, next.Published, next.UpdatedAt, next.UpdatedBy = cur.Version+1, StatusDeleted, nil, now, by
	return s.commit(ctx, cur, next, ActionDelete, by, now, cur.Status == StatusPublished)
}

func (s *Service) commit(ctx context.Context, cur, next Article, action Action, by string, now time.Time, republished bool) (Article, error) {
	if err := s.store.Save(ctx, next, cur.Version, s.entry(next, action, by, now), republished); err != nil {
		return Article{}, err
	}
	if republished {
		// Once the change has committed (at once outside an idempotent request): the index follows.
		bg := context.WithoutCancel(ctx)
		idempotency.PlanFrom(ctx).AfterCommit(func() {
			rctx, cancel := context.WithTimeout(bg, 10*time.Second)
			defer cancel()
			if err := s.RebuildIndex(rctx); err != nil {
				slog.ErrorContext(rctx, "rebuilding the help search index failed; the next change or a search after a minute retries", slog.Any("err", err))
			}
		})
	}
	return next, nil
}

// live returns an article that is not deleted.
func (s *Service) live(ctx context.Context, slug string) (Article, error) {
	if !ValidSlug(slug) {
		return Article{}, ErrNotFound
	}
	a, err := s.store.Get(ctx, slug)
	if err != nil {
		return Article{}, err
	}
	if a.Status == StatusDeleted {
		return Article{}, ErrNotFound
	}
	return a, nil
}

// Get returns an article for ops (drafts included).
func (s *Service) Get(ctx context.Context, slug string) (Article, error) { return s.live(ctx, slug) }

// List returns every article for ops.
func (s *Service) List(ctx context.Context) ([]Article, error) { return s.store.List(ctx) }

// Versions returns an article's history for ops (deleted articles' too).
func (s *Service) Versions(ctx context.Context, slug string) ([]Version, error) {
	if !ValidSlug(slug) {
		return nil, ErrNotFound
	}
	vs, err := s.store.Versions(ctx, slug)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, ErrNotFound
	}
	return vs, nil
}

// Published returns the published snapshot of an article, as customers read it.
func (s *Service) Published(ctx context.Context, slug string) (Snapshot, error) {
	a, err := s.live(ctx, slug)
	if err != nil {
		return Snapshot{}, err
	}
	if a.Status != StatusPublished || a.Published == nil {
		return Snapshot{}, ErrNotFound
	}
	return *a.Published, nil
}

// CountView counts one read of a published article; a failure is logged, never returned, since the
// reader already has the article.
func (s *Service) CountView(ctx context.Context) {
	if err := s.store.CountView(ctx, s.now()); err != nil {
		slog.WarnContext(ctx, "counting an article view failed", slog.Any("err", err))
	}
}

// RebuildIndex builds the search index from the published articles and stores it. The content sequence
// is read first, so the index stored under it holds at least every change up to it.
func (s *Service) RebuildIndex(ctx context.Context) error {
	head, err := s.index.IndexHead(ctx)
	if err != nil {
		return err
	}
	arts, err := s.store.List(ctx)
	if err != nil {
		return err
	}
	var docs []helpsearch.Article
	for _, a := range arts {
		if a.Status == StatusPublished && a.Published != nil {
			docs = append(docs, a.Published.searchable(a.Slug))
		}
	}
	blob, err := helpsearch.Build(docs)
	if err != nil {
		return err
	}
	return s.index.SaveIndex(ctx, head, blob)
}
