/*
 * client/json_test.c: the -j converters on the real BIRD 2.0.12 replies in
 * client/testdata (plus a few synthetic ones built from the documented
 * formats). Each output must be valid JSON and equal the reviewed expected
 * file <fixture>.json; spot checks below pin the important fields.
 * JSON_TEST_UPDATE=1 rewrites the expected files (review the diff!).
 */
#include <stdlib.h>

#include "client/json.h"
#include "client/jsoncheck.h"
#include "test/unit.h"

static char *slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  static char buf[1 << 16];
  size_t n = fread(buf, 1, sizeof(buf) - 1, f);
  fclose(f);
  buf[n] = 0;
  return strdup(buf);
}

static const char *srcdir(void)
{
  const char *s = getenv("srcdir");
  return s ? s : ".";
}

/* Convert fixture `name` as `cmd`; returns the JSON (caller frees). */
static char *convert(const char *name, const char *cmd)
{
  char path[512];
  snprintf(path, sizeof(path), "%s/client/testdata/%s.reply", srcdir(), name);
  char *raw = slurp(path);
  CHECK(raw != NULL);
  if (!raw)
    return strdup("");
  struct reply r;
  reply_init(&r);
  reply_from_text(&r, raw);
  free(raw);
  struct jbuf b;
  jbuf_init(&b);
  json_convert(json_kind_of(cmd), &r, &b);
  reply_free(&r);
  return b.s;
}

static void compare_expected(const char *name, const char *json)
{
  char path[512];
  snprintf(path, sizeof(path), "%s/client/testdata/%s.json", srcdir(), name);
  if (getenv("JSON_TEST_UPDATE")) {
    FILE *f = fopen(path, "w");
    if (f) {
      fputs(json, f);
      fclose(f);
    }
  }
  char *want = slurp(path);
  if (!want || strcmp(want, json)) {
    unit_failed++;
    fprintf(stderr, "FAIL %s: output differs from %s:\n%s", name, path, json);
  } else
    unit_passed++;
  free(want);
}

/* Convert, validate, compare; returns the JSON for spot checks. */
static char *run(const char *name, const char *cmd)
{
  char *j = convert(name, cmd);
  if (!json_valid(j)) {
    unit_failed++;
    fprintf(stderr, "FAIL %s: invalid JSON: %s\n", name, j);
  } else
    unit_passed++;
  compare_expected(name, j);
  return j;
}

#define HAS(j, s) CHECK(strstr((j), (s)) != NULL)

static void test_status(void)
{
  char *j = run("show_status", "show status");
  CHECK_STR(j, "{\"version\":\"2.0.12\",\"router_id\":\"10.0.0.1\",\"hostname\":\"vm\","
               "\"server_time\":\"2026-11-26 11:44:32.124\",\"last_reboot\":\"2026-11-26 11:43:18.546\","
               "\"last_reconfiguration\":\"2026-11-26 11:43:35.924\","
               "\"status\":\"Daemon is up and running\"}\n");
  free(j);
}

static void test_protocols(void)
{
  char *j = run("show_protocols", "show protocols");
  HAS(j, "{\"name\":\"device1\",\"proto\":\"Device\",\"table\":null,\"state\":\"up\","
         "\"since\":\"11:43:18.546\",\"info\":\"\"}");
  HAS(j, "{\"name\":\"dead_peer\",\"proto\":\"BGP\",\"table\":null,\"state\":\"start\","
         "\"since\":\"11:43:50.499\",\"info\":\"Active        Socket: Connection refused\"}");
  HAS(j, "\"name\":\"igp4\",\"proto\":\"Static\",\"table\":\"master4\"");
  CHECK(!strstr(j, "channels"));           /* no details without `all` */
  free(j);

  j = run("show_protocols_all_peer_b", "show protocols all peer_b");
  HAS(j, "\"description\":\"Test peer B\",\"bgp_state\":\"Established\","
         "\"neighbor_address\":\"127.0.0.2\",\"neighbor_as\":65002,\"local_as\":65001,"
         "\"neighbor_id\":\"10.0.0.2\"");
  HAS(j, "\"local_capabilities\":{\"multiprotocol\":{\"af_announced\":\"ipv4\"},"
         "\"route_refresh\":true,");
  HAS(j, "\"hold_timer\":\"72.774/90\"");
  HAS(j, "\"channels\":[{\"name\":\"ipv4\",\"state\":\"UP\",\"table\":\"master4\","
         "\"preference\":100,\"input_filter\":\"rs_in\",\"output_filter\":\"(unnamed)\","
         "\"routes\":{\"imported\":2,\"filtered\":null,\"exported\":2,\"preferred\":2},");
  HAS(j, "\"route_change_stats\":{\"import_updates\":{\"received\":9,\"rejected\":0,"
         "\"filtered\":3,\"ignored\":4,\"accepted\":2},\"import_withdraws\":{\"received\":0,"
         "\"rejected\":0,\"filtered\":null,\"ignored\":0,\"accepted\":0}");
  HAS(j, "\"export_withdraws\":{\"received\":0,\"rejected\":null,\"filtered\":null,"
         "\"ignored\":null,\"accepted\":0}},\"bgp_next_hop\":\"127.0.0.1\","
         "\"igp_ipv4_table\":\"master4\"}]}");
  free(j);

  j = run("show_protocols_all_dead_peer", "show protocols all dead_peer");
  HAS(j, "\"last_error\":\"Socket: Connection refused\"");
  HAS(j, "\"connect_delay\":\"1.900/5\"");
  HAS(j, "\"input_filter\":\"ACCEPT\",\"output_filter\":\"REJECT\"");
  free(j);

  free(run("b-show_protocols_all_peer_a", "show protocols all peer_a"));

  j = run("synthetic-show_protocols", "show protocols");
  HAS(j, "\"since\":\"2026-11-26 11:43:18\",\"info\":\"\"");
  HAS(j, "{\"name\":\"a_very_long_protocol_name\",\"proto\":\"BGP\",\"table\":null,"
         "\"state\":\"start\",\"since\":\"2026-11-26 11:43:50\","
         "\"info\":\"Active        Socket: Connection refused\"}");
  HAS(j, "\"table\":\"master4\",\"state\":\"down\"");
  free(j);

  j = run("synthetic-show_protocols_all", "show protocols all");
  HAS(j, "\"cache_port\":8282,");
  HAS(j, "\"session_id\":null,");
  HAS(j, "\"refresh_timer\":null,\"retry_timer\":\"19.719/30\"");
  HAS(j, "\"no_roa6_channel\":true,\"channels\":[{\"name\":\"roa4\"");
  HAS(j, "\"description\":\"1234\"");     /* free text stays a string */
  HAS(j, "\"routes\":{\"imported\":3,\"filtered\":1,\"exported\":0,\"preferred\":3}");
  free(j);
}

static void test_routes(void)
{
  char *j = run("show_route_all", "show route all");
  HAS(j, "{\"tables\":[{\"name\":\"master4\",\"routes\":[{\"prefix\":\"198.51.100.0/24\","
         "\"dest\":\"blackhole\",\"proto\":\"static_a\",\"since\":\"11:43:18.546\",\"from\":null,"
         "\"primary\":true,\"preference\":200,\"metric\":null,\"bgp_as\":null,\"via\":[],"
         "\"type\":\"static univ\",\"attributes\":{}}");
  HAS(j, "{\"prefix\":\"192.0.2.0/24\",\"dest\":\"unreachable\",\"proto\":\"peer_b\","
         "\"since\":\"11:43:22.921\",\"from\":\"127.0.0.2\",\"primary\":true,\"preference\":100,"
         "\"metric\":null,\"bgp_as\":65002,\"via\":[],\"type\":\"BGP univ\","
         "\"attributes\":{\"BGP.origin\":\"IGP\",\"BGP.as_path\":\"65002\","
         "\"BGP.next_hop\":\"127.0.0.2\",\"BGP.local_pref\":\"100\","
         "\"BGP.community\":\"(65002,1) (65001,100)\",\"BGP.large_community\":\"(65002, 2, 3)\","
         "\"rs_tag\":\"42\"}}");
  free(j);

  free(run("b-show_route_all", "show route all"));

  j = run("show_route_import_table_peer_b.ipv4_all", "show route import table peer_b.ipv4 all");
  HAS(j, "{\"tables\":[{\"name\":\"import\",\"routes\":[{\"prefix\":\"192.0.2.0/24\"");
  HAS(j, "\"prefix\":\"100.64.1.0/25\"");
  free(j);

  j = run("synthetic-show_route_all", "show route all");
  HAS(j, "\"dest\":\"unicast\",\"proto\":\"st\",\"since\":\"12:13:28.046\",\"from\":null,"
         "\"primary\":true,\"preference\":200,\"metric\":null,\"bgp_as\":null,"
         "\"via\":[{\"gw\":\"192.0.2.1\",\"iface\":\"eth0\"}],\"type\":\"static univ\"");
  HAS(j, "\"since\":\"2026-11-26 11:43:22\",\"from\":\"10.1.1.1\",\"primary\":true,"
         "\"preference\":150,\"metric\":20,");
  HAS(j, "\"via\":[{\"gw\":\"10.1.1.1\",\"iface\":\"eth1\",\"weight\":1},"
         "{\"gw\":\"10.1.1.2\",\"iface\":\"eth2\",\"weight\":2},"
         "{\"gw\":null,\"iface\":\"eth3\",\"onlink\":true}]");
  /* blank net column: same net as the route before; "(100/-)": no metric */
  HAS(j, "{\"prefix\":\"10.0.0.0/8\",\"dest\":\"unreachable\",\"proto\":\"peer_c\"");
  HAS(j, "\"primary\":false,\"preference\":100,\"metric\":null,\"bgp_as\":65004");
  HAS(j, "\"BGP.community\":\"(65004,1) (65004,2) (65004,3) (65004,4)\"");
  HAS(j, "\"note\":\"\\\"quoted \\\\\\\\ text\\\"\"");
  HAS(j, "{\"name\":\"r4\",\"routes\":[{\"prefix\":\"192.0.2.0/24-24 AS65002\",\"dest\":null,"
         "\"proto\":\"roas\"");
  free(j);

  j = run("synthetic-show_route", "show route");
  HAS(j, "\"via\":[{\"gw\":\"192.0.2.1\",\"iface\":\"eth0\"}],\"type\":null,\"attributes\":null}");
  HAS(j, "{\"prefix\":\"198.18.1.0/24\",\"dest\":\"blackhole\"");
  HAS(j, "{\"prefix\":\"2001:db8::/32\",\"dest\":\"prohibited\",\"proto\":\"st\","
         "\"since\":\"12:13:28.046\",\"from\":null,\"primary\":false");
  free(j);
}

static void test_count_memory(void)
{
  char *j = run("show_route_count", "show route count");
  CHECK_STR(j, "{\"tables\":[{\"name\":\"master4\",\"routes\":4,\"of\":4,\"networks\":4},"
               "{\"name\":\"master6\",\"routes\":0,\"of\":0,\"networks\":0},"
               "{\"name\":\"r4\",\"routes\":0,\"of\":0,\"networks\":0}],"
               "\"total\":{\"routes\":4,\"of\":4,\"networks\":4,\"tables\":3}}\n");
  free(j);
  j = run("synthetic-show_route_table_master4_count", "show route table master4 count");
  CHECK_STR(j, "{\"tables\":[{\"name\":\"master4\",\"routes\":12,\"of\":14,\"networks\":10}],"
               "\"total\":null}\n");
  free(j);

  j = run("show_memory", "show memory");
  CHECK_STR(j, "{\"routing_tables\":{\"effective\":46592,\"overhead\":13926},"
               "\"route_attributes\":{\"effective\":2148,\"overhead\":8856},"
               "\"protocols\":{\"effective\":23552,\"overhead\":11878},"
               "\"current_config\":{\"effective\":24678,\"overhead\":776},"
               "\"standby_memory\":{\"effective\":0,\"overhead\":65536},"
               "\"total\":{\"effective\":116838,\"overhead\":107008}}\n");
  free(j);
  j = run("synthetic-show_memory", "show memory");
  CHECK_STR(j, "{\"routing_tables\":{\"effective\":92379546,\"overhead\":null},"
               "\"total\":{\"effective\":1610612736,\"overhead\":null}}\n");
  free(j);
}

static void test_errors_generic(void)
{
  char *j = run("show_route_1.2.3.0_24", "show route 1.2.3.0/24");
  CHECK_STR(j, "{\"error\":{\"code\":8001,\"message\":\"Network not found\"}}\n");
  free(j);
  j = run("eval_1+_a_", "eval 1+\"a\"");
  CHECK_STR(j, "{\"error\":{\"code\":9001,\"message\":\"Argument 2 of ADD must be of type int, "
               "got type string\"}}\n");
  free(j);
  j = run("show_protocols__xyz__", "show protocols \"xyz*\"");
  CHECK_STR(j, "{\"error\":{\"code\":8003,\"message\":\"No protocols match\"}}\n");
  free(j);
  j = run("configure_check", "configure check");
  CHECK_STR(j, "{\"code\":20,\"lines\":[\"Reading configuration from a.conf\",\"Configuration OK\"]}\n");
  free(j);
  j = run("show_interfaces_summary", "show interfaces summary");
  HAS(j, "{\"code\":0,\"lines\":[\"Interface  State  IPv4 address       IPv6 address\",");
  free(j);
}

static void test_kind_and_escaping(void)
{
  CHECK_INT(json_kind_of("show route for 1.2.3.4 all"), JSON_ROUTES);
  CHECK_INT(json_kind_of("show route protocol p count"), JSON_COUNT);
  CHECK_INT(json_kind_of("show route stats"), JSON_COUNT);
  CHECK_INT(json_kind_of("show route where x = \"count\" filter count"), JSON_ROUTES);
  CHECK_INT(json_kind_of("show protocols all"), JSON_PROTOCOLS);
  CHECK_INT(json_kind_of("show interfaces"), JSON_GENERIC);
  CHECK_INT(json_kind_of("configure"), JSON_GENERIC);
  CHECK_INT(json_kind_of(""), JSON_GENERIC);

  struct reply r;
  reply_init(&r);
  reply_push(&r, 23, "a\"b\\c\x01\td\xc3\xa9\xff\xe2\x82");
  r.code = 23;
  struct jbuf b;
  jbuf_init(&b);
  json_convert(JSON_GENERIC, &r, &b);
  CHECK_STR(b.s, "{\"code\":23,\"lines\":[\"a\\\"b\\\\c\\u0001\\td\xc3\xa9\\ufffd\\ufffd\\ufffd\"]}\n");
  CHECK(json_valid(b.s));
  jbuf_free(&b);
  reply_free(&r);

  /* an empty reply still gives valid documents of every kind */
  reply_init(&r);
  reply_push(&r, 0, "");
  r.code = 0;
  for (int k = JSON_GENERIC; k <= JSON_MEMORY; k++) {
    jbuf_init(&b);
    json_convert((enum json_kind) k, &r, &b);
    CHECK(json_valid(b.s));
    jbuf_free(&b);
  }
  reply_free(&r);
}

static void test_validator(void)
{
  CHECK(json_valid("{\"a\":[1,-2.5,true,false,null,\"x\\u00e9\"]}"));
  CHECK(!json_valid("{\"a\":1,}"));
  CHECK(!json_valid("[1 2]"));
  CHECK(!json_valid("\"tab\there\""));
  CHECK(!json_valid("{\"a\":01x}"));
  CHECK(!json_valid("[1]]"));
}

int main(void)
{
  test_validator();
  test_status();
  test_protocols();
  test_routes();
  test_count_memory();
  test_errors_generic();
  test_kind_and_escaping();
  return unit_done("json_test");
}
