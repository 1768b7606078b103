package indotext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func texts(ts []Token) string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Text)
	}
	return strings.Join(out, " ")
}

func stems(ts []Token) string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Stem)
	}
	return strings.Join(out, " ")
}

func TestNormalize(t *testing.T) {
	a := Default()
	cases := []struct{ in, want string }{
		{"Paket BELUM Sampai", "paket belum sampai"},
		// emphasis: runs of 3+ letters become the form a dictionary knows, keeping real double letters
		{"tolooong", "tolong"},
		{"maaaaaf", "maaf"},
		{"saaaat", "saat"},
		{"pleeeease", "please"},
		{"ditipuuuu", "ditipu"},
		{"maaf", "maaf"},       // a legitimate double letter is untouched
		{"1000000", "1000000"}, // digits are not emphasis
		{"zzzzzz", "z"},        // unknown: one letter per run
		// reduplication, with a 2 or a hyphen, written out once (Normalize shows both halves)
		{"barang2", "barang barang"},
		{"barang-barang", "barang barang"},
		{"hati2nya", "hati hati"},
		{"dipukul-pukul", "dipukul dipukul"},
		{"sayur-mayur", "sayur mayur"},
		{"ps2 mp4 2x", "ps2 mp4 dua kali"}, // not reduplication: too short a base
		// slang and abbreviations
		{"gak ga nggak engga tdk", "tidak tidak tidak tidak tidak"},
		{"sdh udh udah", "sudah sudah sudah"},
		{"yg blm krn dgn tp", "yang belum karena dengan tapi"},
		{"gaaak", "tidak"},
		{"ongkir", "ongkos kirim"},
		{"HP-nya", "hp"},
		{"hape", "hp"},
		// split prefixes join; prepositions before places stay apart
		{"akun di hack", "akun dihack"},
		{"saya di tipu", "saya ditipu"},
		{"ter bakar", "terbakar"},
		{"ke tipu", "ketipu"},
		{"di rumah", "di rumah"},
		{"di jalan", "di jalan"},
		{"ke toko", "ke toko"},
		{"di Jakarta", "di jakarta"}, // not a root: stays a preposition
		{"di. hack", "di hack"},      // punctuation between: not a split prefix
		{"di-hack ter-logout e-wallet", "dihack terlogout ewallet"},
		// Unicode: fullwidth, accents, curly apostrophes
		{"Ｐｅｎｉｐｕａｎ", "penipuan"},
		{"café", "cafe"},
		{"cafe\u0301 ÇA", "cafe ca"},
		{"𝗣𝗘𝗡𝗜𝗣𝗨𝗔𝗡 𝘣𝘰𝘣𝘰𝘭", "penipuan bobol"},
		{"barang² ４⁵", "barang barang 45"},
		{"ﬁlter straße", "filter strasse"},
		{"don’t", "do not"},
		{"", ""},
		{"!!! ... ???", ""},
	}
	for _, c := range cases {
		if got := a.Normalize(c.in); got != c.want {
			t.Errorf("Normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Word families customers and help articles use: every form must reach the same root.
func TestStemFamilies(t *testing.T) {
	a := Default()
	families := map[string][]string{
		"tipu":    {"tipu", "ditipu", "menipu", "penipu", "penipuan", "tertipu", "ketipu", "nipu", "tipuan"},
		"kembali": {"kembali", "kembalikan", "dikembalikan", "mengembalikan", "pengembalian", "pengembaliannya"},
		"kirim":   {"kirim", "dikirim", "mengirim", "pengiriman", "kiriman", "terkirim", "kirimkan", "ngirim"},
		"bayar":   {"bayar", "dibayar", "membayar", "pembayaran", "bayarlah", "terbayar"},
		"luka":    {"luka", "terluka", "melukai", "lukanya"},
		"bakar":   {"bakar", "terbakar", "kebakaran", "membakar"},
		"ledak":   {"ledak", "meledak", "ledakan"},
		"setrum":  {"setrum", "kesetrum", "tersetrum", "menyetrum"},
		"bobol":   {"bobol", "dibobol", "kebobolan"},
		"retas":   {"retas", "diretas", "peretas", "peretasan", "meretas"},
		"lapor":   {"lapor", "melapor", "melaporkan", "laporkan", "pelaporan", "laporan", "dilaporkan"},
		"tuntut":  {"tuntut", "menuntut", "tuntutan", "dituntut"},
		"gugat":   {"gugat", "menggugat", "gugatan", "digugat"},
		"rusak":   {"rusak", "kerusakan", "merusak", "dirusak"},
		"potong":  {"potong", "dipotong", "terpotong", "pemotongan", "potongan"},
		"baik":    {"baik", "perbaikan", "memperbaiki", "diperbaiki"},
		"selesai": {"selesai", "menyelesaikan", "penyelesaian", "diselesaikan"},
		"cek":     {"cek", "mengecek", "pengecekan", "dicek", "ngecek"},
		"curi":    {"curi", "dicuri", "pencurian", "mencuri", "nyuri"},
		"hack":    {"hack", "dihack", "ngehack"},
		"ambil":   {"ambil", "mengambil", "diambil", "ngambil", "pengambilan"},
		"ajar":    {"ajar", "belajar", "pelajaran"},
		"kerja":   {"kerja", "bekerja", "pekerjaan"},
		"darah":   {"darah", "berdarah"},
		"balik":   {"balik", "dibalikin", "balikin"},
	}
	for root, forms := range families {
		for _, f := range forms {
			if got := a.Stem(f); got != root {
				t.Errorf("Stem(%q) = %q, want %q", f, got, root)
			}
		}
	}
}

// The stemmer must not invent roots: words that merely look affixed stay whole.
func TestStemLeavesRootsAndUnknownWords(t *testing.T) {
	a := Default()
	for _, w := range []string{"dinding", "kemas", "sedang", "beli", "pesan", "makan", "jalan", "ikan", "bukan",
		"teman", "kecewa", "dingin", "perlu", "selamat", "mainan", "pengacara", "meja", "kemarin", "tokopedia",
		"shopee", "indomaret", "menu", "bengkak"} {
		if got := a.Stem(w); got != w {
			t.Errorf("Stem(%q) = %q, want it unchanged", w, got)
		}
	}
	// an unknown word only loses a trailing particle or possessive
	if got := a.Stem("tokopedianya"); got != "tokopedia" {
		t.Errorf("Stem(tokopedianya) = %q", got)
	}
}

func TestExtraRoots(t *testing.T) {
	a := New("tabung")
	if got := a.Stem("ditabung"); got != "tabung" {
		t.Fatalf("an extra root must be reachable: %q", got)
	}
	if got := Default().Stem("ditabung"); got != "ditabung" {
		t.Fatalf("the default analyser must not share extra roots: %q", got)
	}
}

func TestEnglishStem(t *testing.T) {
	cases := map[string]string{"charged": "charg", "charges": "charg", "charge": "charg", "charging": "charg",
		"stopped": "stop", "called": "call", "injuries": "injuri", "injury": "injuri", "scams": "scam",
		"hacked": "hack", "hacking": "hack", "bus": "bus", "is": "is"}
	for in, want := range cases {
		if got := EnglishStem(in); got != want {
			t.Errorf("EnglishStem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSpansPointAtTheOriginalText(t *testing.T) {
	text := "Halo, akun saya DI HACK!! Tolooong, barang2 hilang."
	ts := Default().Analyze(text)
	want := map[string]string{"dihack": "DI HACK", "tolong": "Tolooong", "barang": "barang2", "halo": "Halo"}
	for _, tk := range ts {
		if w, ok := want[tk.Text]; ok {
			if got := text[tk.Start:tk.End]; got != w {
				t.Errorf("%s spans %q, want %q", tk.Text, got, w)
			}
			delete(want, tk.Text)
		}
	}
	if len(want) != 0 {
		t.Errorf("tokens missing: %v in %q", want, texts(ts))
	}
}

func TestTermsDropStopWordsButKeepNegation(t *testing.T) {
	got := strings.Join(Default().Terms("Bagaimana cara mengembalikan barang yang tidak sesuai?"), " ")
	if got != "cara kembali barang tidak sesuai" {
		t.Fatalf("Terms = %q", got)
	}
	if got := stems(Default().Analyze("refund belum masuk")); got != "refund belum masuk" {
		t.Fatalf("stems = %q", got)
	}
}

// FuzzAnalyze: customer text is untrusted input. Analysis must not panic, spans must lie inside the
// text in order, and every normalised word must be a fixed point (normalising it again changes nothing).
func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{"Tolooong barang2 saya gak sampe", "akun di hack!!", "Ｐｅｎｉｐｕａｎ café", "x\xffy-2-",
		"di-di di", "a''b--c", "ﬁ½²", "mengembalikan-kembalikan", "2222", "di", "ter", "\u0301a"} {
		f.Add(s)
	}
	a := Default()
	f.Fuzz(func(t *testing.T, s string) {
		ts := a.Analyze(s)
		prevStart := 0
		for _, tk := range ts {
			if tk.Start < prevStart || tk.Start >= tk.End || tk.End > len(s) {
				t.Fatalf("bad span %d..%d (prev %d) in %d bytes", tk.Start, tk.End, prevStart, len(s))
			}
			prevStart = tk.Start
			if tk.Text == "" || tk.Stem == "" || !utf8.ValidString(tk.Text) || strings.ContainsAny(tk.Text, " -") {
				t.Fatalf("bad token %+v", tk)
			}
			if again := a.Normalize(tk.Text); again != tk.Text {
				t.Fatalf("%q: word %q normalises again to %q", s, tk.Text, again)
			}
		}
	})
}
