#include "lib/ctl_frame.h"

int ctl_frame_decode(struct buf *b, struct ctl_frame *f)
{
	struct buf peek = *b;
	uint32_t len;
	uint8_t type;

	if (buf_get_be32(&peek, &len) < 0 || buf_get_u8(&peek, &type) < 0)
		return 0;
	if (type < CTL_FRAME_REQUEST || type > CTL_FRAME_EVENT || len > CTL_FRAME_MAX_PAYLOAD)
		return -1;
	if (buf_get_ptr(&peek, &f->payload, len) < 0)
		return 0;
	f->type = type;
	f->len = len;
	*b = peek;
	return 1;
}

void ctl_frame_encode(struct wbuf *w, enum ctl_frame_type type, const void *payload, size_t len)
{
	if (len > CTL_FRAME_MAX_PAYLOAD) {
		w->overflow = true;
		return;
	}
	wbuf_put_be32(w, (uint32_t)len);
	wbuf_put_u8(w, (uint8_t)type);
	wbuf_put_bytes(w, payload, len);
}
