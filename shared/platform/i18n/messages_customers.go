package i18n

// Ops workspace: customer history and saved replies (macros).
func init() {
	add(map[string]Text{
		"customer_not_found": {ID: "Pelanggan tidak ditemukan.", EN: "Customer not found."},
		"macro_not_found":    {ID: "Balasan tersimpan tidak ditemukan.", EN: "Saved reply not found."},
		"macro_changed":      {ID: "Balasan tersimpan baru saja diubah orang lain. Muat ulang lalu coba lagi.", EN: "The saved reply was just changed by someone else. Reload it and try again."},
		"macro_data_missing": {ID: "Balasan tersimpan ini memakai “{placeholder}”, tetapi tiket ini tidak memiliki datanya. Tulis balasan sendiri atau pilih balasan lain.", EN: "This saved reply uses “{placeholder}”, which this ticket has no data for. Write the reply yourself or pick another saved reply."},

		"field.macro_placeholder_unknown":  {ID: "Penanda “{param}” tidak dikenal. Yang tersedia: customer.firstName, customer.name, ticket.id, ticket.subject, order.id, return.id, return.refund.", EN: "Unknown placeholder “{param}”. Available: customer.firstName, customer.name, ticket.id, ticket.subject, order.id, return.id, return.refund."},
		"field.macro_placeholder_unclosed": {ID: "Ada “{{” tanpa “}}” penutupnya.", EN: "A “{{” has no closing “}}”."},
		"field.email_exact":                {ID: "Masukkan alamat email lengkap; pencarian hanya mencocokkan email yang sama persis.", EN: "Enter a full email address; the search only matches the exact address."},
	})
	addLabels("history_kind", map[string]Text{
		"order":  {ID: "Pesanan", EN: "Order"},
		"return": {ID: "Pengembalian barang", EN: "Return"},
		"ticket": {ID: "Keluhan", EN: "Complaint"},
		"survey": {ID: "Survei", EN: "Survey"},
	})
}
