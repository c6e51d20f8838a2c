/* kind_request.c — the enterprise request (企业诉求, DESIGN.md "Requests"):
 * each suggestion answered within its category's time limit, rated by the
 * requester, redone while unsatisfied.  Not built yet: the row makes the
 * name valid (filters, the lifecycle's and action list's rows, such as
 * `rate`) and POST /items answers 422 unsupported_kind.  When it is built,
 * this file gets its table (`requests`), its create fields (category,
 * channel, requester_unit_id), its steps (submit's reply, rate, follow_up,
 * redo) and its visibility (the requester's unit). */
#include "core/kind.h"

const struct kind kind_request = {
    .name = "request",
    .label_zh = "诉求",
    .label_en = "Request",
};
