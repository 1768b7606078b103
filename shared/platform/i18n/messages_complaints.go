package i18n

func init() {
	add(map[string]Text{
		"ticket_not_found":          {ID: "Keluhan tidak ditemukan.", EN: "Complaint not found."},
		"ticket_changed":            {ID: "Keluhan ini baru saja diperbarui. Muat ulang halaman, lalu coba lagi.", EN: "This complaint was just updated. Reload the page and try again."},
		"ticket_closed":             {ID: "Keluhan ini sudah ditutup. Silakan ajukan keluhan baru.", EN: "This complaint is closed. Please file a new complaint."},
		"ticket_too_many_changes":   {ID: "Keluhan ini sudah mencapai batas jumlah pesan. Silakan ajukan keluhan baru.", EN: "This complaint has reached its message limit. Please file a new complaint."},
		"ticket_invalid_transition": {ID: "Tindakan ini tidak dapat dilakukan pada keluhan berstatus “{status}”.", EN: "This action is not possible on a complaint with status “{status}”."},
	})
}
