/* efficiency_score.c — the pure half of the 亩均效益评价 (efficiency.h): the
 * credit code's check character, the config (defaults, checking a change,
 * JSON) and the score of one row.  No database, no clock, so the unit
 * tests hold every figure to a hand computation.
 *
 * The defaults are DESIGN.md's weights and thresholds with the divisors of
 * 黄岩's 2022 note (research §3.5); rd_ratio is in percent, so its divisor
 * is 3.02 (0.0302 of a ratio). */
#include "core/efficiency.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char credit_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

int efficiency_credit_code_ok(const char *s)
{
    int sum = 0, w = 1;
    if (!s || strlen(s) != 18) return 0;
    for (int i = 0; i < 18; i++) {
        const char *p = s[i] ? strchr(credit_alphabet, s[i]) : NULL;
        if (!p) return 0;
        if (i == 17) return (31 - sum % 31) % 31 == (int)(p - credit_alphabet);
        sum += (int)(p - credit_alphabet) * w;
        w = w * 3 % 31;
    }
    return 0;
}

static const char *const track_names[EFF_TRACKS] = {"above", "below", "below_small"};
static const char *const above_keys[] = {"tax_per_mu",      "va_per_mu",    "va_per_energy",
                                         "va_per_emission", "productivity", "rd_ratio"};
static const char *const below_keys[] = {"tax_per_mu", "tax_per_mwh"};

const char *efficiency_track_name(enum eff_track t)
{
    return track_names[t];
}

int efficiency_indicators(enum eff_track t, const char *const **keys)
{
    *keys = t == EFF_ABOVE ? above_keys : below_keys;
    return t == EFF_ABOVE ? 6 : 2;
}

void efficiency_config_default(struct eff_config *c)
{
    static const double aw[] = {30, 20, 20, 10, 10, 10},
                        ad[] = {24.097, 136.16, 2.694, 4929.81, 18.14, 3.02}, bw[] = {50, 50},
                        bd[] = {11.5932, 0.2352};
    static const char *const labels[4] = {"重点扶持", "鼓励提升", "监管整治", "落后淘汰"};
    memset(c, 0, sizeof *c);
    memcpy(c->track[EFF_ABOVE].weight, aw, sizeof aw);
    memcpy(c->track[EFF_ABOVE].divisor, ad, sizeof ad);
    for (int t = EFF_BELOW; t <= EFF_BELOW_SMALL; t++) {
        memcpy(c->track[t].weight, bw, sizeof bw);
        memcpy(c->track[t].divisor, bd, sizeof bd);
    }
    c->track[EFF_ABOVE].set = c->track[EFF_BELOW].set = 1;
    c->classes[0] = 80, c->classes[1] = 60, c->classes[2] = 40;
    c->objection_days = 7;
    for (int k = 0; k < 4; k++)
        snprintf(c->label[k], sizeof c->label[k], "%s", labels[k]);
}

static int key_index(enum eff_track t, const char *key)
{
    const char *const *keys;
    int n = efficiency_indicators(t, &keys);
    for (int i = 0; i < n; i++)
        if (!strcmp(keys[i], key)) return i;
    return -1;
}

/* Apply {"weights":{…},"divisors":{…}} to track t of c. */
static int track_apply(struct eff_config *c, enum eff_track t, json_t *v, struct err *e)
{
    const char *name = track_names[t], *part, *key;
    json_t *o, *x;
    if (!json_is_object(v)) return err_set(e, 422, "invalid_field", "'%s' must be an object", name);
    if (t == EFF_BELOW_SMALL && !c->track[t].set) c->track[t] = c->track[EFF_BELOW];
    json_object_foreach(v, part, o)
    {
        int w = !strcmp(part, "weights");
        if ((!w && strcmp(part, "divisors")) || !json_is_object(o))
            return err_set(e, 422, "invalid_field", "'%s.%s' is not weights or divisors", name,
                           part);
        json_object_foreach(o, key, x)
        {
            int i = key_index(t, key);
            double d = json_number_value(x);
            if (i < 0)
                return err_set(e, 422, "invalid_field", "'%s' is not an indicator of %s", key,
                               name);
            if (!json_is_number(x) || !isfinite(d) || d < 0 || (!w && d <= 0) || d > 1e9)
                return err_set(e, 422, "invalid_field", "'%s.%s.%s' must be a number %s", name,
                               part, key, w ? "from 0" : "above 0");
            (w ? c->track[t].weight : c->track[t].divisor)[i] = d;
        }
    }
    c->track[t].set = 1;
    return 0;
}

static int classes_apply(struct eff_config *c, json_t *v, struct err *e)
{
    static const char *const names[3] = {"A", "B", "C"};
    const char *key;
    json_t *x;
    if (!json_is_object(v)) return err_set(e, 422, "invalid_field", "'classes' must be an object");
    json_object_foreach(v, key, x)
    {
        int k = 0;
        while (k < 3 && strcmp(names[k], key))
            k++;
        if (k == 3 || !json_is_number(x))
            return err_set(e, 422, "invalid_field", "'classes' takes numbers A, B and C");
        c->classes[k] = json_number_value(x);
    }
    if (!(c->classes[0] <= 1000 && c->classes[0] > c->classes[1] && c->classes[1] > c->classes[2] &&
          c->classes[2] >= 0))
        return err_set(e, 422, "invalid_field", "the classes must be 1000 ≥ A > B > C ≥ 0");
    return 0;
}

static int labels_apply(struct eff_config *c, json_t *v, struct err *e)
{
    const char *key;
    json_t *x;
    if (!json_is_object(v)) return err_set(e, 422, "invalid_field", "'labels' must be an object");
    json_object_foreach(v, key, x)
    {
        const char *s = json_string_value(x);
        if (strlen(key) != 1 || key[0] < 'A' || key[0] > 'D' || !s || strlen(s) > EFF_LABEL_MAX * 3)
            return err_set(e, 422, "invalid_field",
                           "'labels' takes texts A to D of at most %d characters", EFF_LABEL_MAX);
        snprintf(c->label[key[0] - 'A'], sizeof c->label[0], "%s", s);
    }
    return 0;
}

/* One top-level field of a patch into *c. */
static int field_apply(struct eff_config *c, const char *key, json_t *v, struct err *e)
{
    for (int t = 0; t < EFF_TRACKS; t++)
        if (!strcmp(key, track_names[t])) return track_apply(c, (enum eff_track)t, v, e);
    if (!strcmp(key, "classes")) return classes_apply(c, v, e);
    if (!strcmp(key, "labels")) return labels_apply(c, v, e);
    if (!strcmp(key, "objection_days")) {
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 90)
            return err_set(e, 422, "invalid_field", "'objection_days' must be from 0 to 90");
        c->objection_days = (int)json_integer_value(v);
        return 0;
    }
    return err_set(e, 422, "invalid_field", "'%s' is not a field of the config", key);
}

int efficiency_config_apply(struct eff_config *c, json_t *patch, struct err *e)
{
    struct eff_config next = *c;
    const char *key;
    json_t *v;
    if (!json_is_object(patch) || !json_object_size(patch))
        return err_set(e, 422, "invalid_field", "send the config's fields to change");
    json_object_foreach(patch, key, v)
    {
        if (field_apply(&next, key, v, e)) return -1;
    }
    *c = next;
    return 0;
}

static json_t *track_json(const struct eff_track_config *tc, enum eff_track t)
{
    const char *const *keys;
    int n = efficiency_indicators(t, &keys);
    json_t *w = json_object(), *d = json_object();
    for (int i = 0; i < n; i++) {
        json_object_set_new(w, keys[i], json_real(tc->weight[i]));
        json_object_set_new(d, keys[i], json_real(tc->divisor[i]));
    }
    return json_pack("{s:o,s:o}", "weights", w, "divisors", d);
}

json_t *efficiency_config_json(const struct eff_config *c)
{
    json_t *v = json_object(), *labels = json_object();
    for (int t = 0; t < EFF_TRACKS; t++)
        if (c->track[t].set)
            json_object_set_new(v, track_names[t], track_json(&c->track[t], (enum eff_track)t));
    json_object_set_new(
        v, "classes",
        json_pack("{s:f,s:f,s:f}", "A", c->classes[0], "B", c->classes[1], "C", c->classes[2]));
    json_object_set_new(v, "objection_days", json_integer(c->objection_days));
    for (int k = 0; k < 4; k++)
        json_object_set_new(labels, (char[]){(char)('A' + k), 0}, json_string(c->label[k]));
    json_object_set_new(v, "labels", labels);
    return v;
}

static double round2(double x)
{
    return round(x * 100.0) / 100.0;
}

/* The numerator and denominator inputs of track t's indicator i; rd_ratio
 * is scaled by 100. */
static void ind_inputs(enum eff_track t, int i, int *num, int *den)
{
    static const int above[6][2] = {{EFF_TAX, -1},
                                    {EFF_VALUE_ADDED, -1},
                                    {EFF_VALUE_ADDED, EFF_ENERGY},
                                    {EFF_VALUE_ADDED, EFF_EMISSION},
                                    {EFF_VALUE_ADDED, EFF_EMPLOYEES},
                                    {EFF_RD, EFF_REVENUE}};
    static const int below[2][2] = {{EFF_TAX, -1}, {EFF_TAX, EFF_ELECTRICITY}};
    *num = t == EFF_ABOVE ? above[i][0] : below[i][0];
    *den = t == EFF_ABOVE ? above[i][1] : below[i][1];
}

void efficiency_score(const struct eff_config *c, const struct eff_row *r, struct eff_score *s)
{
    memset(s, 0, sizeof *s);
    s->track = r->above ? EFF_ABOVE : r->land_mu < EFF_SMALL_MU ? EFF_BELOW_SMALL : EFF_BELOW;
    if (r->above && r->land_mu < EFF_SMALL_MU) s->flags |= EFF_FLAG_SMALL_ABOVE;
    if (!r->above && r->land_mu >= EFF_LARGE_MU) s->flags |= EFF_FLAG_LARGE_BELOW;
    const struct eff_track_config *tc =
        c->track[s->track].set ? &c->track[s->track] : &c->track[EFF_BELOW];
    const char *const *keys;
    s->n = efficiency_indicators(s->track, &keys);
    double total = 0;
    for (int i = 0; i < s->n; i++) {
        int num, den;
        ind_inputs(s->track, i, &num, &den);
        double d = den < 0 ? r->land_mu : r->in[den];
        if (!(r->have >> num & 1) || (den >= 0 && !(r->have >> den & 1)) || !(d > 0)) {
            s->missing |= 1u << i;
            continue;
        }
        s->value[i] = r->in[num] / d * (num == EFF_RD ? 100.0 : 1.0);
        s->points[i] = round2(s->value[i] / tc->divisor[i] * tc->weight[i]);
        total += s->points[i];
    }
    s->score = round2(total);
    s->cls = s->score >= c->classes[0]   ? 'A'
             : s->score >= c->classes[1] ? 'B'
             : s->score >= c->classes[2] ? 'C'
                                         : 'D';
}
