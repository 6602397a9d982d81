/* labels.c: placing the value labels of two lines' points (labels.h). */
#include "monitor/labels.h"

int mon_label_y(int y)
{
	return y - MON_LABEL_ABOVE;
}

void mon_label_pair(int ya, int yb, int top, int floor, int *la, int *lb)
{
	int *upper = ya <= yb ? la : lb, *lower = ya <= yb ? lb : la;
	int yu = ya <= yb ? ya : yb, yl = ya <= yb ? yb : ya;
	*upper = mon_label_y(yu);
	*lower = mon_label_y(yl);
	if (*lower - *upper >= MON_LABEL_LINE)
		return;
	if (yl + MON_LABEL_BELOW <= floor) {
		*lower = yl + MON_LABEL_BELOW;   /* at least 29 px below the upper one */
		return;
	}
	/* the lower point sits on the axis: lift the upper label a line above
	 * the lower one, but not out of the chart */
	*upper = *lower - MON_LABEL_LINE;
	if (*upper < top) {
		*upper = top;
		*lower = top + MON_LABEL_LINE;
	}
}
