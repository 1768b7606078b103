package i18n

// Survey and ops metrics messages.
func init() {
	add(map[string]Text{
		"survey_not_found":            {ID: "Survei tidak ditemukan.", EN: "Survey not found."},
		"survey_subject_not_found":    {ID: "Keluhan, pengembalian barang, atau pesanan yang dinilai tidak ditemukan.", EN: "The complaint, return or order being rated was not found."},
		"survey_subject_not_rateable": {ID: "Survei dapat diisi setelah keluhan diselesaikan, pengembalian barang selesai diproses, atau pesanan diterima.", EN: "A survey can be submitted once the complaint is resolved, the return is settled or the order is delivered."},
		"survey_already_submitted":    {ID: "Anda sudah mengisi survei ini. Terima kasih atas masukan Anda.", EN: "You have already completed this survey. Thank you for your feedback."},

		"field.csat_range":     {ID: "Nilai kepuasan harus berupa angka bulat 1–5.", EN: "The satisfaction score must be a whole number from 1 to 5."},
		"field.ces_range":      {ID: "Nilai kemudahan harus berupa angka bulat 1–7.", EN: "The effort score must be a whole number from 1 to 7."},
		"field.nps_range":      {ID: "Nilai rekomendasi harus berupa angka bulat 0–10.", EN: "The recommendation score must be a whole number from 0 to 10."},
		"field.comment_length": {ID: "Komentar maksimal 2.000 karakter.", EN: "The comment may have at most 2,000 characters."},

		"field.report_date":        {ID: "Harus tanggal dengan format YYYY-MM-DD.", EN: "Must be a date formatted YYYY-MM-DD."},
		"field.report_range_order": {ID: "Tanggal akhir tidak boleh sebelum tanggal awal.", EN: "The end date must not be before the start date."},
		"field.report_range_days":  {ID: "Rentang tanggal maksimal {param} hari.", EN: "The range may span at most {param} days."},
	})
}
