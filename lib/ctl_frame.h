/*
 * Control socket framing, shared by every daemon and the shell. A stream
 * socket carries frames:
 *
 *   length u32 (big-endian, payload bytes only) | type u8 | payload
 *
 * A request's payload is one command line (UTF-8, no NUL). A reply is OK or
 * ERR with the command's text output (or its JSON). EVENT frames are sent
 * unasked to subscribers (path up/down, later). Pure: no I/O.
 */
#ifndef DMVPN_CTL_FRAME_H
#define DMVPN_CTL_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

#define CTL_FRAME_HDR_LEN 5
/* Large enough for the JSON of a hub with tens of thousands of peers. */
#define CTL_FRAME_MAX_PAYLOAD (32u << 20)

enum ctl_frame_type {
	CTL_FRAME_REQUEST = 1,
	CTL_FRAME_OK = 2,
	CTL_FRAME_ERR = 3,
	CTL_FRAME_EVENT = 4,
};

struct ctl_frame {
	enum ctl_frame_type type;
	const uint8_t *payload; /* points into the decoded buffer */
	uint32_t len;
};

/*
 * Decode one frame at the cursor of b. Returns 1 and consumes it when a
 * whole frame is there, 0 when more bytes are needed (nothing consumed),
 * -1 when the bytes can never be a valid frame (unknown type, too long).
 */
int ctl_frame_decode(struct buf *b, struct ctl_frame *f);
void ctl_frame_encode(struct wbuf *w, enum ctl_frame_type type, const void *payload, size_t len);

#endif
