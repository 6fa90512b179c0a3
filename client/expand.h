/*
 * client/expand.h: abbreviation expansion and completion of CLI commands.
 *
 * The daemon only accepts complete lower-case keywords; like birdc, the
 * client expands what the user typed before sending it, from the command
 * table generated out of the daemon's grammar (one source of truth):
 *
 *  - Command words: each typed word is a prefix of the keyword at its
 *    position among the commands that match the words before it. An exact
 *    match wins; a unique prefix expands; several matches are an error.
 *  - Argument words (after a complete command): only plain lower-case words
 *    are expanded, and only against the literal keywords of that command's
 *    synopsis ("sh ro al" -> "show route all"). The word after a keyword
 *    that takes a <placeholder> is a name and is never touched ("table a"
 *    stays), nor is anything after `where` / `filter` / `{` (it is a filter
 *    expression). Quoted strings, numbers, prefixes and words matching no
 *    keyword pass through unchanged.
 */
#ifndef TERN_CLIENT_EXPAND_H
#define TERN_CLIENT_EXPAND_H

#include <stdbool.h>
#include <stddef.h>

#include "client/cmdtable.h"

#define CMD_MAX_TOKENS 512

struct cmd_token {
  const char *s;
  size_t len;
};

/* Split at blanks outside double quotes; returns the count, -1 if too many. */
int cmd_tokenize(const char *in, struct cmd_token *tok, int max);

/* Expand `in` into `out`. Returns 0, or -1 with a message in err. */
int cmd_expand(const struct cli_cmd_info *table, const char *in,
               char *out, size_t outlen, char *err, size_t errlen);

/* Keywords that could complete the last (partial) word of `line` — the text
 * before the cursor; a trailing blank means a new, empty word. They are
 * written space-separated into out; returns how many there are. */
int cmd_complete(const struct cli_cmd_info *table, const char *line,
                 char *out, size_t outlen);

/* Literal keywords of an argument synopsis, for expansion and completion. */
struct syn_kw {
  const char *s;
  size_t len;
  bool takes_arg;     /* followed by a <placeholder>: next word is a name */
};

#define SYN_MAX 64
int synopsis_keywords(const char *args, struct syn_kw *kw, int max);

#endif
