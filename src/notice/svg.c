/* svg.c — bar and line charts as inline SVG.  See svg.h.  Every text and
 * attribute value goes through html_printf's escaping %s (util/html.h). */
#include "notice/svg.h"

#include <stdio.h>

#include "util/html.h"

#define BAR_W     420
#define BAR_LABEL 130
#define BAR_ROW   34

int svg_bars(struct buf *b, const char *title, const struct svg_bar *bars, int n, int percent)
{
    double max = 0;
    for (int k = 0; k < n; k++)
        if (bars[k].value > max) max = bars[k].value;
    if (percent && max < 100) max = 100;
    int h = n * BAR_ROW + 8;
    html_printf(b,
                "<svg class=\"chart bars\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">"
                "<title>%s</title>",
                BAR_W, h, title, title);
    double span = BAR_W - BAR_LABEL - 64;
    for (int k = 0; k < n; k++) {
        int y = 4 + k * BAR_ROW;
        double w = max > 0 ? bars[k].value / max * span : 0;
        html_printf(b,
                    "<text x=\"%d\" y=\"%d\" font-size=\"16\" text-anchor=\"end\""
                    " fill=\"#1f2933\">%s</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\""
                    " height=\"24\" rx=\"3\" fill=\"%s\"></rect><text x=\"%.1f\" y=\"%d\""
                    " font-size=\"16\" fill=\"#1f2933\">",
                    BAR_LABEL - 8, y + 21, bars[k].label, BAR_LABEL, y + 3,
                    w < 1 && bars[k].value > 0 ? 1.0 : w, bars[k].fill, BAR_LABEL + w + 6, y + 21);
        if (percent)
            html_printf(b, "%.1f%%</text>", bars[k].value);
        else
            html_printf(b, "%.0f</text>", bars[k].value);
    }
    html_raw(b, "</svg>");
    return b->err ? -1 : 0;
}

int svg_line(struct buf *b, const char *title, const char *const *labels, const double *values,
             int n)
{
    const int w = 420, h = 220, left = 20, right = 20, top = 24, bottom = 36;
    double max = 1;
    for (int k = 0; k < n; k++)
        if (values[k] > max) max = values[k];
    html_printf(b,
                "<svg class=\"chart line\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">"
                "<title>%s</title><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\""
                " stroke=\"#9aa3ad\"></line>",
                w, h, title, title, left, h - bottom, w - right, h - bottom);
    double step = n > 1 ? (double)(w - left - right) / (n - 1) : 0;
    html_raw(b, "<polyline fill=\"none\" stroke=\"#c62828\" stroke-width=\"3\" points=\"");
    for (int k = 0; k < n; k++)
        html_printf(b, "%s%.1f,%.1f", k ? " " : "", left + k * step,
                    top + (h - top - bottom) * (1 - values[k] / max));
    html_raw(b, "\"></polyline>");
    for (int k = 0; k < n; k++) {
        double x = left + k * step, y = top + (h - top - bottom) * (1 - values[k] / max);
        html_printf(b,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#c62828\"></circle>"
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"15\" text-anchor=\"middle\" "
                    "fill=\"#1f2933\">%.0f</text>",
                    x, y, x, y - 9, values[k]);
        if (k % 2 == (n - 1) % 2) /* every other month, the newest always */
            html_printf(b,
                        "<text x=\"%.1f\" y=\"%d\" font-size=\"14\" text-anchor=\"middle\" "
                        "fill=\"#5f6b7a\">%s</text>",
                        x, h - bottom + 20, labels[k]);
    }
    html_raw(b, "</svg>");
    return b->err ? -1 : 0;
}
