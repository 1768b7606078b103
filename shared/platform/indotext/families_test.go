package indotext

import "testing"

// Real word families from help-center articles and what customers type: every form must stem to its
// root, so a search for one form finds articles written with another. Each prefix and suffix issue 12
// names is covered: me-/mem-/men-/meng-/meny-, ber-, di-, ter-, pe-/pen-/peng-, ke-; -kan, -an, -i,
// -nya, -lah/-kah; and reduplication.
func TestWordFamilies(t *testing.T) {
	a := Default()
	families := map[string][]string{
		"kembali": {"kembali", "kembalikan", "dikembalikan", "mengembalikan", "pengembalian", "pengembaliannya", "kembalinya", "dikembalikannya", "kembalilah"},
		"kirim":   {"kirim", "mengirim", "mengirimkan", "dikirim", "dikirimkan", "terkirim", "pengiriman", "kiriman", "pengirimannya", "kirimkah"},
		"bayar":   {"bayar", "membayar", "dibayar", "terbayar", "pembayaran", "bayaran", "bayarlah", "pembayarannya"},
		"tukar":   {"tukar", "menukar", "menukarkan", "ditukar", "tertukar", "penukaran", "tukarkan"},
		"lacak":   {"lacak", "melacak", "dilacak", "pelacakan", "terlacak"},
		"periksa": {"periksa", "memeriksa", "diperiksa", "pemeriksaan", "periksakan"},
		"ganti":   {"ganti", "mengganti", "diganti", "penggantian", "gantikan", "pengganti"},
		"terima":  {"terima", "menerima", "diterima", "penerimaan", "diterimanya"},
		"aman":    {"aman", "keamanan", "mengamankan", "pengamanan", "diamankan"},
		"tanggap": {"tanggap", "menanggapi", "ditanggapi", "tanggapan"},
		"sampai":  {"sampai", "menyampaikan", "disampaikan", "penyampaian"},
		"sandi":   {"sandi", "sandinya"},
		"hasil":   {"hasil", "berhasil", "keberhasilan"},
		"lambat":  {"lambat", "terlambat", "keterlambatan", "melambat"},
		"batal":   {"batal", "membatalkan", "dibatalkan", "pembatalan", "batalkan"},
		"proses":  {"proses", "memproses", "diproses", "pemrosesan"},
		"tagih":   {"tagih", "menagih", "ditagih", "penagihan"},
		"tolak":   {"tolak", "menolak", "ditolak", "penolakan"},
		"pakai":   {"pakai", "memakai", "dipakai", "pemakaian"},
		"cek":     {"cek", "mengecek", "dicek", "pengecekan"},
		"tunggu":  {"tunggu", "menunggu", "ditunggu"},
		"aju":     {"mengajukan", "diajukan", "pengajuan", "ajukan"},
		"keluh":   {"keluhan", "mengeluh", "keluhkan"},
		"barang":  {"barang", "barang-barang", "barang2", "barangnya"},
	}
	for root, forms := range families {
		for _, f := range forms {
			toks := a.Analyze(f)
			if len(toks) != 1 || toks[0].Stem != root {
				t.Errorf("%s: stems to %q, want %q", f, stems(toks), root)
			}
		}
	}
	// Look-alikes that are not in the family stay apart.
	for word, not := range map[string]string{"kemas": "mas", "dinding": "nding", "pesan": "san", "perut": "rut", "keras": "ras"} {
		if got := a.Stem(word); got == not {
			t.Errorf("%s stemmed to %q", word, got)
		}
	}
}
