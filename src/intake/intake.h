/* intake.h — meeting intake: from a raw meeting report to draft directives.
 *
 * Pure functions over UTF-8 text: no database, no HTTP, no clock.  The
 * pipeline cleans the text, repairs lines broken by a page layout into
 * paragraphs, finds articles (with headlines attached by content), meetings
 * and directives, and suggests units, a deadline and a kind for each
 * directive.  The keyword → unit table is passed in by the caller; a built-in
 * default for the demo city exists for the CLI and tests.  See docs/intake.md. */
#ifndef LUOSHI_INTAKE_INTAKE_H
#define LUOSHI_INTAKE_INTAKE_H

#include <jansson.h>
#include <stddef.h>

#include "intake/source.h"

/* Error values of intake_run. */
#define INTAKE_OK       0
#define INTAKE_EUTF8    (-1) /* invalid UTF-8; *bad_offset is the byte offset */
#define INTAKE_ETOOLONG (-2) /* input longer than the options allow */

/* The largest input intake_run accepts when the options give no limit. */
#define INTAKE_MAX_LEN ((size_t)64 * 1024 * 1024)

/* The kinds of item a directive may become (DESIGN.md).  Only TASK is
 * suggested unless the caller enables more in intake_options.kinds. */
enum intake_kind {
    INTAKE_KIND_TASK = 0,
    INTAKE_KIND_HAZARD,
    INTAKE_KIND_CHALLENGE,
    INTAKE_KIND_REMEDIATION,
    INTAKE_KIND_REQUEST,
};

/* One row of the keyword → unit table: a directive mentioning `keyword`
 * suggests `unit`.  A keyword may appear in several rows (several units). */
struct intake_rule {
    const char *keyword;
    const char *unit;
};

/* A calendar date; year == 0 means unknown or none. */
struct intake_date {
    int year, month, day;
};

struct intake_options {
    const struct intake_rule *rules; /* NULL: intake_rules_default() */
    size_t n_rules;
    struct intake_date today; /* resolves years the text omits; zero: unknown */
    int default_days;         /* deadline after the meeting date; 0: 20 */
    int near_days;            /* deadline for "近期"; 0: 10 */
    unsigned kinds;           /* bit (1u << kind) enables a kind; 0: task only */
    size_t max_len;           /* input limit in bytes; 0: INTAKE_MAX_LEN */
};

enum intake_para_kind {
    INTAKE_PARA_BODY = 0,
    INTAKE_PARA_HEADLINE, /* short line without closing punctuation */
    INTAKE_PARA_LEAD,     /* 本报讯（…）, the start of an article */
};

struct intake_paragraph {
    char *text;   /* NUL-terminated UTF-8 */
    size_t len;   /* bytes */
    size_t start; /* code point offset of the first character in intake_result.text */
    size_t end;   /* code point offset just past the last character */
    enum intake_para_kind kind;
    int article; /* index into intake_result.articles, or -1 */
    int furniture; /* 1: page furniture (第2版, 责任编辑：…, 上一篇：…, a date line), kind
                    * HEADLINE, never in an article, a title or a directive */
};

struct intake_article {
    char *title; /* NULL when no headline was attached */
    char **subtitles;
    size_t n_subtitles;
    char *dateline; /* "3月15日下午", or NULL */
    char *byline;   /* "融媒首席记者 陈晓苏", or NULL */
    struct intake_date date;
    struct intake_date page_date; /* the date line of its page (发布日期：…), or year 0 */
    size_t *paragraphs;           /* indexes of its lead and body paragraphs, in order */
    size_t n_paragraphs;
};

struct intake_meeting {
    char *name;  /* "市委常委会（扩大）会议" */
    char *chair; /* "市委书记章旭升", or NULL */
    struct intake_date date;
    char **agenda; /* "听取…汇报", "研究…", in order */
    size_t n_agenda;
    int article;      /* index into articles, or -1 */
    size_t paragraph; /* the paragraph naming the meeting */
};

struct intake_directive {
    char *text;        /* the directive, without its closing punctuation */
    size_t paragraph;  /* index into intake_result.paragraphs */
    size_t start, end; /* code point offsets of text in intake_result.text */
    char *topic;       /* its first clause without subject and 要 */
    char *title;       /* what to do, read as a task: the action clause (title.c) */
    char **verbs;      /* distinct action verbs in order of appearance */
    size_t n_verbs;
    char **units; /* units the text itself names as responsible */
    size_t n_units;
    char **suggested_units; /* from the keyword table when units is empty */
    size_t n_suggested_units;
    struct intake_date deadline; /* year 0: none could be suggested */
    enum intake_kind kind;
    int article; /* or -1 */
    int meeting; /* or -1 */
};

/* Everything the pipeline found.  The result owns all its strings and arrays. */
struct intake_result {
    struct {
        enum intake_format format;     /* what the text was read from: set by the caller */
        enum intake_encoding encoding; /* (intake_run leaves text, UTF-8) */
    } source;
    char *text; /* the repaired text: paragraphs joined by "\n" */
    size_t len; /* bytes of text */
    struct intake_paragraph *paragraphs;
    size_t n_paragraphs;
    struct intake_article *articles;
    size_t n_articles;
    struct intake_meeting *meetings;
    size_t n_meetings;
    struct intake_directive *directives;
    size_t n_directives;
};

/* Run the whole pipeline over data[0..len) with opt (NULL: all defaults).
 * Returns INTAKE_OK and fills *out, which the caller releases with
 * intake_result_free(); or INTAKE_EUTF8 with *bad_offset (if not NULL) set to
 * the byte offset of the first invalid byte; or INTAKE_ETOOLONG.  On error *out
 * is left empty (safe to free). */
int intake_run(const char *data, size_t len, const struct intake_options *opt,
               struct intake_result *out, size_t *bad_offset);

/* Free everything r owns and zero it.  r may be empty; NULL is ignored. */
void intake_result_free(struct intake_result *r);

/* The result as the JSON of POST /api/v1/intake (docs/intake.md).  Returns a
 * new reference the caller must json_decref(). */
json_t *intake_result_to_json(const struct intake_result *r);

/* The same JSON written as text at the end of out (no jansson values: the
 * API's and the benchmark's path).  Returns 0, or -1 when out refused an
 * append (out->err set). */
struct buf;
int intake_result_write_json(const struct intake_result *r, struct buf *out);

/* The built-in keyword → unit table of the demo city; *n gets its length.
 * The table is static: do not free it. */
const struct intake_rule *intake_rules_default(size_t *n);

/* "task", "hazard", "challenge", "remediation" or "request". */
const char *intake_kind_name(enum intake_kind kind);

/* For benchmarks: run the pipeline over data[0..len) with default options,
 * render the JSON too when with_json is 1 (jansson values, serialised) or 2
 * (intake_result_write_json), and free everything.  Returns the number of directives found, or
 * (size_t)-1 when the input is rejected. */
size_t intake_bench_run(const char *data, size_t len, int with_json);

#endif
