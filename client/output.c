/*
 * client/output.c: birdc-compatible text rendering of reply lines (the
 * rules are listed in output.h).
 */
#include "client/output.h"

void out_line(FILE *f, const struct wire_line *l, bool verbose)
{
  switch (l->kind) {
  case WIRE_MORE:
  case WIRE_LAST:
    if (l->code)
      fprintf(f, "%s\n", verbose ? l->raw : l->text);
    break;
  case WIRE_CONT:
    fprintf(f, "%s%s\n", verbose ? "     " : "", l->text);
    break;
  case WIRE_ASYNC:
    fprintf(f, ">>> %s\n", l->text);
    break;
  case WIRE_GARBLED:
    fprintf(f, "??? <%s>\n", l->raw);
    break;
  }
}
