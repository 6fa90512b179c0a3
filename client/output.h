/*
 * client/output.h: printing replies the way birdc does, so that scripts and
 * tools written around birdc's output work with ternc unchanged:
 *   - "NNNN-text" / "NNNN text" print as "text" (5 characters stripped);
 *     lines with code 0000 (the empty "0000 " terminator) print nothing;
 *   - " text" continuations print as "text";
 *   - with -v the coded lines keep their code and continuations get five
 *     spaces, so columns line up with the coded lines;
 *   - "+text" (async log echo) prints as ">>> text";
 *   - anything else prints as "??? <line>".
 */
#ifndef TERN_CLIENT_OUTPUT_H
#define TERN_CLIENT_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "client/wire.h"

void out_line(FILE *f, const struct wire_line *l, bool verbose);

#endif
