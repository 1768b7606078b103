package i18n

// Returns and refunds: failures and per-line refusal codes (as field messages). The labels of reasons,
// conditions, resolutions and reject reasons are in messages_labels.go. One term per concept: a return is
// "pengembalian barang", a refund "pengembalian dana".
func init() {
	add(map[string]Text{
		"return_not_found":            {ID: "Pengajuan pengembalian barang tidak ditemukan.", EN: "Return not found."},
		"return_not_allowed":          {ID: "Ada barang yang tidak dapat dikembalikan sesuai kebijakan pengembalian barang toko. Lihat keterangan pada setiap barang.", EN: "One or more items can't be returned under the shop's return policy. See the note on each item."},
		"return_quantity_unavailable": {ID: "Jumlah yang diminta sudah dikembalikan atau sedang diproses dalam pengembalian barang lain.", EN: "The requested quantity has already been returned or is held by another return."},
		"return_status_conflict":      {ID: "Status pengembalian barang ini tidak memungkinkan tindakan tersebut, atau baru saja diperbarui. Muat ulang halaman, lalu coba lagi.", EN: "The return's status does not allow this, or it was just updated. Reload the page and try again."},
		"return_not_cancellable":      {ID: "Pengembalian barang hanya dapat dibatalkan sebelum barang diterima toko.", EN: "A return can only be cancelled before the shop receives the items."},
		"return_write_contention":     {ID: "Data ini sedang diperbarui. Silakan coba lagi dalam beberapa saat.", EN: "This data is being updated. Please try again in a moment."},

		// Per-line refusals, reported as field errors (lines[i].lineId / lines[i].quantity).
		"field.unknown_line":        {ID: "Barang ini tidak ada dalam pesanan atau pengembalian barang.", EN: "This item is not part of the order or return."},
		"field.final_sale":          {ID: "Barang ini dibeli dengan ketentuan final sale (tidak dapat dikembalikan).", EN: "This item was bought as final sale and cannot be returned."},
		"field.not_delivered":       {ID: "Pesanan belum diterima, sehingga belum dapat dikembalikan. Jika paket belum juga tiba, Anda dapat mengajukan keluhan.", EN: "The order has not been delivered yet, so it can't be returned yet. If the parcel still hasn't arrived, you can file a complaint."},
		"field.return_period_ended": {ID: "Batas waktu pengembalian barang ini sudah lewat. Jika barang bermasalah, Anda tetap dapat mengajukan keluhan.", EN: "The return period for this item has ended. If the item is faulty, you can still file a complaint."},
		"field.exceeds_returnable":  {ID: "Melebihi jumlah yang masih dapat dikembalikan (maksimal {param}).", EN: "Exceeds the quantity you can still return ({param})."},
		"field.all_lines_required":  {ID: "Kondisi setiap barang dalam pengembalian barang harus dicatat.", EN: "Every item of the return must have its condition recorded."},

		// Where a refund is transferred (required for cash-on-delivery orders).
		"field.destination_required_for_cod": {ID: "Pesanan ini dibayar di tempat (COD). Isi rekening bank atau dompet digital untuk pengembalian dana, atau pilih Saldo toko.", EN: "This order was paid cash on delivery. Give a bank account or e-wallet for the refund, or choose store credit."},
		"field.destination_refund_only":      {ID: "Rekening tujuan hanya diisi untuk pengembalian dana.", EN: "A refund account is only needed for a refund."},
		"field.account_number":               {ID: "Nomor rekening harus berupa 6–20 angka.", EN: "The account number must be 6–20 digits."},
		"field.holder_name":                  {ID: "Nama pemilik rekening hanya boleh berisi huruf, spasi, titik, koma, tanda petik, dan tanda hubung.", EN: "The account holder's name may contain only letters, spaces, periods, commas, apostrophes and hyphens."},
		"field.ewallet_number":               {ID: "Nomor dompet digital harus nomor ponsel Indonesia, misalnya 081234567890.", EN: "The e-wallet number must be an Indonesian mobile number, e.g. 081234567890."},
		"field.not_for_bank_account":         {ID: "Penyedia dan nomor dompet digital tidak diisi untuk rekening bank.", EN: "An e-wallet provider and number do not belong with a bank account."},
		"field.not_for_ewallet":              {ID: "Bank, nomor rekening, dan nama pemilik tidak diisi untuk dompet digital.", EN: "A bank, account number and holder name do not belong with an e-wallet."},
	})
}
