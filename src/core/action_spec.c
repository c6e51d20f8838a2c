/* action_spec.c — the list of actions and their fields.  See action_spec.h.
 *
 * Data only: what each action does lives in action.c (the steps for every
 * kind) and in the kinds' files (kind_*.c: their own actions and their
 * checks on the others). */
#include "core/action_spec.h"

#include <string.h>

#define REQ 1
#define OPT 0

const struct action_spec action_specs[] = {
    {"assign",
     NULL,
     {{"lead_unit_id", AF_ID, OPT},
      {"co_unit_ids", AF_IDS, OPT},
      {"deadline", AF_DATE, OPT},
      {"working_days", AF_INT, OPT}}},
    {"accept", NULL, {{0}}},
    {"return", NULL, {{"reason", AF_TEXT, REQ}}},
    {"feedback",
     NULL,
     {{"text", AF_TEXT, REQ},
      {"progress", AF_INT, OPT},
      {"value", AF_NUMBER, OPT},
      {"attachment_ids", AF_IDS, OPT}}},
    {"request_extension", NULL, {{"deadline", AF_DATE, REQ}, {"reason", AF_TEXT, REQ}}},
    {"approve_extension", NULL, {{"text", AF_TEXT, OPT}}},
    {"deny_extension", NULL, {{"text", AF_TEXT, OPT}}},
    {"submit", NULL, {{"text", AF_TEXT, REQ}, {"attachment_ids", AF_IDS, OPT}}},
    {"submit",
     "hazard",
     {{"text", AF_TEXT, REQ}, {"photos", AF_PHOTOS, OPT}, {"attachment_ids", AF_IDS, OPT}}},
    {"submit",
     "request",
     {{"text", AF_TEXT, OPT}, {"reply", AF_TEXT, REQ}, {"attachment_ids", AF_IDS, OPT}}},
    {"verify", NULL, {{"reason", AF_TEXT, OPT}, {"attachment_ids", AF_IDS, OPT}}},
    {"verify",
     "challenge",
     {{"result", AF_CHOICE, REQ},
      {"report", AF_TEXT, REQ},
      {"reason", AF_TEXT, OPT},
      {"attachment_ids", AF_IDS, OPT}}},
    {"reject", NULL, {{"reason", AF_TEXT, REQ}, {"attachment_ids", AF_IDS, OPT}}},
    {"urge", NULL, {{"text", AF_TEXT, REQ}}},
    {"escalate", NULL, {{"level", AF_CHOICE, REQ}, {"text", AF_TEXT, OPT}}},
    {"instruct", NULL, {{"text", AF_TEXT, REQ}, {"attachment_ids", AF_IDS, OPT}}},
    {"cancel", NULL, {{"reason", AF_TEXT, REQ}}},
    {"cancel", "hazard", {{"reason", AF_TEXT, REQ}, {"duplicate_of", AF_ID, OPT}}},
    {"edit",
     NULL,
     {{"title", AF_TEXT, OPT},
      {"description", AF_TEXT, OPT},
      {"feedback_cycle", AF_CHOICE, OPT},
      {"metric", AF_OBJECT, OPT},
      {"co_unit_ids", AF_IDS, OPT}}},
    {"suspend", NULL, {{"reason", AF_TEXT, OPT}}},
    {"resume", NULL, {{0}}},
    {"archive", NULL, {{0}}},
    {"triage",
     "hazard",
     {{"level", AF_CHOICE, OPT},
      {"category", AF_TEXT, OPT},
      {"lead_unit_id", AF_ID, OPT},
      {"deadline", AF_DATE, OPT},
      {"plan", AF_OBJECT, OPT}}},
    {"rate", "request", {{"rating", AF_CHOICE, REQ}, {"comment", AF_TEXT, OPT}}},
    {"follow_up", "request", {{"result", AF_TEXT, REQ}}},
    {"redo", "request", {{"reason", AF_TEXT, REQ}, {"deadline", AF_DATE, OPT}}},
    {"explain", "request", {{"text", AF_TEXT, REQ}}},
    {"publish", "challenge", {{"note", AF_TEXT, OPT}}},
    {"close_applications", "challenge", {{0}}},
    {"review",
     "challenge",
     {{"application_id", AF_ID, REQ}, {"score", AF_INT, REQ}, {"comment", AF_TEXT, OPT}}},
    {"award", "challenge", {{"application_id", AF_ID, REQ}, {"deadline", AF_DATE, OPT}}},
    {"disburse", "challenge", {{"amount_wan", AF_NUMBER, REQ}, {"note", AF_TEXT, OPT}}},
    {"plan", "remediation", {{"plan", AF_TEXT, OPT}, {"mode", AF_CHOICE, OPT}}},
};
const size_t action_spec_count = sizeof action_specs / sizeof *action_specs;

#undef REQ
#undef OPT

const struct action_spec *action_spec_find(const char *kind, const char *name)
{
    const struct action_spec *every = NULL;
    for (size_t i = 0; i < action_spec_count; i++) {
        const struct action_spec *s = &action_specs[i];
        if (strcmp(s->name, name)) continue;
        if (!s->kind && !every) every = s;
        if (s->kind && kind && !strcmp(s->kind, kind)) return s;
    }
    return every;
}

const struct action_field *action_spec_field(const struct action_spec *spec, const char *name)
{
    for (size_t k = 0; k < ACTION_FIELDS_MAX && spec->fields[k].name; k++)
        if (!strcmp(spec->fields[k].name, name)) return &spec->fields[k];
    return NULL;
}

int action_name_valid(const char *name)
{
    for (size_t i = 0; i < action_spec_count; i++)
        if (!strcmp(action_specs[i].name, name)) return 1;
    return 0;
}

size_t action_names(const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < action_spec_count && n < max; i++) {
        size_t k = 0;
        while (k < n && strcmp(out[k], action_specs[i].name))
            k++;
        if (k == n) out[n++] = action_specs[i].name;
    }
    return n;
}
