package indotext

// WithinOneEdit reports whether a and b differ by at most one inserted, deleted or substituted letter
// (pembayran ~ pembayaran, pengirman ~ pengiriman). Search uses it for words of 5+ letters, where one
// slip of the thumb is likely and a different word one edit away is not.
func WithinOneEdit(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) < len(rb) {
		ra, rb = rb, ra
	}
	if len(ra)-len(rb) > 1 {
		return false
	}
	i := 0
	for i < len(rb) && ra[i] == rb[i] {
		i++
	}
	if len(ra) == len(rb) {
		return i == len(ra) || string(ra[i+1:]) == string(rb[i+1:]) // equal, or one substitution
	}
	return string(ra[i+1:]) == string(rb[i:]) // one letter more in a
}
