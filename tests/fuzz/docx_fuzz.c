/* docx_fuzz.c — libFuzzer target over the reader of a .docx's
 * word/document.xml (docx.c), fed in two pieces split where the first byte
 * says, as the zip inflates it in pieces.
 *
 * Any input either gives text that is valid UTF-8 and within the buffer's
 * limit, or an XML error (a DOCTYPE is one) with a line and words, or the
 * text limit's error.  Build: make fuzz. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intake/internal.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct intake_source s;
    struct buf b;
    if (size == 0) return 0;
    size_t cut = data[0] % size, max = 4096;
    const char *xml = (const char *)data + 1;
    size--;
    if (cut > size) cut = size;
    memset(&s, 0, sizeof s);
    buf_init(&b, max);
    struct intake_docx_xml *x = intake_docx_xml_new(&b);
    int rc = intake_docx_xml_feed(x, xml, cut, 0, &s);
    if (!rc) rc = intake_docx_xml_feed(x, xml + cut, size - cut, 1, &s);
    intake_docx_xml_free(x);
    if (rc) {
        if (s.err != INTAKE_SOURCE_EXML && s.err != INTAKE_SOURCE_ELONG) abort();
        if (s.err == INTAKE_SOURCE_EXML && (!s.detail[0] || s.line == 0)) abort();
    } else {
        if (b.len > max || !utf8_validate(b.data ? b.data : "", b.len, NULL)) abort();
    }
    buf_free(&b);
    return 0;
}
