/* export.h — what every list's download shares (format=csv|xlsx): reading
 * the format parameter, and sending the written file with its name.  The
 * tables themselves are notice/item_export.h's. */
#ifndef LUOSHI_API_EXPORT_H
#define LUOSHI_API_EXPORT_H

#include <jansson.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

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

/* The writers of one table made from a JSON object (notice/ *_export.h):
 * CSV (-1 when out's maximum was reached) and XLSX (-1 with e). */
typedef int (*api_csv_fn)(json_t *v, struct buf *out);
typedef int (*api_xlsx_fn)(json_t *v, struct buf *out, struct err *e);

/* Write v (borrowed) with csv or, when xlsx, with xl into r->out and send it
 * as the download "name.csv" or "name.xlsx" (name ASCII: a period's files
 * are named by their period, not by today); 500 when writing failed. */
void api_send_table(struct req *r, json_t *v, int xlsx, api_csv_fn csv, api_xlsx_fn xl,
                    const char *name);

#endif
