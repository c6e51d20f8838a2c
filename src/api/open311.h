/* open311.h — the parsing half of the Open311 GeoReport v2 endpoint, kept
 * apart from the handlers (open311.c) so unit tests and the fuzz target can
 * drive it without a server: the POST requests form, W3C datetimes, and the
 * XML rendering of the JSON model. */
#ifndef LUOSHI_API_OPEN311_H
#define LUOSHI_API_OPEN311_H

#include <jansson.h>
#include <stdint.h>

#include "http/req.h"
#include "util/buf.h"
#include "util/err.h"

#define OPEN311_DESC_MAX 4000 /* characters of a description (the spec's limit) */

/* A POST requests form, validated.  Strings borrow from the form; empty
 * optional arguments count as absent. */
struct open311_post {
    const char *api_key, *jurisdiction_id, *service_code, *address_string, *address_id;
    const char *description, *email, *first_name, *last_name, *phone, *media_url, *device_id,
        *account_id;
    int has_location;
    double lat, lon;
    json_t *attributes; /* {CODE: "v"} or {CODE: ["v1","v2"]} (owned; may be empty) */
};

/* Read fields[0..n) of a POST requests body into p.  Known arguments only
 * (the spec's, plus attribute[CODE] and attribute[CODE][]); a repeated
 * single argument, a bad number, lat without long, a description over
 * OPEN311_DESC_MAX characters or an attribute name that is not [A-Za-z0-9_-]
 * is 400 with e.  The location and api_key rules are the handler's.  0, or
 * -1 with e; free p->attributes with open311_post_free in both cases. */
int open311_post_parse(const struct req_field *fields, int n, struct open311_post *p,
                       struct err *e);
void open311_post_free(struct open311_post *p);

/* Parse a W3C datetime with a zone ("2010-01-01T00:00:00Z",
 * "2010-01-01T08:00:00+08:00", fractions allowed) or a bare "YYYY-MM-DD"
 * (midnight, city time given as zone_min) into ms since the epoch.
 * 0 ok, -1 malformed. */
int open311_parse_datetime(const char *s, int zone_min, int64_t *ms);

/* Render v as GeoReport XML with root element root: objects become child
 * elements, arrays repeat their item element (services → service, requests
 * → request, errors → error, …), true/false and numbers as text, null as an
 * empty element.  Text is escaped and control characters become spaces.
 * Appends to b with the XML declaration first. */
void open311_xml(struct buf *b, const char *root, json_t *v);

#endif
