/* labels.h: where the value labels of a line chart's points go, so that the
 * labels of two lines never overlap (src/monitor/pages_trend.c: reports
 * received and violations established, whose totals can be close, as 282
 * and 259 are). Pure, deterministic.
 *
 * The rule: a label stands above its point. In a year where both lines have
 * a point and the two labels would stand less than a line apart, the label
 * of the lower point goes below its point; when that would reach the axis,
 * the upper label is lifted a line above the lower one instead. */
#ifndef MONITOR_LABELS_H
#define MONITOR_LABELS_H

#define MON_LABEL_FONT 13   /* font size of a label, px */
#define MON_LABEL_LINE 16   /* a line: the least distance between two baselines */
#define MON_LABEL_ABOVE 9   /* baseline of a label above its point (point's radius 5) */
#define MON_LABEL_BELOW 20  /* baseline of a label below its point */

/* The baseline of a single point's label at y (SVG: y grows downwards). */
int mon_label_y(int y);

/* The baselines *la and *lb of the labels of two points at ya and yb drawn at
 * the same x; floor is the lowest baseline a label may take (just above the
 * axis) and top the highest (that of a label above a point at the top of
 * the plot). */
void mon_label_pair(int ya, int yb, int top, int floor, int *la, int *lb);

#endif
