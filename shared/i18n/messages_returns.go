package i18n

// Returns and refunds: failures, per-line refusal codes (as field messages), and the labels of the
// enumerated reasons, conditions, resolutions and reject reasons customers and ops pick from.
func init() {
	add(map[string]Text{
		"return_not_found":            {ID: "Pengembalian tidak ditemukan.", EN: "Return not found."},
		"return_not_allowed":          {ID: "Sebagian barang tidak dapat dikembalikan menurut kebijakan pengembalian toko.", EN: "Some items cannot be returned under the shop's return policy."},
		"return_quantity_unavailable": {ID: "Jumlah yang diminta sudah dikembalikan atau sedang diproses dalam pengembalian lain.", EN: "The requested quantity has already been returned or is held by another return."},
		"return_status_conflict":      {ID: "Status pengembalian tidak mengizinkan tindakan ini, atau baru saja diubah oleh permintaan lain. Muat ulang lalu coba lagi.", EN: "The return's status does not allow this, or another request just changed it. Reload and try again."},
		"return_not_cancellable":      {ID: "Pengembalian hanya dapat dibatalkan sebelum barang diterima toko.", EN: "A return can only be cancelled until the shop receives the items."},
		"return_write_contention":     {ID: "Data yang sama sedang diubah oleh permintaan lain. Silakan coba lagi.", EN: "Another request is changing the same data. Please try again."},

		// Per-line refusals, reported as field errors (lines[i].lineId / lines[i].quantity).
		"field.unknown_line":        {ID: "Barang ini tidak ada dalam pesanan atau pengembalian.", EN: "This line is not part of the order or return."},
		"field.final_sale":          {ID: "Barang ini dijual putus (final sale) dan tidak dapat dikembalikan.", EN: "This item was a final sale and cannot be returned."},
		"field.not_delivered":       {ID: "Pesanan belum diterima, jadi belum dapat dikembalikan.", EN: "The order has not been delivered yet, so it cannot be returned."},
		"field.return_period_ended": {ID: "Batas waktu pengembalian untuk barang ini sudah lewat.", EN: "The return period for this item has ended."},
		"field.exceeds_returnable":  {ID: "Melebihi jumlah yang masih dapat dikembalikan ({param}).", EN: "More than the quantity still returnable ({param})."},
		"field.all_lines_required":  {ID: "Kondisi setiap barang dalam pengembalian harus dicatat.", EN: "Every line of the return must have its condition recorded."},

		// Reasons customers give.
		"return_reason.defective":          {ID: "Barang rusak/cacat", EN: "Defective"},
		"return_reason.wrong_item":         {ID: "Barang yang dikirim salah", EN: "Wrong item sent"},
		"return_reason.damaged_in_transit": {ID: "Rusak saat pengiriman", EN: "Damaged in transit"},
		"return_reason.not_as_described":   {ID: "Tidak sesuai deskripsi", EN: "Not as described"},
		"return_reason.size_or_fit":        {ID: "Ukuran tidak pas", EN: "Size or fit"},
		"return_reason.changed_mind":       {ID: "Berubah pikiran", EN: "Changed my mind"},
		"return_reason.other":              {ID: "Alasan lain", EN: "Other"},

		// Item conditions.
		"return_condition.unopened":            {ID: "Belum dibuka", EN: "Unopened"},
		"return_condition.opened":              {ID: "Sudah dibuka", EN: "Opened"},
		"return_condition.defective":           {ID: "Cacat", EN: "Defective"},
		"return_condition.damaged_by_customer": {ID: "Rusak oleh pembeli", EN: "Damaged by customer"},

		// Resolutions.
		"return_resolution.refund":       {ID: "Pengembalian dana", EN: "Refund"},
		"return_resolution.exchange":     {ID: "Tukar barang", EN: "Exchange"},
		"return_resolution.store_credit": {ID: "Kredit toko", EN: "Store credit"},

		// Why ops refused a return.
		"return_reject.final_sale":          {ID: "Barang final sale", EN: "Final sale item"},
		"return_reject.return_period_ended": {ID: "Batas waktu pengembalian sudah lewat", EN: "Return period ended"},
		"return_reject.condition":           {ID: "Kondisi barang tidak memenuhi syarat", EN: "Item condition not acceptable"},
		"return_reject.other":               {ID: "Alasan lain", EN: "Other reason"},
	})
}
