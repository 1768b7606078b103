package helpsearch

import (
	"reflect"
	"testing"
)

func twoArticles(t *testing.T) *Index {
	t.Helper()
	blob, err := Build([]Article{
		{Slug: "cara-retur", Category: "returns", Texts: map[string]Text{
			"id": {Title: "Cara mengembalikan barang", Body: "Ajukan pengembalian dari halaman pesanan dalam tujuh hari."}}},
		{Slug: "lacak-paket", Category: "shipping", Texts: map[string]Text{
			"id": {Title: "Melacak paket", Body: "Nomor resi ada di halaman pesanan setelah paket dikirim kurir."}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Decode(blob)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// A hit names its article's category, as the index was built with it.
func TestHitsCarryTheirCategory(t *testing.T) {
	ix := twoArticles(t)
	for q, want := range map[string]string{"mengembalikan barang": "returns", "resi kurir": "shipping"} {
		hits := ix.Search(q, "id", 5)
		if len(hits) == 0 || hits[0].Category != want {
			t.Errorf("%q: %+v, want first a %s article", q, hits, want)
		}
	}
}

// Saying a word twice is saying it once: the hits and their scores are the same.
func TestRepeatedQueryWordsCountOnce(t *testing.T) {
	ix := twoArticles(t)
	once, twice := ix.Search("paket", "id", 5), ix.Search("paket paket", "id", 5)
	if len(once) == 0 || !reflect.DeepEqual(once, twice) {
		t.Fatalf("once %+v\ntwice %+v", once, twice)
	}
}

// One mistyped letter (a substitution) in a word of MinTypoRunes or more still finds the article.
func TestASubstitutedLetterStillFinds(t *testing.T) {
	ix := twoArticles(t)
	if hits := ix.Search("pesamnan", "id", 5); len(hits) == 0 {
		t.Errorf("a letter too many: nothing found")
	}
	if hits := ix.Search("kurur", "id", 5); len(hits) == 0 || hits[0].Slug != "lacak-paket" {
		t.Errorf("kurur (kurir with one letter changed): %+v", hits)
	}
}
