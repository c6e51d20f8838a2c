/* hazard.h — hazards (隐患): the kind-specific part of items of kind hazard.
 *
 * A hazard is an item (item.h) plus one row of `hazards`: category (from the
 * configurable taxonomy hazard_categories, which are also the Open311
 * services), level (general 一般 / major 重大, set at triage), location
 * (address, latitude/longitude, grid unit), the place or enterprise, the
 * reporter, per-category attributes, photos, the duplicate link, and for major
 * hazards the six-part remediation plan, listing (挂牌督办) and delisting
 * (摘牌).  Routing (category × grid or town → responsible unit, with history)
 * proposes the lead unit at triage.
 *
 * The hazard is a row of the kind table (kind_hazard.c): the generic create,
 * action, JSON and visibility paths call its hooks, and nothing generic
 * knows its name.  Its code is one file per concern; this header gathers
 * their public surface for the pages and the API.  Nothing here knows HTTP. */
#ifndef LUOSHI_CORE_HAZARD_H
#define LUOSHI_CORE_HAZARD_H

#include "core/hazard_category.h"
#include "core/hazard_input.h"
#include "core/hazard_json.h"
#include "core/hazard_photo.h"
#include "core/hazard_route.h"

#endif
