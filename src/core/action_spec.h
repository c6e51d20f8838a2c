/* action_spec.h — the actions of the supervision loop, by name, with each
 * one's fields: the one list every other part is held to.
 *
 * A row is an action for every kind (kind NULL) or a kind's own version of
 * it: a kind's own action (a hazard's triage, a request's rate) or a kind's
 * other fields on a generic one (a hazard's cancel also takes duplicate_of).
 * The fields are what the body of POST /items/{id}/actions may carry (others
 * are refused) and which of them must be there; action.c reads "required"
 * from here, so the list and the check cannot differ.  Whether an action may
 * happen is the lifecycle table's (lifecycle.h); what it does is action.c's
 * and the kinds' hooks (kind.h).  A unit test holds the lifecycle table, the
 * item page's forms (web/act.c), the messages (web/i18n.c) and
 * docs/lifecycle.md to this list. */
#ifndef LUOSHI_CORE_ACTION_SPEC_H
#define LUOSHI_CORE_ACTION_SPEC_H

#include <stddef.h>

/* What a field's value is. */
enum action_field_type {
    AF_TEXT,   /* a string */
    AF_DATE,   /* YYYY-MM-DD */
    AF_INT,    /* an integer */
    AF_NUMBER, /* any number */
    AF_ID,     /* a positive integer id */
    AF_IDS,    /* an array of positive integer ids */
    AF_CHOICE, /* one string of a fixed set (a level, a rating) */
    AF_OBJECT, /* an object (a hazard's plan) */
    AF_PHOTOS, /* an array of base64 JPEG or PNG images (a hazard's after-photos) */
};

#define ACTION_FIELDS_MAX 6

struct action_field {
    const char *name;
    enum action_field_type type;
    int required;
};

/* One action; fields end at the first without a name. */
struct action_spec {
    const char *name;
    const char *kind; /* NULL: every kind */
    struct action_field fields[ACTION_FIELDS_MAX];
};

/* The list, in the contract's order (the order of "allowed_actions"); a
 * kind's version of an action follows the action for every kind. */
extern const struct action_spec action_specs[];
extern const size_t action_spec_count;

/* The row for action name on an item of kind: the kind's own version when
 * there is one, else the one for every kind; NULL when there is neither
 * (kind may be NULL: only rows for every kind then). */
const struct action_spec *action_spec_find(const char *kind, const char *name);
/* The field name of spec, or NULL when the action takes no such field. */
const struct action_field *action_spec_field(const struct action_spec *spec, const char *name);
/* 1 when name is an action of the list (for any kind). */
int action_name_valid(const char *name);
/* The distinct action names in the list's order into out[0..max); returns
 * how many (static strings). */
size_t action_names(const char **out, size_t max);

#endif
