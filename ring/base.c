/* Names for the project's error codes. */
#include "ring/base.h"

static const char *const verr_names[VERR__COUNT] = {
	[VERR_OK] = "ok",
	[VERR_IO] = "I/O error",
	[VERR_NOTSUP] = "not supported",
	[VERR_TIMEOUT] = "timed out",
	[VERR_NODEV] = "no such device",
	[VERR_BUSY] = "busy",
	[VERR_INVAL] = "invalid argument",
	[VERR_NOMEM] = "out of memory",
	[VERR_BROKEN] = "broken by its peer",
	[VERR_RANGE] = "out of range",
	[VERR_PROTO] = "protocol error",
	[VERR_AGAIN] = "try again",
	[VERR_ROFS] = "read-only",
};

const char *verr_str(int err)
{
	if (err < 0)
		err = -err;
	if (err >= VERR__COUNT)
		return "unknown error";
	return verr_names[err];
}
