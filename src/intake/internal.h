/* internal.h — what the files of src/intake/ share with each other and with
 * their unit tests: the stages of the pipeline and small helpers over valid
 * UTF-8 byte strings.  Nothing outside src/intake/ and tests/unit/intake/
 * includes this header; the public surface is intake.h. */
#ifndef LUOSHI_INTAKE_INTERNAL_H
#define LUOSHI_INTAKE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "intake/intake.h"
#include "intake/source.h"
#include "util/buf.h"

/* A byte range [start, end) of some string. */
struct intake_span {
    size_t start, end;
};

/* ---- text.c: helpers over valid UTF-8 ---- */

/* The work done on this thread, counted by the text helpers (a character
 * stepped over, a byte searched or counted) and by the few loops that walk
 * bytes themselves: what the linearity test compares between input sizes.
 * Never reset by intake; read it before and after a run. */
extern _Thread_local size_t intake_ops;
#define INTAKE_OPS(n) (intake_ops += (size_t)(n))

/* Decode the character at s[i] (i < len) into *cp; returns the index after it. */
size_t intake_text_next(const char *s, size_t len, size_t i, uint32_t *cp);
/* The index of the character before s[i] (i > 0); 0 when i == 0. */
size_t intake_text_prev(const char *s, size_t i);
/* The code point at s[i], or 0 when i >= len. */
uint32_t intake_text_at(const char *s, size_t len, size_t i);
/* The code point just before s[i], or 0 when i == 0. */
uint32_t intake_text_before(const char *s, size_t i);
/* Display width in half-width cells: 2 for CJK, full-width forms and general
 * punctuation such as “” and …, else 1. */
int intake_text_width(uint32_t cp);
/* 1 for a Han ideograph. */
int intake_text_is_han(uint32_t cp);
/* 1 when lit (NUL-terminated) occurs in s at byte i. */
int intake_text_has(const char *s, size_t len, size_t i, const char *lit);
/* 1 when s[0..len) starts / ends with lit. */
int intake_text_starts(const char *s, size_t len, const char *lit);
int intake_text_ends(const char *s, size_t len, const char *lit);
/* The byte offset of the first lit in s[from..len), or (size_t)-1. */
size_t intake_text_find(const char *s, size_t len, size_t from, const char *lit);
/* 1 for ，；。！？： and their ASCII forms: the marks that end a clause. */
int intake_text_is_clause_mark(uint32_t cp);
/* 1 for 。！？…!?: the marks that end a sentence (an ASCII period may be a decimal point). */
int intake_text_is_sentence_mark(uint32_t cp);
/* 1 when s[0..len) ends a sentence: its last character is a sentence mark, or a
 * closing quote or bracket right after one. */
int intake_text_ends_sentence(const char *s, size_t len);
/* The span of s[0..len) without leading and trailing spaces. */
struct intake_span intake_text_trim(const char *s, size_t len);
/* The length of s[0..len) after dropping trailing clause marks, 、 and spaces. */
size_t intake_text_trim_marks(const char *s, size_t len);
/* Number of code points in s[0..len). */
size_t intake_text_count(const char *s, size_t len);
/* A malloc'd copy of s[0..len) with every space removed. */
char *intake_text_dup_nospace(const char *s, size_t len);

/* A list of words (NULL-terminated, at most INTAKE_WORDS_MAX, each under 256
 * bytes) with filters on their first and last characters, for the tests a
 * scan makes at every clause: when no word starts (ends) with the character
 * there, a lookup is one bit test.  Define one as {list} and prepare it once
 * (intake_words_prepare) before the first lookup. */
#define INTAKE_WORDS_MAX 64
struct intake_words {
    const char *const *w;
    size_t n;
    unsigned char len[INTAKE_WORDS_MAX];
    uint64_t first[64], last[64]; /* bit cp % 4096: some word starts / ends with cp */
};
/* Fill l's lengths and filters from l->w. */
void intake_words_prepare(struct intake_words *l);
/* The bytes of the first word of l (in list order) at s[i], or 0. */
size_t intake_words_at(const struct intake_words *l, const char *s, size_t len, size_t i);
/* The bytes of the first word of l that ends s[from..to), or 0. */
size_t intake_words_ending(const struct intake_words *l, const char *s, size_t from, size_t to);

/* ---- date.c ---- */

/* Parse a date at s[0..len): "2023年3月15日", "3月15日", "3月 15日", with an
 * optional time of day (上午, 下午, 晚上…).  Returns the bytes used (0 when
 * there is no date); *d gets the fields, year 0 when the text omits it. */
size_t intake_date_parse(const char *s, size_t len, struct intake_date *d);
/* Fill in a missing year of *d from today: the latest year that does not put
 * *d more than a week after today.  No-op when today.year is 0. */
void intake_date_resolve(struct intake_date *d, struct intake_date today);
/* d plus days (days >= 0); d must be a complete date. */
struct intake_date intake_date_add(struct intake_date d, int days);
/* d plus days, which may be negative; d must be a complete date. */
struct intake_date intake_date_add_days(struct intake_date d, int days);
/* The first date s[0..len) mentions: "2023年3月15日", "3月15日下午",
 * "2024-03-29", "22日，" alone (its month from base), "今天上午（3月8日）"
 * (the bracketed date), "今天"/"昨天" (base, or the day before; skipped when
 * base is unknown).  A missing year comes from base (intake_date_resolve).
 * Returns the bytes the mention takes (0 when there is none) with *d set and
 * *at (if not NULL) the byte offset where it starts. */
size_t intake_date_find(const char *s, size_t len, struct intake_date base, struct intake_date *d,
                        size_t *at);
/* Days in month m (1..12) of year y. */
int intake_date_mdays(int y, int m);
/* <0, 0, >0 as a is before, equal to or after b. */
int intake_date_cmp(struct intake_date a, struct intake_date b);

/* ---- clean.c ---- */

/* Stage 1: validate data[0..len) as UTF-8 and write the cleaned text to out,
 * which has room for len + 1 bytes (cleaning never lengthens text):
 * CR LF and CR become LF, U+2028/9 become LF, tabs and full-width and other
 * Unicode spaces become ASCII spaces, C0/C1 controls, DEL, zero-width
 * characters and BOMs are dropped.  Returns INTAKE_OK with *out_len set and
 * out NUL-terminated, or INTAKE_EUTF8 with *bad_offset (if not NULL) = byte
 * offset of the first invalid byte (out is then unchanged). */
int intake_clean(const char *data, size_t len, char *out, size_t *out_len, size_t *bad_offset);

/* ---- lines.c ---- */

/* Stage 2: split the cleaned text s[0..len) into paragraphs, joining lines a
 * page layout broke and keeping headlines and leads on their own.  Sets
 * r->paragraphs (text, len, kind; article = -1; offsets zero) and
 * r->n_paragraphs; r must have no paragraphs yet. */
void intake_lines_repair(const char *s, size_t len, struct intake_result *r);
/* 1 when the paragraph p[0..len) starts an article (本报讯, 本报记者, 新华社…). */
int intake_lines_is_lead(const char *p, size_t len);
/* 1 when the line p[0..len) is page furniture: 第2版, A2, 责任编辑：…, 来源：…,
 * 发布日期：…, （下转第2版）, a share bar (微信 智能问答 繁體版), 上一篇：…, a
 * page's section name, a date line (2024年5月22日 星期三). */
int intake_lines_is_furniture(const char *p, size_t len);

/* ---- structure.c ---- */

/* Stage 3a: group paragraphs into articles, read each article's byline and
 * dateline, and attach headlines to articles by content.  Sets r->articles
 * and paragraph.article.  today resolves dateline years. */
void intake_structure_articles(struct intake_result *r, struct intake_date today);
/* The number of Han bigrams of h[0..hlen) (counted with repeats) occurring in a[0..alen);
 * exposed for tests of headline attachment. */
size_t intake_structure_overlap(const char *h, size_t hlen, const char *a, size_t alen);

/* ---- meeting.c ---- */

/* Stage 3b: find meetings (name, date, chair, agenda) in each article's
 * opening paragraphs.  Sets r->meetings.  today (or the article's page date)
 * resolves the years and months the text omits. */
void intake_meetings_find(struct intake_result *r, struct intake_date today);

/* ---- directive.c ---- */

/* Find the directives in one body paragraph p[0..len).  Appends to *spans
 * (a malloc'd array with *n entries, grown with xrealloc) the byte span of each
 * directive, closing marks excluded.  Returns the number appended. */
size_t intake_directive_spans(const char *p, size_t len, struct intake_span **spans, size_t *n);
/* Stage 4: fill r->directives from the body paragraphs of r: text, paragraph,
 * offsets, topic, verbs, the units its subject names, article and meeting. */
void intake_directives_find(struct intake_result *r);
/* The units named as the subject of the directive d[0..len) ("市委组织部、
 * 市委党校要…"), appended to *units (xrealloc'd array of malloc'd strings). */
void intake_directive_subject_units(const char *d, size_t len, char ***units, size_t *n);

/* ---- subject.c ---- */

/* What stands before a directive's 要: nothing (or an ordinal: 一要), units
 * and collectives, a topic (a short noun phrase: only inside a passage of
 * directives), or something that makes it no directive. */
enum intake_subject {
    INTAKE_SUBJECT_NONE,
    INTAKE_SUBJECT_UNITS,
    INTAKE_SUBJECT_TOPIC,
    INTAKE_SUBJECT_BAD,
};
/* Classify the subject p[from..to) (connectives and adverbs already gone);
 * passage: topics count. */
enum intake_subject intake_subject_of(const char *p, size_t from, size_t to, int passage);
/* Skip spaces and connectives (特别是, 一是, 同时 …) at p[*from..to), and time
 * words (近期, 今年 …) too when time_too.  Returns 1 when something was skipped. */
int intake_subject_skip(const char *p, size_t *from, size_t to, int time_too);
/* 1 when p[from..to) is exactly a time word (近期). */
int intake_subject_is_time_word(const char *p, size_t from, size_t to);
/* to without the adverbs (都, 必须, 切实 …) that end p[from..to). */
size_t intake_subject_drop_adverbs(const char *p, size_t from, size_t to);
/* 1 when the 要 at byte m of p[0..len) ends a word (需要, 重要, 主要, 只要 …). */
int intake_subject_yao_word(const char *p, size_t len, size_t m);
/* 1 when the clause at byte from of p[0..len) opens with an action: a verb
 * of the lexicon after connectives and adverbs, 以…为…, or a short adverbial
 * clause and then such a clause (依法依规，着手…). */
int intake_subject_action(const char *p, size_t len, size_t from);
/* 1 when a verb of the lexicon starts at s[i]. */
int intake_subject_is_verb(const char *s, size_t len, size_t i);
/* 1 when s[0..len) is a list of units and collectives ("市委组织部、市委党校",
 * "经信局和自然资源和规划局", "各县（市、区）"); the parts that are units and
 * not collectives (各级各部门, 全市上下 …) are appended to *units as malloc'd
 * strings when units is not NULL. */
int intake_directive_unit_list(const char *s, size_t len, char ***units, size_t *n);
/* The action-verb lexicon (sorted by bytes, every entry two Han characters);
 * *n gets its length.  Exposed so a test can check the order. */
const char *const *intake_directive_verbs(size_t *n);

/* ---- title.c ---- */

/* Where a directive stands in its paragraph p (byte offsets): its body (just
 * after 要, or where it starts), its end, its subject, whether it has a 要 of
 * its own (marker) and whether its subject is a topic (核心指标要…). */
struct intake_title_at {
    size_t body, end, subj_start, subj_end;
    int marker, topic;
};
/* The directive's title: its action clause without lead-unit phrases,
 * means-phrases and a leading deadline, after its topic when it has one
 * (see title.c).  A malloc'd string, or NULL when nothing is left. */
char *intake_title_make(const char *p, const struct intake_title_at *t);

/* ---- suggest.c ---- */

/* Stage 5: for every directive, add units named in the text (由X牵头, table
 * units written out), suggest units from opt's table when none are named,
 * and suggest a deadline and a kind. */
void intake_suggest(struct intake_result *r, const struct intake_options *opt);

/* ---- source.c, docx.c, pdf.c: files into text ---- */

/* Set s->err and s->at, drop any text s holds, and return -1. */
int intake_source_fail(struct intake_source *s, enum intake_source_err e, size_t at);
/* Move the text in b (limited to max_text) into s: 0, or -1 with ELONG when
 * an append to b was refused, or with EEMPTY when need_text and the text is
 * only spaces (a document; an empty text is intake's to judge).  The caller
 * frees b either way. */
int intake_source_take(struct intake_source *s, struct buf *b, int need_text);
/* The format d[0..len) starts like; *ole is 1 for an OLE compound file. */
enum intake_format intake_source_sniff(const unsigned char *d, size_t len, int *ole);
/* 1 when d[0..len) is well-formed GB18030 with some double-byte characters,
 * at least four in five of them GB2312 symbols or hanzi. */
int intake_source_gb_plausible(const unsigned char *d, size_t len);
/* The text of the .docx d[0..len) into b, then into s (intake_source_take).
 * 0, or -1 with s->err: EZIP, ENODOCX, EBIG, EXML, ELONG, EEMPTY. */
int intake_docx_read(const unsigned char *d, size_t len, const struct intake_source_limits *lim,
                     struct buf *b, struct intake_source *s);
/* The text of a word/document.xml fed in pieces: paragraphs (w:p) end with
 * a line break, text (w:t) is kept, tabs and breaks (w:tab, w:br, w:cr)
 * become a tab and a line break, and nothing else is read (not mc:Fallback,
 * which repeats its mc:Choice).  A DOCTYPE is refused. */
struct intake_docx_xml;
/* A new reader appending to b (which it does not own). */
struct intake_docx_xml *intake_docx_xml_new(struct buf *b);
/* Feed xml[0..len); last is 1 for the final piece (len may be 0).  0, or -1
 * with s->err EXML (line, column, detail) or ELONG (b refused an append). */
int intake_docx_xml_feed(struct intake_docx_xml *x, const char *xml, size_t len, int last,
                         struct intake_source *s);
/* Free the reader; NULL is ignored. */
void intake_docx_xml_free(struct intake_docx_xml *x);
/* The text of the PDF d[0..len), page after page, into b, then into s.
 * 0, or -1 with s->err: EPDF, ELOCKED, EPAGES, ELONG, EEMPTY.  PDFs are read
 * one at a time (poppler's global state is not guarded). */
int intake_pdf_read(const unsigned char *d, size_t len, const struct intake_source_limits *lim,
                    struct buf *b, struct intake_source *s);

/* ---- intake.c ---- */

/* Append a malloc'd copy of s[0..len) to the string array *v of *n entries. */
void intake_strv_push(char ***v, size_t *n, const char *s, size_t len);
/* Free the array v of n strings. */
void intake_strv_free(char **v, size_t n);

#endif
