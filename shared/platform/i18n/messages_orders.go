package i18n

func init() {
	add(map[string]Text{
		"order_not_found":           {ID: "Pesanan tidak ditemukan. Periksa kembali nomor pesanan dan email yang Anda gunakan saat berbelanja.", EN: "Order not found. Check the order number and the email address you used when ordering."},
		"order_lines_immutable":     {ID: "Barang dalam pesanan tidak dapat diubah setelah pesanan dibuat.", EN: "An order's lines cannot change once the order exists."},
		"field.whole_currency_unit": {ID: "Harus dalam satuan mata uang penuh: kelipatan {param} satuan terkecil (untuk IDR, rupiah penuh tanpa sen).", EN: "Must be whole currency units: a multiple of {param} minor units (for IDR, whole rupiah without sen)."},
		"order_owner_immutable":     {ID: "Pemilik pesanan tidak dapat diubah.", EN: "An order's customer cannot change."},
		"order_update_stale":        {ID: "Pembaruan ini sudah usang: data pesanan yang tersimpan lebih baru.", EN: "This update is out of date: the stored order is newer."},
	})
}
