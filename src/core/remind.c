/*
 * The automatic reminder's timing rule (core/remind.h).
 */
#include "core/remind.h"

enum remind_kind
remind_due(
    int64_t due_at, int64_t approaching_at, int64_t overdue_at, int64_t now)
{
	if (due_at <= 0)
		return (REMIND_NONE);
	if (now >= due_at)
		return (overdue_at == 0 ? REMIND_OVERDUE : REMIND_NONE);
	if (due_at - now <= REMIND_BEFORE && approaching_at == 0)
		return (REMIND_APPROACHING);
	return (REMIND_NONE);
}
