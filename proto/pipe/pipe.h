/*
 * proto/pipe/pipe.h: the pipe protocol (routes between two tables).
 */
#ifndef TERN_PROTO_PIPE_H
#define TERN_PROTO_PIPE_H

#include "nest/protocol.h"

/* What the block says; the two channels are made from it when the block
   closes (pipe_finish_config), once the tables are known to fit. */
struct pipe_config {
  struct proto_config c;
  struct rtable_config *table;          /* primary: `table` */
  struct rtable_config *peer;           /* secondary: `peer table` */
  const struct filter *in_filter;       /* `import`: peer -> primary */
  const struct filter *out_filter;      /* `export`: primary -> peer */
  struct channel_limit in_limit, out_limit;
};

struct pipe_proto {
  struct proto p;
  struct channel *pri;                  /* on the primary table */
  struct channel *sec;                  /* on the peer table */
};

extern struct protocol proto_pipe;

struct cf_ctx;
void pipe_finish_config(struct cf_ctx *ctx, const void *loc);

#endif
