/* lifecycle_test.c — the transition table (core/lifecycle.c).
 *
 * The expected lifecycle is written out again below as plain text, one
 * transition per line, independently of the table: every kind × status ×
 * action × role is checked against it (allowed and to what, or the exact
 * error: 403 when another role may, 409 invalid_transition with the allowed
 * actions otherwise).  The table must also be sorted, unique and rendered in
 * docs/lifecycle.md row for row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/action_spec.h"
#include "core/kind.h"
#include "core/lifecycle.h"

/* The expected transitions, for every kind. */
struct spec_row {
    const char *from, *action, *role, *to;
};
static const struct spec_row spec[] = {
    {"draft", "assign", "supervisor", "assigned"},
    {"draft", "assign", "delegator", "assigned"},
    {"draft", "cancel", "supervisor", "cancelled"},
    {"draft", "cancel", "delegator", "cancelled"},
    {"draft", "edit", "supervisor", "="},
    {"draft", "instruct", "leader", "="},
    {"assigned", "accept", "lead", "accepted"},
    {"assigned", "return", "lead", "returned"},
    {"assigned", "assign", "supervisor", "assigned"},
    {"assigned", "assign", "delegator", "assigned"},
    {"assigned", "cancel", "supervisor", "cancelled"},
    {"assigned", "cancel", "delegator", "cancelled"},
    {"assigned", "edit", "supervisor", "="},
    {"assigned", "suspend", "supervisor", "suspended"},
    {"assigned", "urge", "supervisor", "="},
    {"assigned", "urge", "leader", "="},
    {"assigned", "urge", "delegator", "="},
    {"assigned", "escalate", "supervisor", "="},
    {"assigned", "instruct", "leader", "="},
    {"accepted", "feedback", "lead", "in_progress"},
    {"accepted", "feedback", "co", "="},
    {"accepted", "request_extension", "lead", "="},
    {"accepted", "approve_extension", "supervisor", "="},
    {"accepted", "approve_extension", "delegator", "="},
    {"accepted", "deny_extension", "supervisor", "="},
    {"accepted", "deny_extension", "delegator", "="},
    {"accepted", "submit", "lead", "submitted"},
    {"accepted", "cancel", "supervisor", "cancelled"},
    {"accepted", "cancel", "delegator", "cancelled"},
    {"accepted", "edit", "supervisor", "="},
    {"accepted", "suspend", "supervisor", "suspended"},
    {"accepted", "urge", "supervisor", "="},
    {"accepted", "urge", "leader", "="},
    {"accepted", "urge", "delegator", "="},
    {"accepted", "escalate", "supervisor", "="},
    {"accepted", "instruct", "leader", "="},
    {"in_progress", "feedback", "lead", "="},
    {"in_progress", "feedback", "co", "="},
    {"in_progress", "request_extension", "lead", "="},
    {"in_progress", "approve_extension", "supervisor", "="},
    {"in_progress", "approve_extension", "delegator", "="},
    {"in_progress", "deny_extension", "supervisor", "="},
    {"in_progress", "deny_extension", "delegator", "="},
    {"in_progress", "submit", "lead", "submitted"},
    {"in_progress", "cancel", "supervisor", "cancelled"},
    {"in_progress", "cancel", "delegator", "cancelled"},
    {"in_progress", "edit", "supervisor", "="},
    {"in_progress", "suspend", "supervisor", "suspended"},
    {"in_progress", "urge", "supervisor", "="},
    {"in_progress", "urge", "leader", "="},
    {"in_progress", "urge", "delegator", "="},
    {"in_progress", "escalate", "supervisor", "="},
    {"in_progress", "instruct", "leader", "="},
    {"submitted", "verify", "supervisor", "done"},
    {"submitted", "verify", "delegator", "done"},
    {"submitted", "reject", "supervisor", "in_progress"},
    {"submitted", "reject", "delegator", "in_progress"},
    {"submitted", "cancel", "supervisor", "cancelled"},
    {"submitted", "cancel", "delegator", "cancelled"},
    {"submitted", "edit", "supervisor", "="},
    {"submitted", "instruct", "leader", "="},
    {"done", "archive", "supervisor", "archived"},
    {"done", "instruct", "leader", "="},
    {"returned", "assign", "supervisor", "assigned"},
    {"returned", "assign", "delegator", "assigned"},
    {"returned", "cancel", "supervisor", "cancelled"},
    {"returned", "cancel", "delegator", "cancelled"},
    {"returned", "edit", "supervisor", "="},
    {"returned", "suspend", "supervisor", "suspended"},
    {"returned", "instruct", "leader", "="},
    {"suspended", "resume", "supervisor", "previous"},
    {"suspended", "cancel", "supervisor", "cancelled"},
    {"suspended", "edit", "supervisor", "="},
    {"suspended", "instruct", "leader", "="},
    {"cancelled", "archive", "supervisor", "archived"},
};
#define SPEC_N (sizeof spec / sizeof *spec)

/* What hazards add: triage before assignment (and again after a return), the
 * grid's on-site check (核查) of a rectification, and the office's urge of an
 * overdue acceptance (the kind's may step decides when). */
static const struct spec_row hazard_spec[] = {
    {"draft", "triage", "supervisor", "="},   {"returned", "triage", "supervisor", "="},
    {"submitted", "verify", "grid", "done"},  {"submitted", "reject", "grid", "in_progress"},
    {"submitted", "urge", "supervisor", "="},
};
#define HAZARD_N (sizeof hazard_spec / sizeof *hazard_spec)

/* What requests add after done: the requester's rating, the office's
 * follow-up (回访), redo (重办) and explanation. */
static const struct spec_row request_spec[] = {
    {"done", "rate", "requester", "="},
    {"done", "follow_up", "supervisor", "="},
    {"done", "redo", "supervisor", "assigned"},
    {"done", "explain", "supervisor", "="},
};
#define REQUEST_N (sizeof request_spec / sizeof *request_spec)

/* The challenge's own (揭榜挂帅): published, closed, reviewed and awarded while
 * it is a draft (the award assigns it); paid in tranches once awarded. */
static const struct spec_row challenge_spec[] = {
    {"draft", "publish", "supervisor", "="},
    {"draft", "close_applications", "supervisor", "="},
    {"draft", "review", "supervisor", "="},
    {"draft", "review", "leader", "="},
    {"draft", "award", "supervisor", "assigned"},
    {"draft", "edit", "author", "="},
    {"assigned", "disburse", "supervisor", "="},
    {"accepted", "disburse", "supervisor", "="},
    {"in_progress", "disburse", "supervisor", "="},
    {"submitted", "disburse", "supervisor", "="},
    {"done", "disburse", "supervisor", "="},
};
#define CHALLENGE_N (sizeof challenge_spec / sizeof *challenge_spec)

/* What remediations add: the plan (一企一方案) by the office or the lead
 * unit, from draft (the office) to the end of the work. */
static const struct spec_row remediation_spec[] = {
    {"draft", "plan", "supervisor", "="}, {"assigned", "plan", "supervisor", "="},
    {"assigned", "plan", "lead", "="},    {"accepted", "plan", "supervisor", "="},
    {"accepted", "plan", "lead", "="},    {"in_progress", "plan", "supervisor", "="},
    {"in_progress", "plan", "lead", "="}, {"returned", "plan", "supervisor", "="},
    {"returned", "plan", "lead", "="},
};
#define REMEDIATION_N (sizeof remediation_spec / sizeof *remediation_spec)
#define OWN_N         (HAZARD_N + REQUEST_N + CHALLENGE_N + REMEDIATION_N)

/* Each kind's own rows. */
static const struct {
    const char *kind;
    const struct spec_row *rows;
    size_t n;
} own_specs[] = {
    {"hazard", hazard_spec, HAZARD_N},
    {"request", request_spec, REQUEST_N},
    {"challenge", challenge_spec, CHALLENGE_N},
    {"remediation", remediation_spec, REMEDIATION_N},
};

static const char *const kinds[] = {"task", "hazard", "request", "challenge", "remediation"};
static const unsigned roles[] = {LC_SUPERVISOR, LC_LEADER,    LC_LEAD,      LC_CO,
                                 LC_GRID,       LC_REQUESTER, LC_DELEGATOR, LC_AUTHOR};
#define ROLES_N (sizeof roles / sizeof *roles)

static const char *spec_kind = "task"; /* the kind spec_to answers for */

/* The spec's "to" for (status, action, role name), or NULL; *any set when
 * some role may take the action from status. */
static const char *spec_to(const char *status, const char *action, const char *role, int *any)
{
    *any = 0;
    const char *to = NULL;
    for (size_t i = 0; i < SPEC_N + OWN_N; i++) {
        const struct spec_row *r = i < SPEC_N ? &spec[i] : NULL;
        size_t at = SPEC_N;
        for (size_t k = 0; !r && k < sizeof own_specs / sizeof *own_specs; k++) {
            if (i < at + own_specs[k].n)
                r = strcmp(spec_kind, own_specs[k].kind) ? NULL : &own_specs[k].rows[i - at];
            if (i < at + own_specs[k].n) break;
            at += own_specs[k].n;
        }
        if (!r) continue;
        if (strcmp(r->from, status) || strcmp(r->action, action)) continue;
        *any = 1;
        if (role && !strcmp(r->role, role) && !to) to = r->to;
    }
    return to;
}

/* The spec's allowed actions for a role from status, space-separated in the
 * contract's order. */
static void spec_allowed(const char *status, const char *role, char *out, size_t outlen)
{
    size_t used = 0;
    out[0] = '\0';
    const char *actions[64];
    size_t n = action_names(actions, 64);
    for (size_t k = 0; k < n; k++) {
        int any;
        if (role && spec_to(status, actions[k], role, &any))
            used +=
                (size_t)snprintf(out + used, outlen - used, "%s%s", used ? " " : "", actions[k]);
    }
}

static void test_every_transition(void **state)
{
    (void)state;
    size_t allowed = 0, forbidden = 0, invalid = 0;
    const char *actions[64];
    size_t n_actions = action_names(actions, 64);
    assert_int_equal(n_actions, 29);
    for (size_t k = 0; k < 5; k++)
        for (size_t s = 0; s < lifecycle_status_count; s++)
            for (size_t ac = 0; ac < n_actions; ac++)
                for (size_t r = 0; r <= ROLES_N; r++) {
                    spec_kind = kinds[k];
                    const char *status = lifecycle_statuses[s], *action = actions[ac];
                    unsigned caps = r < ROLES_N ? roles[r] : 0;
                    const char *rname = r < ROLES_N ? lifecycle_role_name(caps) : NULL;
                    int any;
                    char want_allowed[256];
                    const char *to = spec_to(status, action, rname, &any);
                    struct err e = {0};
                    const struct lifecycle_row *row =
                        lifecycle_find(kinds[k], status, action, caps, &e);
                    if (to) {
                        if (!row)
                            fail_msg("%s %s %s %s: %s", kinds[k], status, action, rname, e.message);
                        assert_string_equal(row->to, to);
                        allowed++;
                    } else if (any) {
                        assert_null(row);
                        assert_int_equal(e.status, 403);
                        assert_string_equal(e.code, "forbidden");
                        forbidden++;
                    } else {
                        assert_null(row);
                        assert_int_equal(e.status, 409);
                        assert_string_equal(e.code, "invalid_transition");
                        spec_allowed(status, rname, want_allowed, sizeof want_allowed);
                        assert_string_equal(e.allowed, want_allowed);
                        invalid++;
                    }
                }
    /* 75 rows (57 and the delegator's 18) for each of 5 kinds, and each kind's
     * own; every combination lands somewhere. */
    assert_int_equal(allowed, 5 * SPEC_N + OWN_N);
    assert_int_equal(allowed + forbidden + invalid, 5 * 10 * 29 * (ROLES_N + 1));
    assert_int_equal(lifecycle_table_len, SPEC_N + OWN_N);
}

static int row_cmp(const struct lifecycle_row *a, const struct lifecycle_row *b)
{
    int c = strcmp(a->kind, b->kind);
    if (!c) c = strcmp(a->from, b->from);
    if (!c) c = strcmp(a->action, b->action);
    if (!c) c = (a->role > b->role) - (a->role < b->role);
    return c;
}

static void test_table_sorted_unique_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < lifecycle_table_len; i++) {
        const struct lifecycle_row *r = &lifecycle_table[i];
        if (i) assert_true(row_cmp(&lifecycle_table[i - 1], r) < 0);
        assert_true(!strcmp(r->kind, "*") || kind_find(r->kind));
        assert_true(lifecycle_status_valid(r->from));
        assert_true(action_name_valid(r->action));
        assert_non_null(lifecycle_role_name(r->role));
        assert_true(!strcmp(r->to, LIFECYCLE_SAME) || !strcmp(r->to, LIFECYCLE_PREVIOUS) ||
                    lifecycle_status_valid(r->to));
        /* a closed status only ever moves on to archived, but for a request's
         * redo (重办), which sends it back to the same unit */
        if (lifecycle_status_closed(r->from) && strcmp(r->to, LIFECYCLE_SAME)) {
            if (!strcmp(r->kind, "request") && !strcmp(r->action, "redo"))
                assert_string_equal(r->to, "assigned");
            else
                assert_string_equal(r->to, "archived");
        }
        /* a kind-specific row never repeats a row for every kind */
        if (strcmp(r->kind, "*"))
            for (size_t j = 0; j < lifecycle_table_len; j++)
                assert_false(!strcmp(lifecycle_table[j].kind, "*") &&
                             !strcmp(lifecycle_table[j].from, r->from) &&
                             !strcmp(lifecycle_table[j].action, r->action) &&
                             lifecycle_table[j].role == r->role);
    }
}

/* Every row appears in docs/lifecycle.md as "| kind | from | action | role | to |". */
static void test_table_documented(void **state)
{
    (void)state;
    FILE *f = fopen("docs/lifecycle.md", "r");
    assert_non_null(f);
    static char doc[65536];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = '\0';
    size_t rows = 0;
    for (size_t i = 0; i < lifecycle_table_len; i++) {
        const struct lifecycle_row *r = &lifecycle_table[i];
        char line[200];
        snprintf(line, sizeof line, "| `%s` | `%s` | `%s` | %s | `%s` |", r->kind, r->from,
                 r->action, lifecycle_role_name(r->role), r->to);
        if (!strstr(doc, line)) fail_msg("docs/lifecycle.md lacks the row %s", line);
        rows++;
    }
    /* and nothing more: count the rows of the document's table, which runs
     * from its header to the first line that is not a table row */
    const char *p = strstr(doc, "| kind | from | action | role | to |");
    assert_non_null(p);
    size_t doc_rows = 0;
    for (p = strchr(p, '\n'); p && p[1] == '|'; p = strchr(p + 1, '\n'))
        doc_rows++;
    assert_int_equal(doc_rows, rows + 1); /* the |---| line */
}

struct caps_case {
    unsigned roles;
    int is_lead, is_co;
    unsigned want;
};

static void test_caps(void **state)
{
    (void)state;
    static const struct caps_case cases[] = {
        {ROLE_ADMIN, 0, 0, LC_SUPERVISOR},
        {ROLE_SUPERVISOR, 0, 0, LC_SUPERVISOR},
        {ROLE_LEADER, 0, 0, LC_LEADER},
        {ROLE_SUPERVISOR | ROLE_LEADER, 0, 0, LC_SUPERVISOR | LC_LEADER},
        {ROLE_HANDLER, 1, 0, LC_LEAD},
        {ROLE_HANDLER, 0, 1, LC_CO},
        {ROLE_HANDLER, 0, 0, 0},
        {ROLE_REPORTER, 1, 0, 0},               /* a reporter of the lead unit acts on nothing */
        {ROLE_SUPERVISOR, 1, 0, LC_SUPERVISOR}, /* unit membership needs the handler role */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct actor a = {.user_id = 1, .username = "u", .unit_id = 1, .roles = cases[i].roles};
        assert_int_equal(lifecycle_caps(&a, cases[i].is_lead, cases[i].is_co), cases[i].want);
    }
}

struct allowed_case {
    unsigned roles;
    int is_lead, is_co;
    const char *status, *want;
};

static void test_allowed_json(void **state)
{
    (void)state;
    static const struct allowed_case cases[] = {
        {ROLE_SUPERVISOR, 0, 0, "draft", "[\"assign\",\"cancel\",\"edit\"]"},
        {ROLE_HANDLER, 1, 0, "assigned", "[\"accept\",\"return\"]"},
        {ROLE_HANDLER, 0, 1, "assigned", "[]"},
        {ROLE_HANDLER, 1, 0, "accepted", "[\"feedback\",\"request_extension\",\"submit\"]"},
        {ROLE_HANDLER, 0, 1, "in_progress", "[\"feedback\"]"},
        {ROLE_LEADER, 0, 0, "in_progress", "[\"urge\",\"instruct\"]"},
        {ROLE_SUPERVISOR, 0, 0, "submitted", "[\"verify\",\"reject\",\"cancel\",\"edit\"]"},
        {ROLE_SUPERVISOR, 0, 0, "suspended", "[\"cancel\",\"edit\",\"resume\"]"},
        {ROLE_ADMIN, 0, 0, "done", "[\"archive\"]"},
        {ROLE_HANDLER, 0, 0, "in_progress", "[]"},
        {ROLE_SUPERVISOR, 0, 0, "archived", "[]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct actor a = {.user_id = 1, .username = "u", .unit_id = 1, .roles = cases[i].roles};
        json_t *j =
            lifecycle_allowed_json(&a, "task", cases[i].status, cases[i].is_lead, cases[i].is_co);
        char *s = json_dumps(j, JSON_COMPACT);
        assert_string_equal(s, cases[i].want);
        free(s);
        json_decref(j);
    }
}

static void test_messages(void **state)
{
    (void)state;
    struct err e = {0};
    assert_null(lifecycle_find("task", "assigned", "accept", LC_CO, &e));
    assert_string_equal(e.message, "'accept' on this item is for the lead unit's handler");
    assert_null(lifecycle_find("task", "in_progress", "verify", LC_SUPERVISOR, &e));
    assert_string_equal(e.message, "'verify' is not possible on a task that is in_progress");
    assert_string_equal(e.allowed,
                        "approve_extension deny_extension urge escalate cancel edit suspend");
    /* err_set clears a stale list */
    err_set(&e, 422, "x", "y");
    assert_string_equal(e.allowed, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_transition), cmocka_unit_test(test_table_sorted_unique_valid),
        cmocka_unit_test(test_table_documented), cmocka_unit_test(test_caps),
        cmocka_unit_test(test_allowed_json),     cmocka_unit_test(test_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
