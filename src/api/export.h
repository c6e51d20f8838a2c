/* export.h — what every list's download shares (format=csv|xlsx): reading
 * the format parameter, and sending the written file with its name.  The
 * tables themselves are notice/item_export.h's. */
#ifndef LUOSHI_API_EXPORT_H
#define LUOSHI_API_EXPORT_H

#include <stdint.h>

struct req;

enum api_format { API_FORMAT_JSON, API_FORMAT_CSV, API_FORMAT_XLSX };

/* The request's ?format= (json when absent).  -1 after answering 422
 * invalid_parameter for anything but json, csv or xlsx. */
int api_format(struct req *r);

/* Send the export file fd (size bytes, taken over) as a download named
 * ascii-YYYY-MM-DD.ext and, per RFC 5987, zh-YYYY-MM-DD.ext (today's date;
 * zh is UTF-8, encoded here). */
void api_send_export(struct req *r, int fd, uint64_t size, int xlsx, const char *ascii,
                     const char *zh);

#endif
