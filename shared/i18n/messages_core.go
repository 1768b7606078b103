package i18n

// Messages every function can produce: problem titles, validation rules and request-level failures.
func init() {
	add(map[string]Text{
		"internal_error":         {ID: "Terjadi kesalahan pada sistem kami. Silakan coba lagi.", EN: "Something went wrong on our side. Please try again."},
		"service_unavailable":    {ID: "Layanan sedang tidak tersedia. Silakan coba lagi sebentar lagi.", EN: "The service is temporarily unavailable. Please try again shortly."},
		"route_not_found":        {ID: "Alamat yang diminta tidak ditemukan.", EN: "The requested resource was not found."},
		"method_not_allowed":     {ID: "Metode ini tidak didukung untuk alamat tersebut.", EN: "This method is not supported for this resource."},
		"unauthenticated":        {ID: "Anda perlu masuk terlebih dahulu.", EN: "You need to sign in first."},
		"forbidden":              {ID: "Anda tidak memiliki akses untuk tindakan ini.", EN: "You are not allowed to do this."},
		"validation_failed":      {ID: "Permintaan berisi data yang tidak valid.", EN: "The request contains invalid data."},
		"malformed_json":         {ID: "Isi permintaan bukan JSON yang valid.", EN: "The request body is not valid JSON."},
		"body_too_large":         {ID: "Isi permintaan terlalu besar.", EN: "The request body is too large."},
		"unsupported_media_type": {ID: "Isi permintaan harus berupa application/json.", EN: "The request body must be application/json."},
		"invalid_cursor":         {ID: "Kursor halaman tidak valid.", EN: "The page cursor is not valid."},

		// Validation rules, keyed "field.<rule>" so validator/v10 tags map straight to a message.
		"field.required":        {ID: "Wajib diisi.", EN: "This field is required."},
		"field.unknown":         {ID: "Kolom ini tidak dikenal.", EN: "This field is not recognised."},
		"field.type":            {ID: "Tipe datanya salah.", EN: "This field has the wrong type."},
		"field.duplicate":       {ID: "Kolom ini muncul lebih dari sekali.", EN: "This field appears more than once."},
		"field.utf8":            {ID: "Teksnya bukan UTF-8 yang valid.", EN: "This text is not valid UTF-8."},
		"field.email":           {ID: "Alamat email tidak valid.", EN: "This is not a valid email address."},
		"field.min":             {ID: "Minimal {param}.", EN: "Must be at least {param}."},
		"field.max":             {ID: "Maksimal {param}.", EN: "Must be at most {param}."},
		"field.gte":             {ID: "Harus lebih besar atau sama dengan {param}.", EN: "Must be greater than or equal to {param}."},
		"field.lte":             {ID: "Harus lebih kecil atau sama dengan {param}.", EN: "Must be less than or equal to {param}."},
		"field.gt":              {ID: "Harus lebih besar dari {param}.", EN: "Must be greater than {param}."},
		"field.len":             {ID: "Panjangnya harus {param}.", EN: "Must have length {param}."},
		"field.oneof":           {ID: "Harus salah satu dari: {param}.", EN: "Must be one of: {param}."},
		"field.iso4217":         {ID: "Kode mata uang ISO 4217 tidak valid.", EN: "Not a valid ISO 4217 currency code."},
		"field.datetime":        {ID: "Format tanggal/waktu tidak valid.", EN: "Not a valid date/time."},
		"field.unique":          {ID: "Nilainya tidak boleh berulang.", EN: "Values must be unique."},
		"field.dive":            {ID: "Isinya tidak valid.", EN: "Contains an invalid entry."},
		"field.invalid":         {ID: "Nilainya tidak valid.", EN: "This value is not valid."},
		"field.idempotency_key": {ID: "Idempotency-Key harus 1–255 karakter yang terlihat.", EN: "Idempotency-Key must be 1–255 visible characters."},

		// Idempotency.
		"idempotency_key_reused":  {ID: "Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda.", EN: "This Idempotency-Key was already used for a different request."},
		"idempotency_in_progress": {ID: "Permintaan dengan Idempotency-Key yang sama masih diproses. Coba lagi sebentar lagi.", EN: "A request with the same Idempotency-Key is still being processed. Retry shortly."},
	})
}
