/* source_fuzz.c — libFuzzer target over a report's file into text
 * (intake_source_read: format sniffing, UTF-8, UTF-16, GB18030, the .docx
 * zip and its XML, PDFs through poppler).
 *
 * Any input is either read — text that is valid UTF-8, within the limit,
 * without a NUL inside, and with its format and encoding consistent — or
 * refused with an error whose byte offset lies inside the input and whose
 * messages in both languages are UTF-8.  Build: make fuzz. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intake/source.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_read(const struct intake_source *s, const struct intake_source_limits *lim)
{
    if (!s->text || strlen(s->text) != s->len || s->len > lim->max_text) abort();
    if (!utf8_validate(s->text, s->len, NULL)) abort();
    if ((s->format == INTAKE_FORMAT_PDF) != (s->encoding == INTAKE_ENC_NONE)) abort();
    if (s->format == INTAKE_FORMAT_DOCX && s->encoding != INTAKE_ENC_UTF8) abort();
    if (s->pages > lim->max_pages) abort();
}

static void check_refused(const struct intake_source *s, size_t size)
{
    char m[640];
    if (s->text || s->err == INTAKE_SOURCE_OK) abort();
    if ((s->err == INTAKE_SOURCE_EENCODING || s->err == INTAKE_SOURCE_ENUL ||
         s->err == INTAKE_SOURCE_EUTF16) &&
        s->at >= size)
        abort();
    for (int en = 0; en < 2; en++) {
        intake_source_message(s, en, m, sizeof m);
        if (!m[0] || !utf8_validate(m, strlen(m), NULL)) abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct intake_source s;
    struct intake_source_limits lim = {.max_xml = 1 << 20, .max_text = 1 << 18, .max_pages = 20};
    if (intake_source_read(data, size, &lim, &s) == 0)
        check_read(&s, &lim);
    else
        check_refused(&s, size);
    intake_source_free(&s);
    return 0;
}
