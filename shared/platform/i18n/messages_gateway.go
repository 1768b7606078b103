package i18n

// Messages for refusals API Gateway makes itself (template.yaml SupportApi GatewayResponses). Its templates
// cannot read Accept-Language, so they carry the Indonesian text and the code; clients show their own text per
// code, and these entries give them the English one.
func init() {
	add(map[string]Text{
		"bad_request":               {ID: "Permintaan tidak dapat diproses.", EN: "The request could not be processed."},
		"unknown_route_or_unsigned": {ID: "URL ini tidak ada, atau memerlukan tanda tangan AWS (SigV4) yang tidak disertakan.", EN: "This resource does not exist, or it needs an AWS Signature Version 4 that was not sent."},
		"invalid_signature":         {ID: "Tanda tangan AWS (SigV4) pada permintaan ini tidak valid.", EN: "The request's AWS Signature Version 4 is not valid."},
		"expired_credentials":       {ID: "Kredensial AWS untuk permintaan ini sudah kedaluwarsa.", EN: "The AWS credentials for this request have expired."},
		"rate_limited":              {ID: "Terlalu banyak permintaan. Silakan coba lagi dalam beberapa saat.", EN: "Too many requests. Please try again shortly."},
		"gateway_timeout":           {ID: "Permintaan memakan waktu terlalu lama. Silakan coba lagi.", EN: "The request took too long. Please try again."},
		"request_blocked":           {ID: "Permintaan ini ditolak: terlalu banyak permintaan dari alamat Anda, atau isinya lebih dari 64 KB. Silakan coba lagi nanti.", EN: "This request was refused: too many requests from your address, or a body over 64 KB. Please try again later."},

		"title.rate_limited": {ID: "Terlalu banyak permintaan", EN: "Too many requests"},
		"title.timeout":      {ID: "Batas waktu terlampaui", EN: "Timed out"},
	})
}
