/* svg.h — small server-drawn charts as inline SVG: horizontal bars and a
 * line, no chart library and no script.  Colours and sizes are SVG
 * presentation attributes (fill=, font-size=), never style attributes, so
 * the charts pass the site's Content-Security-Policy; the viewBox scales them
 * to a phone or a projector.  Titles, labels and colours are escaped
 * (util/html.h). */
#ifndef LUOSHI_NOTICE_SVG_H
#define LUOSHI_NOTICE_SVG_H

#include "util/buf.h"

struct svg_bar {
    const char *label;
    double value;
    const char *fill; /* a colour such as "#c62828" */
};

/* Append a horizontal bar chart titled title (for screen readers) with one
 * bar per entry; values are written after the bars with one decimal when
 * percent is set ("85.0%"), as integers otherwise.  Returns as buf_append. */
int svg_bars(struct buf *b, const char *title, const struct svg_bar *bars, int n, int percent);
/* Append a line chart of values over labels (e.g. months), the points marked
 * and numbered.  Returns as buf_append. */
int svg_line(struct buf *b, const char *title, const char *const *labels, const double *values,
             int n);

#endif
