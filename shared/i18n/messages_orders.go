package i18n

func init() {
	add(map[string]Text{
		"order_not_found":       {ID: "Pesanan tidak ditemukan.", EN: "Order not found."},
		"order_lines_immutable": {ID: "Barang dalam pesanan tidak dapat diubah setelah pesanan dibuat.", EN: "An order's lines cannot change once the order exists."},
		"order_owner_immutable": {ID: "Pemilik pesanan tidak dapat diubah.", EN: "An order's customer cannot change."},
		"order_update_stale":    {ID: "Pembaruan ini lebih lama daripada data pesanan yang tersimpan.", EN: "This update is older than the stored order."},
	})
}
