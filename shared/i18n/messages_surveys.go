package i18n

// Survey and ops metrics messages.
func init() {
	add(map[string]Text{
		"survey_not_found":            {ID: "Survei tidak ditemukan.", EN: "Survey not found."},
		"survey_subject_not_found":    {ID: "Tiket, retur, atau pesanan yang dinilai tidak ditemukan.", EN: "The ticket, return or order being rated was not found."},
		"survey_subject_not_rateable": {ID: "Survei dapat diisi setelah tiket diselesaikan, retur selesai diproses, atau pesanan diterima.", EN: "A survey can be submitted once the ticket is resolved, the return is settled or the order is delivered."},
		"survey_already_submitted":    {ID: "Anda sudah mengisi survei untuk ini.", EN: "You have already submitted a survey for this."},

		"field.csat_range":     {ID: "CSAT harus bilangan bulat dari 1 sampai 5.", EN: "CSAT must be a whole number from 1 to 5."},
		"field.ces_range":      {ID: "CES harus bilangan bulat dari 1 sampai 7.", EN: "CES must be a whole number from 1 to 7."},
		"field.nps_range":      {ID: "NPS harus bilangan bulat dari 0 sampai 10.", EN: "NPS must be a whole number from 0 to 10."},
		"field.comment_length": {ID: "Komentar maksimal 2.000 karakter.", EN: "The comment may have at most 2,000 characters."},

		"field.report_date":        {ID: "Harus tanggal dengan format YYYY-MM-DD.", EN: "Must be a date formatted YYYY-MM-DD."},
		"field.report_range_order": {ID: "Tanggal akhir tidak boleh sebelum tanggal awal.", EN: "The end date must not be before the start date."},
		"field.report_range_days":  {ID: "Rentang paling panjang {param} hari.", EN: "The range may span at most {param} days."},
	})
}
