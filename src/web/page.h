/* page.h — what every page of src/web/ shares: the layout (layout.c) and the
 * small rendered parts and loaders (parts.c).  Not used outside src/web/. */
#ifndef LUOSHI_WEB_PAGE_H
#define LUOSHI_WEB_PAGE_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "http/req.h"
#include "util/html.h"
#include "web/i18n.h"

/* Nav entries a page may mark as the current one. */
enum page_nav { NAV_NONE, NAV_HOME, NAV_INBOX, NAV_FEEDBACK, NAV_ITEMS, NAV_UNITS, NAV_NEW };

/* Start r->out with the document head, the top bar and the navigation (when
 * logged in), and open <main>.  title is text (escaped).  self_query is the
 * page's own query string without "lang" (already URL-encoded, no '?'; NULL
 * for none), so the language links keep the page's filters.  A ?lang= in
 * the request also sets the lang cookie, so the choice sticks. */
void layout_begin(struct req *r, const char *title, enum page_nav nav, const char *self_query);
/* Close <main> and the document, and answer with status. */
void layout_end(struct req *r, int status);

/* Render into a fragment instead of the page (a part to keep, frag_cache.h):
 * page_capture_begin keeps the page so far in *saved and gives r->out an
 * empty buffer; page_capture_end makes what was written since the fragment
 * f (for html_frag_put, html_frag_free) and gives the page back. */
void page_capture_begin(struct req *r, struct buf *saved);
void page_capture_end(struct req *r, struct buf *saved, struct html_frag *f);

/* The reader connection, or NULL after answering 503 with an error page. */
struct db *page_db(struct req *r);
/* Run fn(ctx) and then done(ctx) on the server's work threads, away from
 * the request and after it (a part computed again, frag_cache.h); fn reads
 * through db_pool_reader(page_pool(r)) there.  0, or -1 when the server has
 * no work threads (nothing was started). */
int page_later(struct req *r, void (*fn)(void *), void (*done)(void *), void *ctx);
/* The server's connections (for a page_later job's reader). */
struct db_pool *page_pool(struct req *r);
/* Answer with an error page for e (its status and message). */
void page_fail(struct req *r, const struct err *e);
/* {"units":[…]}'s array as loaded by unit_list_json, or NULL after
 * answering with an error page.  The caller json_decref()s the object
 * returned through *owner. */
json_t *page_units(struct req *r, json_t **owner);
/* The name of unit id in units (an array of unit objects), or NULL. */
const char *page_unit_name(json_t *units, int64_t id);
/* Inside a form field's tag: when the refusal the form is shown again with
 * (r->form_err) is about the field named name, write ' aria-invalid="true"
 * aria-describedby="form-error"' (the error paragraph's id); else nothing. */
void page_field_invalid(struct req *r, const char *name);
/* The units (unit_list_json's array) as <option>s grouped by kind
 * (<optgroup>: departments, task forces, towns, grids, enterprises), each
 * group in tree order, a child under its parent marked "└ "; the value is
 * the id, or with by_code the code (the label then names it too); cur (the
 * value as text, or NULL) selected; kinds whose name is in skip (a
 * NULL-ended list, or NULL) left out. */
void page_unit_options(struct req *r, json_t *units, const char *cur, int by_code,
                       const char *const *skip);
/* The attribute that makes a unit <select> searchable: assets/app.js puts a
 * filter box before it; without script it is the plain select. */
#define PAGE_UNIT_FILTER " data-filter"
/* A <select> with id and name of the units (unit_list_json's array) by
 * code, showing name and code, cur (a code, or NULL) selected.  none: the
 * label of an empty choice that may be sent (NULL: one must be chosen). */
void page_unit_select(struct req *r, const char *id, const char *name, json_t *units,
                      const char *cur, const char *none);
/* When the current or the next year has no listed day in the working-day
 * calendar (its official schedule was never loaded, so its holidays count as
 * working days), a warning naming the years; for admins with a link to the
 * calendar page.  Nothing otherwise, or when the database cannot say. */
void page_calendar_warning(struct req *r, struct db *db);
/* Write a light as a coloured dot and its label. */
void page_light(struct req *r, const char *light);
/* Write a status as a small label. */
void page_status(struct req *r, const char *status);
/* "2024-03-01T09:30:00+08:00" shortened to "2024-03-01 09:30" (in the arena). */
const char *page_time(struct req *r, const char *iso);
/* A table of items (the "items" array of item_list_json): light, title
 * linking to the item, lead unit, deadline and status; on a phone each row
 * becomes a small card (style.css). */
void page_item_table(struct req *r, json_t *items);
/* Set "has_children" on item (an item_get_json object): true when the
 * viewer sees a sub-item of it, whose progress then rolls up into it. */
void page_mark_children(struct req *r, json_t *item);
/* 1 when an item in status is one its unit reports on (accepted,
 * in_progress): only then do feedback dates and lateness mean anything. */
int loop_reporting(const char *status);
/* A JSON value in one short line of text for summaries (in the arena). */
const char *page_json_text(struct req *r, json_t *v, json_t *units, const char *key);

/* What an item's events have established so far, as the timeline reads them
 * oldest first (timeline.c): the lead unit an assignment that names none
 * keeps. */
struct timeline_state {
    int64_t lead;
};
/* One event of an item (an element of event_list_json's "events") as a
 * timeline entry: the action, who and when, a sentence in r's language of
 * what it recorded, and the text a person wrote with it.  units: the unit
 * list, for names; now: updated with what the event establishes. */
void timeline_event(struct req *r, json_t *ev, json_t *units, struct timeline_state *now);
/* 1 when the timeline has a sentence for event action (a test holds it to
 * every action of the loop and every event the system writes). */
int timeline_knows(const char *action);

/* A refused action form, for showing the item page again: the action (NULL
 * when the form named none we know), the status to answer with, and the
 * message (text, escaped when written). */
struct act_failure {
    const char *action;
    int status;
    const char *message;
};

/* Answer with item id's page (item.c): 200, or f->status with f's message
 * and the posted values kept in the refused form.  An item the actor may not
 * see (or that does not exist) gets the error page instead. */
void item_page(struct req *r, int64_t id, const struct act_failure *f);
/* The action forms of an item for the viewer (act.c): one per action in the
 * item's allowed_actions, each with exactly its fields.  records is
 * feedback_item_json's (for a pending extension), units the unit list;
 * f (may be NULL) marks the refused form to refill and open. */
void act_forms(struct req *r, json_t *item, json_t *records, json_t *units,
               const struct act_failure *f);
/* The 转办/分办 form (delegate.c) for the lead unit's handler of an item it
 * has accepted: a sub-item for a unit below it or a cooperating unit; units
 * the unit list; f (may be NULL) a refusal of action "delegate" to show. */
void delegate_form(struct req *r, json_t *item, json_t *units, const struct act_failure *f);
/* The units a's unit may give a sub-item of item to (core/delegate.h's
 * rule): those below it and item's cooperating units, as a new array of
 * units' unit objects (caller owns).  Also what a delegator may reassign
 * its sub-item to. */
json_t *delegate_units(const struct actor *a, json_t *units, json_t *item);
/* 1 when action has a form in act.c's table. */
int act_known(const char *action);

/* How a form field is shown and how its value enters the JSON body. */
enum act_widget {
    W_TEXT,     /* textarea → string */
    W_DATE,     /* date → string */
    W_INT,      /* number → integer */
    W_PROGRESS, /* number 0–100 → integer */
    W_VALUE,    /* number (the metric's value) → number; only when the item has a metric */
    W_UNIT,     /* select of units → integer */
    W_UNITS,    /* checkboxes of units → array of integers */
    W_LEVEL,    /* select of escalation levels → string */
    W_PHOTOS,   /* file input, several JPEG/PNG photos → array of base64 strings (multipart) */
    W_FILES,    /* file input, several evidence files, stored first → array of attachment ids */
    W_LINE,     /* one line of text → string (an edit's title) */
    W_CYCLE,    /* select of feedback cycles → string */
    W_METRIC,   /* target and unit inputs → {"target","unit"}, both empty → null */
    W_RESULT,   /* select of an acceptance's results (pass, fail) → string */
    W_AMOUNT,   /* number of 万元 (two decimals) → number */
    W_ID,       /* number, an id (an application's) → integer */
    W_MODE,     /* select of a remediation's ways (upgrade, merge, reclaim) → string */
};

struct act_field {
    const char *name, *label; /* the body's field; the label's message key */
    enum act_widget widget;
    int required;
};

struct act_form {
    const char *action;
    int main;                   /* a main step of the loop: its form opens by itself */
    const char *hint;           /* a message key shown under the form, or NULL */
    struct act_field fields[6]; /* ended by one without a name */
};

/* An action the item page links to instead of a form. */
struct act_link {
    const char *action, *page;
};

/* act.c's tables: the forms in the order the item page shows them, and the
 * links (exported for the test that holds them to core's action list). */
extern const struct act_form act_form_table[];
extern const size_t act_form_count;
extern const struct act_link act_link_table[];
extern const size_t act_link_count;

#endif
