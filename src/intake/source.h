/* source.h — a meeting report as a file: the bytes of a .docx, a .pdf or a
 * text in UTF-8 (with or without its byte order mark), UTF-16 (with one) or
 * GB18030/GBK, turned into the UTF-8 text intake_run() reads.
 *
 * The format and the encoding are detected from the bytes, never from a file
 * name or a declared type: a zip (PK\3\4) is read as a .docx (the paragraphs,
 * text, tabs and breaks of word/document.xml, through libzip and expat), a
 * %PDF- header as a PDF (each page's text in reading order through
 * poppler-glib, the pages joined by a line break so that intake's page cuts
 * and furniture handling apply), anything else as text: UTF-8 when it is
 * valid UTF-8, UTF-16 after a BOM, GB18030 when it is not UTF-8 but is
 * well-formed GB18030 that reads as Chinese (converted with iconv).  A
 * document.xml is refused past a limit before it is inflated (its declared
 * size) and while it is (the inflated bytes are counted), so a zip bomb
 * costs nothing.  A malformed file is an error value that names the problem,
 * in English or in Chinese; nothing here aborts on any input.
 *
 * Pure functions from bytes to text: no database, no HTTP, no clock; the
 * callers (core/meeting.c, the API, the page, the CLI) choose limits and
 * turn errors into answers.  See docs/intake.md, "Files". */
#ifndef LUOSHI_INTAKE_SOURCE_H
#define LUOSHI_INTAKE_SOURCE_H

#include <stddef.h>

enum intake_format {
    INTAKE_FORMAT_TEXT = 0,
    INTAKE_FORMAT_DOCX,
    INTAKE_FORMAT_PDF,
};

enum intake_encoding {
    INTAKE_ENC_UTF8 = 0,
    INTAKE_ENC_UTF16LE,
    INTAKE_ENC_UTF16BE,
    INTAKE_ENC_GB18030,
    INTAKE_ENC_NONE, /* a PDF: its text comes from its fonts' Unicode maps */
};

/* What was wrong with a file (intake_source.err). */
enum intake_source_err {
    INTAKE_SOURCE_OK = 0,
    INTAKE_SOURCE_EENCODING, /* text neither UTF-8 nor GB18030; at: the first bad UTF-8 byte */
    INTAKE_SOURCE_ENUL,      /* a NUL character in text; at: its byte */
    INTAKE_SOURCE_EUTF16,    /* malformed UTF-16 after its BOM; at: the bad byte */
    INTAKE_SOURCE_EZIP,      /* a zip that libzip cannot read (detail says why) */
    INTAKE_SOURCE_ENODOCX,   /* a readable zip without word/document.xml */
    INTAKE_SOURCE_EXML,      /* malformed word/document.xml: line, column, detail */
    INTAKE_SOURCE_EPDF,      /* a PDF poppler cannot open (detail says why) */
    INTAKE_SOURCE_ELOCKED,   /* a PDF that needs a password */
    INTAKE_SOURCE_EOLE,      /* a Word 97–2003 .doc or a .wps (an OLE compound file) */
    INTAKE_SOURCE_EEMPTY,    /* a document without any text (a scanned PDF) */
    INTAKE_SOURCE_EBIG,      /* word/document.xml larger than max_xml, declared or inflated */
    INTAKE_SOURCE_ELONG,     /* the text is longer than max_text */
    INTAKE_SOURCE_EPAGES,    /* a PDF of more than max_pages pages */
};

/* Limits; a zero field takes its default. */
struct intake_source_limits {
    size_t max_xml;   /* bytes of word/document.xml; default INTAKE_SOURCE_MAX_XML */
    size_t max_text;  /* bytes of text out; default INTAKE_MAX_LEN (intake.h) */
    size_t max_pages; /* pages of a PDF read; default INTAKE_SOURCE_MAX_PAGES */
};

#define INTAKE_SOURCE_MAX_XML   ((size_t)64 * 1024 * 1024)
#define INTAKE_SOURCE_MAX_PAGES 2000

/* A file read into text, or what was wrong with it. */
struct intake_source {
    enum intake_format format;     /* as detected, also on error */
    enum intake_encoding encoding; /* of the text read */
    char *text;   /* malloc'd UTF-8, NUL-terminated, no NUL inside; NULL on error */
    size_t len;   /* bytes of text */
    size_t pages; /* a PDF's pages; 0 otherwise */
    enum intake_source_err err;
    size_t at;                  /* EENCODING, ENUL, EUTF16: the byte offset in the file */
    unsigned long line, column; /* EXML: where expat stopped */
    size_t limit;               /* EBIG, ELONG: the limit passed */
    char detail[128];           /* EZIP, EXML, EPDF: the library's words, or "" */
};

/* Read the file data[0..len) with lim (NULL: the defaults) into *out.
 * Returns 0 with out->text set (free with intake_source_free), or -1 with
 * out->err and its fields set and no text.  Always sets out->format. */
int intake_source_read(const void *data, size_t len, const struct intake_source_limits *lim,
                       struct intake_source *out);

/* Free the text s holds and empty it; NULL is ignored. */
void intake_source_free(struct intake_source *s);

/* "text", "docx" or "pdf". */
const char *intake_format_name(enum intake_format f);
/* "UTF-8", "UTF-16LE", "UTF-16BE", "GB18030", or NULL for INTAKE_ENC_NONE. */
const char *intake_encoding_name(enum intake_encoding e);

/* What s->err says, in words: English when en is 1, else Chinese (zh-CN),
 * written into buf (size bytes, always NUL-terminated).  The English of
 * EENCODING is "the text is not valid UTF-8 at byte N", as intake_run's
 * callers have always said it. */
void intake_source_message(const struct intake_source *s, int en, char *buf, size_t size);

#endif
