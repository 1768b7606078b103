package i18n

// Messages every function can produce: problem titles, validation rules and request-level failures.
func init() {
	add(map[string]Text{
		"internal_error":         {ID: "Terjadi kesalahan pada sistem kami. Silakan coba lagi.", EN: "Something went wrong on our side. Please try again."},
		"service_unavailable":    {ID: "Layanan sedang tidak tersedia. Silakan coba lagi dalam beberapa saat.", EN: "The service is temporarily unavailable. Please try again shortly."},
		"route_not_found":        {ID: "URL yang diminta tidak ditemukan.", EN: "The requested resource was not found."},
		"method_not_allowed":     {ID: "Metode HTTP ini tidak didukung untuk URL tersebut.", EN: "This method is not supported for this resource."},
		"unauthenticated":        {ID: "Sesi Anda telah berakhir atau Anda belum masuk. Silakan masuk terlebih dahulu.", EN: "Your session has ended or you are not signed in. Please sign in first."},
		"forbidden":              {ID: "Anda tidak memiliki akses untuk tindakan ini.", EN: "You are not allowed to do this."},
		"validation_failed":      {ID: "Ada data yang belum sesuai. Periksa kembali isian yang ditandai.", EN: "Some details are not valid. Please check the highlighted fields."},
		"malformed_json":         {ID: "Isi permintaan bukan JSON yang valid.", EN: "The request body is not valid JSON."},
		"body_too_large":         {ID: "Isi permintaan terlalu besar.", EN: "The request body is too large."},
		"unsupported_media_type": {ID: "Isi permintaan harus berupa application/json.", EN: "The request body must be application/json."},
		"invalid_cursor":         {ID: "Kursor halaman tidak valid.", EN: "The page cursor is not valid."},

		// Validation rules, keyed "field.<rule>" so validator/v10 tags map straight to a message.
		"field.required":        {ID: "Wajib diisi.", EN: "This field is required."},
		"field.unknown":         {ID: "Kolom ini tidak dikenal.", EN: "This field is not recognised."},
		"field.type":            {ID: "Jenis data tidak sesuai.", EN: "This field has the wrong type."},
		"field.duplicate":       {ID: "Kolom ini muncul lebih dari sekali.", EN: "This field appears more than once."},
		"field.utf8":            {ID: "Teksnya bukan UTF-8 yang valid.", EN: "This text is not valid UTF-8."},
		"field.email":           {ID: "Alamat email tidak valid.", EN: "This is not a valid email address."},
		"field.min":             {ID: "Minimal {param}.", EN: "Must be at least {param}."},
		"field.max":             {ID: "Maksimal {param}.", EN: "Must be at most {param}."},
		"field.max_length":      {ID: "Maksimal {param} karakter.", EN: "At most {param} characters."},
		"field.gte":             {ID: "Harus lebih besar atau sama dengan {param}.", EN: "Must be greater than or equal to {param}."},
		"field.lte":             {ID: "Harus lebih kecil atau sama dengan {param}.", EN: "Must be less than or equal to {param}."},
		"field.gt":              {ID: "Harus lebih besar dari {param}.", EN: "Must be greater than {param}."},
		"field.len":             {ID: "Panjangnya harus {param}.", EN: "Must have length {param}."},
		"field.oneof":           {ID: "Harus salah satu dari: {param}.", EN: "Must be one of: {param}."},
		"field.iso4217":         {ID: "Kode mata uang ISO 4217 tidak valid.", EN: "Not a valid ISO 4217 currency code."},
		"field.datetime":        {ID: "Format tanggal/waktu tidak valid.", EN: "Not a valid date/time."},
		"field.unique":          {ID: "Tidak boleh ada nilai yang sama.", EN: "Values must be unique."},
		"field.dive":            {ID: "Isinya tidak valid.", EN: "Contains an invalid entry."},
		"field.invalid":         {ID: "Nilainya tidak valid.", EN: "This value is not valid."},
		"field.idempotency_key": {ID: "Idempotency-Key harus berisi 1–255 karakter ASCII yang terlihat (tanpa spasi).", EN: "Idempotency-Key must be 1–255 visible ASCII characters (no spaces)."},

		// Idempotency.
		"idempotency_key_reused":  {ID: "Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda.", EN: "This Idempotency-Key was already used for a different request."},
		"idempotency_in_progress": {ID: "Permintaan dengan Idempotency-Key yang sama masih diproses. Silakan coba lagi dalam beberapa saat.", EN: "A request with the same Idempotency-Key is still being processed. Please try again in a moment."},
	})
}
