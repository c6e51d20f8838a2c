/* kind_task.c — the task (任务): the plain item, decomposed from plans and
 * meetings.  It has nothing of its own beyond the items table, so its row
 * has no table and no hooks: everything a task does is the generic loop's. */
#include "core/kind.h"

const struct kind kind_task = {
    .name = "task",
    .label_zh = "任务",
    .label_en = "Task",
    .creatable = 1,
};
