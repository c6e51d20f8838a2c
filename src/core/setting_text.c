/* setting_text.c — the documents' text settings.  See setting_text.h.  The
 * defaults repeat the readers' own (notice/notice.c, notice/pdf.h,
 * core/document.h), so the list shows what the documents then say. */
#include "core/setting_text.h"

#include <stdio.h>
#include <string.h>

#include "core/challenge.h"
#include "core/document.h"
#include "core/remediation.h"
#include "core/setting.h"
#include "core/text.h"
#include "util/arena.h"

static const struct {
    const char *key, *def;
} defs[] = {
    {"challenge.creator_units", CHALLENGE_CREATOR_UNITS},
    {"document.prefix.assign", DOCUMENT_PREFIX_ASSIGN},
    {"document.prefix.dossier", DOCUMENT_PREFIX_DOSSIER},
    {"document.prefix.escalate", DOCUMENT_PREFIX_ESCALATE},
    {"document.prefix.urge", DOCUMENT_PREFIX_URGE},
    {"notice.copy_to", ""},
    {"notice.font_body", "FangSong,AR PL UKai CN,Noto Serif CJK SC"},
    {"notice.font_hei", "Noto Sans CJK SC"},
    {"notice.font_kai", "KaiTi,AR PL UKai CN,Noto Serif CJK SC"},
    {"notice.font_title", "Noto Serif CJK SC"},
    {"notice.main_to", "各有关单位"},
    {"notice.number_prefix", "督通"},
    {"notice.office", "督查室"},
    {"remediation.co_units", REMEDIATION_CO_UNITS},
};
#define NDEFS (sizeof defs / sizeof defs[0])

static int def_index(const char *key)
{
    for (size_t i = 0; i < NDEFS; i++)
        if (!strcmp(defs[i].key, key)) return (int)i;
    return -1;
}

json_t *setting_text_list_json(struct db *db, struct err *e)
{
    struct arena *a = arena_new();
    json_t *list = json_array();
    for (size_t i = 0; i < NDEFS; i++) {
        const char *v = NULL;
        if (setting_text(db, defs[i].key, a, &v, e)) {
            json_decref(list);
            arena_free(a);
            return NULL;
        }
        json_array_append_new(list, json_pack("{s:s,s:s,s:s}", "key", defs[i].key, "value",
                                              v ? v : "", "default", defs[i].def));
    }
    arena_free(a);
    return json_pack("{s:o}", "texts", list);
}

/* Check every value (trimmed in place by text_field) before writing any. */
static int texts_check(json_t *values, struct err *e)
{
    const char *key;
    json_t *v;
    if (!json_is_object(values) || !json_object_size(values))
        return err_set(e, 422, "invalid_field", "send an object of setting → text");
    json_object_foreach(values, key, v)
    {
        if (def_index(key) < 0)
            return err_set(e, 422, "invalid_field", "no text setting '%s'", key),
                   err_subject(e, key);
        if (!json_is_string(v))
            return err_set(e, 422, "invalid_field", "'%s' must be a string", key),
                   err_subject(e, key);
        const char *s = NULL;
        if (text_field(values, key, SETTING_TEXT_MAX, 0, &s, e)) return -1;
        for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++)
            if (*c < 0x20 || *c == 0x7f)
                return err_set(e, 422, "invalid_field", "'%s' holds a control character", key),
                       err_subject(e, key);
    }
    return 0;
}

int setting_text_update(struct db *db, const struct actor *a, json_t *values, struct err *e)
{
    if (texts_check(values, e)) return -1;
    const char *key;
    json_t *v;
    json_object_foreach(values, key, v)
    {
        if (setting_write(db, a, key, json_string_value(v), e)) return -1;
    }
    return 0;
}
