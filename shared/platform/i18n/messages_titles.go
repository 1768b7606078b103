package i18n

// Problem titles, one per failure kind (RFC 9457 "title": the same for every occurrence of the kind).
func init() {
	add(map[string]Text{
		"title.invalid":         {ID: "Permintaan tidak valid", EN: "Invalid request"},
		"title.not_found":       {ID: "Tidak ditemukan", EN: "Not found"},
		"title.conflict":        {ID: "Tidak dapat diproses", EN: "Conflict"},
		"title.rejected":        {ID: "Permintaan ditolak", EN: "Request refused"},
		"title.forbidden":       {ID: "Akses ditolak", EN: "Forbidden"},
		"title.unauthenticated": {ID: "Belum masuk", EN: "Not signed in"},
		"title.unavailable":     {ID: "Layanan tidak tersedia", EN: "Service unavailable"},
		"title.internal":        {ID: "Kesalahan sistem", EN: "Internal error"},
		"title.too_large":       {ID: "Permintaan terlalu besar", EN: "Request too large"},
		"title.media_type":      {ID: "Tipe konten tidak didukung", EN: "Unsupported media type"},
		"title.method":          {ID: "Metode tidak didukung", EN: "Method not allowed"},
	})
}
