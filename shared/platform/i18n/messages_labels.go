package i18n

// Labels of every code a customer or ops view shows: the view carries the code for programs and, next to
// it, "<field>Label" in the request's language for people. Registered in this order, which is also the
// order a "oneof" rule's values are matched against an enumeration.
func init() {
	addLabels("ticket_status", map[string]Text{
		"open":        {ID: "Menunggu tanggapan", EN: "Open"},
		"in_progress": {ID: "Sedang diproses", EN: "In progress"},
		// The agent asked the customer for information; the resolution clock stands still meanwhile.
		"waiting_on_customer": {ID: "Menunggu balasan Anda", EN: "Waiting for your reply"},
		"resolved":            {ID: "Selesai", EN: "Resolved"},
		"closed":              {ID: "Ditutup", EN: "Closed"},
	})
	addLabels("sla_target", map[string]Text{
		"first_response": {ID: "Respons pertama", EN: "First response"},
		"resolution":     {ID: "Penyelesaian", EN: "Resolution"},
	})
	addLabels("ticket_category", map[string]Text{
		"order_issue":     {ID: "Masalah pesanan", EN: "Order issue"},
		"delivery":        {ID: "Pengiriman", EN: "Delivery"},
		"payment":         {ID: "Pembayaran", EN: "Payment"},
		"refund":          {ID: "Pengembalian dana", EN: "Refund"},
		"product_quality": {ID: "Kualitas produk", EN: "Product quality"},
		"technical":       {ID: "Kendala aplikasi", EN: "App problem"},
		"account":         {ID: "Akun", EN: "Account"},
		"fraud":           {ID: "Penipuan", EN: "Fraud"},
		"other":           {ID: "Lainnya", EN: "Other"},
	})
	addLabels("ticket_channel", map[string]Text{
		"web":    {ID: "Situs web", EN: "Website"},
		"email":  {ID: "Email", EN: "Email"},
		"chat":   {ID: "Chat", EN: "Chat"},
		"social": {ID: "Media sosial", EN: "Social media"},
		"phone":  {ID: "Telepon", EN: "Phone"},
	})
	addLabels("ticket_priority", map[string]Text{
		"low":    {ID: "Rendah", EN: "Low"},
		"normal": {ID: "Normal", EN: "Normal"},
		"high":   {ID: "Tinggi", EN: "High"},
		"urgent": {ID: "Mendesak", EN: "Urgent"},
	})
	addLabels("escalation_status", map[string]Text{
		"none":      {ID: "Tidak dieskalasi", EN: "Not escalated"},
		"pending":   {ID: "Sedang diteruskan ke tim terkait", EN: "Being passed to the responsible team"},
		"escalated": {ID: "Sudah diteruskan ke tim terkait", EN: "Passed to the responsible team"},
	})
	addLabels("team", map[string]Text{
		"payments":      {ID: "Tim pembayaran", EN: "Payments team"},
		"logistics":     {ID: "Tim pengiriman", EN: "Logistics team"},
		"technical":     {ID: "Tim teknis", EN: "Technical team"},
		"quality":       {ID: "Tim kualitas produk", EN: "Product quality team"},
		"legal":         {ID: "Tim hukum", EN: "Legal team"},
		"customer_care": {ID: "Tim layanan pelanggan", EN: "Customer care team"},
	})
	addLabels("order_status", map[string]Text{
		"placed":    {ID: "Menunggu pembayaran", EN: "Awaiting payment"},
		"paid":      {ID: "Dibayar", EN: "Paid"},
		"shipped":   {ID: "Dikirim", EN: "Shipped"},
		"delivered": {ID: "Diterima", EN: "Delivered"},
		"cancelled": {ID: "Dibatalkan", EN: "Cancelled"},
	})
	addLabels("shipment_status", map[string]Text{
		"pending":         {ID: "Belum dikirim", EN: "Not shipped yet"},
		"packed":          {ID: "Dikemas", EN: "Packed"},
		"in_transit":      {ID: "Dalam perjalanan", EN: "In transit"},
		"delivered":       {ID: "Terkirim", EN: "Delivered"},
		"failed_delivery": {ID: "Gagal dikirim", EN: "Delivery failed"},
	})
	addLabels("payment_method", map[string]Text{
		"bank_transfer":   {ID: "Transfer bank", EN: "Bank transfer"},
		"virtual_account": {ID: "Virtual Account", EN: "Virtual account"},
		"ewallet":         {ID: "Dompet digital", EN: "E-wallet"},
		"qris":            {ID: "QRIS", EN: "QRIS"},
		"card":            {ID: "Kartu kredit/debit", EN: "Credit/debit card"},
		"cod":             {ID: "Bayar di tempat (COD)", EN: "Cash on delivery (COD)"},
		"paylater":        {ID: "PayLater", EN: "Pay later"},
	})
	addLabels("not_returnable", map[string]Text{
		"final_sale":          {ID: "Final sale (tidak dapat dikembalikan)", EN: "Final sale (cannot be returned)"},
		"not_delivered":       {ID: "Pesanan belum diterima", EN: "Not delivered yet"},
		"return_period_ended": {ID: "Batas waktu pengembalian barang sudah lewat", EN: "Return period ended"},
		"fully_returned":      {ID: "Semua barang sudah dikembalikan", EN: "All items already returned"},
	})
	addLabels("return_status", map[string]Text{
		"requested": {ID: "Diajukan", EN: "Requested"},
		"approved":  {ID: "Disetujui", EN: "Approved"},
		"received":  {ID: "Barang diterima toko", EN: "Received by the shop"},
		"refunded":  {ID: "Dana dikembalikan", EN: "Refunded"},
		"rejected":  {ID: "Ditolak", EN: "Rejected"},
		"cancelled": {ID: "Dibatalkan", EN: "Cancelled"},
	})
	addLabels("refund_method", map[string]Text{
		"original_payment": {ID: "Ke metode pembayaran awal", EN: "To the original payment method"},
		"bank_transfer":    {ID: "Transfer ke rekening Anda", EN: "Transfer to your bank account"},
		"ewallet":          {ID: "Ke dompet digital Anda", EN: "To your e-wallet"},
		"store_credit":     {ID: "Saldo toko", EN: "Store credit"},
		"exchange":         {ID: "Tukar barang", EN: "Exchange"},
	})
	addLabels("refund_destination", map[string]Text{
		"bank_account": {ID: "Rekening bank", EN: "Bank account"},
		"ewallet":      {ID: "Dompet digital", EN: "E-wallet"},
	})
	addLabels("bank", map[string]Text{
		"bca":        {ID: "BCA", EN: "BCA"},
		"bri":        {ID: "BRI", EN: "BRI"},
		"bni":        {ID: "BNI", EN: "BNI"},
		"mandiri":    {ID: "Bank Mandiri", EN: "Bank Mandiri"},
		"bsi":        {ID: "BSI (Bank Syariah Indonesia)", EN: "BSI (Bank Syariah Indonesia)"},
		"cimb_niaga": {ID: "CIMB Niaga", EN: "CIMB Niaga"},
		"permata":    {ID: "PermataBank", EN: "PermataBank"},
		"danamon":    {ID: "Bank Danamon", EN: "Bank Danamon"},
		"btn":        {ID: "BTN", EN: "BTN"},
		"ocbc":       {ID: "OCBC", EN: "OCBC"},
		"bank_jago":  {ID: "Bank Jago", EN: "Bank Jago"},
		"seabank":    {ID: "SeaBank", EN: "SeaBank"},
	})
	addLabels("ewallet_provider", map[string]Text{
		"gopay":     {ID: "GoPay", EN: "GoPay"},
		"ovo":       {ID: "OVO", EN: "OVO"},
		"dana":      {ID: "DANA", EN: "DANA"},
		"shopeepay": {ID: "ShopeePay", EN: "ShopeePay"},
		"linkaja":   {ID: "LinkAja", EN: "LinkAja"},
	})
	addLabels("survey_subject", map[string]Text{
		"ticket": {ID: "Keluhan", EN: "Complaint"},
		"return": {ID: "Pengembalian barang", EN: "Return"},
		"order":  {ID: "Pesanan", EN: "Order"},
	})
	addLabels("refund_line", map[string]Text{
		"full_refund":    {ID: "Dikembalikan penuh", EN: "Refunded in full"},
		"restocking_fee": {ID: "Dipotong biaya penanganan retur", EN: "Less the restocking fee"},
		"exchange":       {ID: "Ditukar", EN: "Exchanged"},
	})
	addLabels("return_reason", map[string]Text{
		"defective":          {ID: "Barang cacat/tidak berfungsi", EN: "Defective or not working"},
		"wrong_item":         {ID: "Barang yang dikirim salah", EN: "Wrong item sent"},
		"damaged_in_transit": {ID: "Rusak saat pengiriman", EN: "Damaged in transit"},
		"not_as_described":   {ID: "Tidak sesuai deskripsi", EN: "Not as described"},
		"size_or_fit":        {ID: "Ukuran tidak pas", EN: "Size or fit"},
		"changed_mind":       {ID: "Berubah pikiran", EN: "Changed my mind"},
		"other":              {ID: "Alasan lain", EN: "Other"},
	})
	addLabels("return_condition", map[string]Text{
		"unopened":            {ID: "Belum dibuka (segel utuh)", EN: "Unopened (seal intact)"},
		"opened":              {ID: "Sudah dibuka, tidak rusak", EN: "Opened, undamaged"},
		"defective":           {ID: "Rusak atau cacat (bukan karena pemakaian)", EN: "Defective or damaged (not through use)"},
		"damaged_by_customer": {ID: "Rusak karena pemakaian", EN: "Damaged through use"},
	})
	addLabels("return_resolution", map[string]Text{
		"refund":       {ID: "Pengembalian dana", EN: "Refund"},
		"exchange":     {ID: "Tukar barang", EN: "Exchange"},
		"store_credit": {ID: "Saldo toko", EN: "Store credit"},
	})
	addLabels("return_reject", map[string]Text{
		"final_sale":          {ID: "Barang final sale (tidak dapat dikembalikan)", EN: "Final sale item"},
		"return_period_ended": {ID: "Batas waktu pengembalian barang sudah lewat", EN: "Return period ended"},
		"condition":           {ID: "Kondisi barang tidak memenuhi syarat", EN: "Item condition not acceptable"},
		"other":               {ID: "Alasan lain", EN: "Other reason"},
	})
	// The customer's language an order's notifications use (the order upsert's "language").
	addLabels("language", map[string]Text{
		"id": {ID: "Bahasa Indonesia", EN: "Indonesian"},
		"en": {ID: "Bahasa Inggris", EN: "English"},
	})
}
