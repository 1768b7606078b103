package i18n

// Help-center messages and labels.
func init() {
	add(map[string]Text{
		"help_article_not_found":        {ID: "Artikel bantuan tidak ditemukan.", EN: "Help article not found."},
		"help_article_version_conflict": {ID: "Artikel ini baru saja diubah orang lain. Muat ulang, lalu simpan lagi.", EN: "Someone else changed this article just now. Reload it and save again."},

		"field.slug":                      {ID: "Harus 3–80 huruf kecil atau angka, dipisah tanda hubung (contoh: cara-retur).", EN: "Must be 3–80 lower-case letters or digits separated by hyphens (for example how-to-return)."},
		"field.plain_text":                {ID: "Harus berupa teks biasa, tanpa karakter kontrol atau tanda < dan >.", EN: "Must be plain text, without control characters or < and >."},
		"field.markdown_html":             {ID: "HTML tidak diizinkan. Gunakan format Markdown (judul, daftar, tebal, miring, tautan).", EN: "HTML is not allowed. Use Markdown (headings, lists, bold, italics, links)."},
		"field.markdown_link":             {ID: "Tautan hanya boleh ke alamat https, http, mailto, atau halaman toko (diawali /).", EN: "Links may only go to https, http or mailto addresses, or a page of the shop (starting with /)."},
		"field.markdown_control":          {ID: "Teks berisi karakter yang tidak valid.", EN: "The text contains invalid characters."},
		"field.content_language_required": {ID: "Isi artikel minimal dalam satu bahasa: id atau en.", EN: "Write the article in at least one language: id or en."},
	})
	addLabels("help_category", map[string]Text{
		"orders":     {ID: "Pesanan", EN: "Orders"},
		"shipping":   {ID: "Pengiriman", EN: "Shipping"},
		"payments":   {ID: "Pembayaran", EN: "Payments"},
		"returns":    {ID: "Pengembalian barang", EN: "Returns"},
		"refunds":    {ID: "Pengembalian dana", EN: "Refunds"},
		"complaints": {ID: "Keluhan", EN: "Complaints"},
		"account":    {ID: "Akun dan keamanan", EN: "Account and security"},
		"surveys":    {ID: "Survei", EN: "Surveys"},
	})
	addLabels("help_article_status", map[string]Text{
		"draft":     {ID: "Draf", EN: "Draft"},
		"published": {ID: "Terbit", EN: "Published"},
		"deleted":   {ID: "Dihapus", EN: "Deleted"},
	})
	addLabels("help_article_action", map[string]Text{
		"create":    {ID: "Dibuat", EN: "Created"},
		"update":    {ID: "Diubah", EN: "Updated"},
		"publish":   {ID: "Diterbitkan", EN: "Published"},
		"unpublish": {ID: "Ditarik", EN: "Unpublished"},
		"delete":    {ID: "Dihapus", EN: "Deleted"},
	})
	addLabels("help_feedback_context", map[string]Text{
		"search":         {ID: "Pencarian bantuan", EN: "Help search"},
		"complaint_form": {ID: "Formulir keluhan", EN: "Complaint form"},
	})
}
