/*
 * nest/rt-show.h: `show route` arguments and the command.
 */
#ifndef TERN_NEST_RT_SHOW_H
#define TERN_NEST_RT_SHOW_H

#include "nest/route.h"
#include "nest/protocol.h"

enum rt_show_addr_mode { RSD_ADDR_NONE = 0, RSD_ADDR_EQUAL, RSD_ADDR_FOR, RSD_ADDR_IN };
enum rt_show_export_mode { RSEM_NONE = 0, RSEM_PREEXPORT, RSEM_EXPORT, RSEM_NOEXPORT, RSEM_EXPORTED };

struct rt_show_table {
  node n;
  rtable *table;
  struct channel *export_channel;
  const char *label;            /* "master4", "import", "export" */
  uint routes, networks, primary;
};

struct rt_show_data {
  net_addr addr;
  int addr_mode;
  list tables;                  /* struct rt_show_table */
  int table_all;
  struct rt_show_table *current;
  const struct filter *filter;
  int verbose;
  int primary_only;
  int filtered;
  int stats;                    /* 1 = count, 2 = stats */
  int export_mode;
  struct proto *export_protocol;
  struct channel *export_channel;
  struct proto *show_protocol;
  const char *import_table_of;  /* proto.channel for import/export tables */
  int import_table_kind;        /* 1 import, 2 export */
  struct symbol *import_proto_sym;
  const char *import_channel_name;
  struct rt_iter it;
  int iterating;
  int table_open;               /* "Table X:" printed */
  int have_any;
  int tables_defined_by;        /* explicit table clause */
  uint total_routes, total_networks, total_primary, table_count;
};

struct rt_show_data *rt_show_args_new(struct cf_ctx *ctx);
void rt_show_add_table(struct cf_ctx *ctx, struct rt_show_data *d, rtable *t);
void rt_show(struct cli *c, struct rt_show_data *d);

#endif
