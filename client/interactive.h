/*
 * client/interactive.h: the readline front end (prompt, history, TAB
 * completion and `?` help, all from the command table).
 */
#ifndef TERN_CLIENT_INTERACTIVE_H
#define TERN_CLIENT_INTERACTIVE_H

#include "client/run.h"

/* Runs until quit, end of input or loss of the connection; exit status. */
int interactive_run(struct runner *r);

#endif
