/* new.c — lint fixture: a folder the layer table does not know. */
#include "gui/gui.h"
