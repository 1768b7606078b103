package i18n

// Customer event titles and texts (inbox and CustomerEventsTopic), and inbox route messages.
func init() {
	add(map[string]Text{
		"notification.ticket.replied.title":             {ID: "Balasan baru untuk keluhan Anda", EN: "New reply to your complaint"},
		"notification.ticket.replied.text":              {ID: "Tim kami membalas keluhan {ticketId}.", EN: "Our team replied to complaint {ticketId}."},
		"notification.ticket.waiting_on_customer.title": {ID: "Kami menunggu jawaban Anda", EN: "We are waiting for your answer"},
		"notification.ticket.waiting_on_customer.text":  {ID: "Keluhan {ticketId} menunggu jawaban Anda agar dapat kami lanjutkan.", EN: "Complaint {ticketId} needs your answer before we can continue."},
		"notification.ticket.resolved.title":            {ID: "Keluhan Anda sudah diselesaikan", EN: "Your complaint is resolved"},
		"notification.ticket.resolved.text":             {ID: "Keluhan {ticketId} sudah kami selesaikan.", EN: "We resolved complaint {ticketId}."},
		"notification.ticket.reopened.title":            {ID: "Keluhan Anda dibuka kembali", EN: "Your complaint was reopened"},
		"notification.ticket.reopened.text":             {ID: "Tim kami membuka kembali keluhan {ticketId}.", EN: "Our team reopened complaint {ticketId}."},
		"notification.return.approved.title":            {ID: "Pengembalian barang disetujui", EN: "Return approved"},
		"notification.return.approved.text":             {ID: "Pengembalian {returnId} untuk pesanan {orderId} disetujui. Silakan kirim barangnya.", EN: "Return {returnId} for order {orderId} is approved. Please send the items."},
		"notification.return.rejected.title":            {ID: "Pengembalian barang ditolak", EN: "Return rejected"},
		"notification.return.rejected.text":             {ID: "Pengembalian {returnId} untuk pesanan {orderId} tidak dapat kami terima.", EN: "We could not accept return {returnId} for order {orderId}."},
		"notification.return.received.title":            {ID: "Barang sudah kami terima", EN: "Items received"},
		"notification.return.received.text":             {ID: "Barang dari pengembalian {returnId} sudah kami terima dan sedang diperiksa.", EN: "We received the items of return {returnId} and are checking them."},
		"notification.return.refunded.title":            {ID: "Dana sudah dikembalikan", EN: "Refund issued"},
		"notification.return.refunded.text":             {ID: "Pengembalian dana {amount} untuk pengembalian {returnId} sudah kami proses.", EN: "We issued a refund of {amount} for return {returnId}."},
		"notification.return.cancelled.title":           {ID: "Pengembalian barang dibatalkan", EN: "Return cancelled"},
		"notification.return.cancelled.text":            {ID: "Pengembalian {returnId} untuk pesanan {orderId} dibatalkan.", EN: "Return {returnId} for order {orderId} was cancelled."},
		"notification.refund.issued.title":              {ID: "Pengembalian dana diterbitkan", EN: "Refund issued"},
		"notification.refund.issued.text":               {ID: "Pengembalian dana {amount} untuk pengembalian {returnId}.", EN: "Refund of {amount} for return {returnId}."},
		"notification.order.delivered.title":            {ID: "Pesanan sudah sampai", EN: "Order delivered"},
		"notification.order.delivered.text":             {ID: "Pesanan {orderId} sudah diterima.", EN: "Order {orderId} was delivered."},
		"notification.survey.invited.ticket.title":      {ID: "Bagaimana layanan kami?", EN: "How did we do?"},
		"notification.survey.invited.ticket.text":       {ID: "Beri nilai penanganan keluhan {ticketId}.", EN: "Rate how we handled complaint {ticketId}."},
		"notification.survey.invited.return.title":      {ID: "Bagaimana layanan kami?", EN: "How did we do?"},
		"notification.survey.invited.return.text":       {ID: "Beri nilai proses pengembalian {returnId}.", EN: "Rate how we handled return {returnId}."},
		"notification.survey.invited.order.title":       {ID: "Bagaimana pesanan Anda?", EN: "How was your order?"},
		"notification.survey.invited.order.text":        {ID: "Beri nilai pesanan {orderId}.", EN: "Rate order {orderId}."},

		"field.notification_ids": {ID: "Isi ids atau upTo, tidak keduanya.", EN: "Give either ids or upTo, not both."},
		"field.notification_id":  {ID: "Bukan id notifikasi yang valid.", EN: "Not a valid notification id."},
		"notifications_changed":  {ID: "Notifikasi berubah saat sedang diproses. Silakan coba lagi.", EN: "The notifications changed while being processed. Please try again."},
	})
	addLabels("notification_type", map[string]Text{
		"ticket.replied":             {ID: "Balasan keluhan", EN: "Complaint reply"},
		"ticket.waiting_on_customer": {ID: "Menunggu jawaban Anda", EN: "Waiting for your answer"},
		"ticket.resolved":            {ID: "Keluhan selesai", EN: "Complaint resolved"},
		"ticket.reopened":            {ID: "Keluhan dibuka kembali", EN: "Complaint reopened"},
		"return.approved":            {ID: "Pengembalian disetujui", EN: "Return approved"},
		"return.rejected":            {ID: "Pengembalian ditolak", EN: "Return rejected"},
		"return.received":            {ID: "Barang diterima", EN: "Items received"},
		"return.refunded":            {ID: "Dana dikembalikan", EN: "Refunded"},
		"return.cancelled":           {ID: "Pengembalian dibatalkan", EN: "Return cancelled"},
		"refund.issued":              {ID: "Pengembalian dana diterbitkan", EN: "Refund issued"},
		"order.delivered":            {ID: "Pesanan diterima", EN: "Order delivered"},
		"survey.invited":             {ID: "Undangan survei", EN: "Survey invitation"},
	})
}
