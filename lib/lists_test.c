/*
 * lib/lists_test.c: unit tests for the intrusive lists.
 */
#include "lib/lists.h"
#include "test/unit.h"

struct item {
  node n;
  int v;
};

/* Concatenate the values front to back, e.g. "123". */
static const char *dump(list *l)
{
  static char buf[64];
  struct item *it;
  int i = 0;
  WALK_LIST(it, *l)
    buf[i++] = '0' + it->v;
  buf[i] = 0;
  return buf;
}

static const char *dump_back(list *l)
{
  static char buf[64];
  struct item *it;
  int i = 0;
  WALK_LIST_BACKWARDS(it, *l)
    buf[i++] = '0' + it->v;
  buf[i] = 0;
  return buf;
}

static void test_basic(void)
{
  list l;
  struct item it[6];
  init_list(&l);
  CHECK(EMPTY_LIST(l));
  CHECK(HEAD(l) == NULL);
  CHECK(TAIL(l) == NULL);
  CHECK_INT(list_length(&l), 0);
  for (int i = 0; i < 6; i++) {
    it[i].v = i;
    init_node(&it[i].n);
  }
  add_tail(&l, &it[1].n);
  add_tail(&l, &it[2].n);
  add_head(&l, &it[0].n);
  CHECK(!EMPTY_LIST(l));
  CHECK_STR(dump(&l), "012");
  CHECK_STR(dump_back(&l), "210");
  CHECK(HEAD(l) == &it[0]);
  CHECK(TAIL(l) == &it[2]);
  insert_node(&it[3].n, &it[0].n);
  CHECK_STR(dump(&l), "0312");
  insert_node(&it[4].n, &it[2].n);
  CHECK_STR(dump(&l), "03124");
  CHECK(TAIL(l) == &it[4]);
  CHECK_INT(list_length(&l), 5);
  rem_node(&it[3].n);
  CHECK(it[3].n.next == NULL && it[3].n.prev == NULL);
  CHECK(!node_linked(&it[3].n));
  CHECK_STR(dump(&l), "0124");
  rem_node(&it[3].n);   /* again: harmless */
  rem_node(&it[5].n);   /* never linked */
  CHECK_STR(dump(&l), "0124");
  rem_node(&it[0].n);
  rem_node(&it[4].n);
  CHECK_STR(dump(&l), "12");
  rem_node(&it[1].n);
  rem_node(&it[2].n);
  CHECK(EMPTY_LIST(l));
}

static void test_delsafe(void)
{
  list l;
  struct item it[10], *x;
  node *nxt;
  init_list(&l);
  for (int i = 0; i < 10; i++) {
    it[i].v = i;
    add_tail(&l, &it[i].n);
  }
  WALK_LIST_DELSAFE(x, nxt, l)
    if (x->v % 2)
      rem_node(&x->n);
  CHECK_STR(dump(&l), "02468");
  void *vnxt;
  WALK_LIST_DELSAFE(x, vnxt, l)
    rem_node(&x->n);
  CHECK(EMPTY_LIST(l));
}

static void test_add_tail_list(void)
{
  list a, b, c;
  struct item it[5];
  init_list(&a);
  init_list(&b);
  init_list(&c);
  for (int i = 0; i < 5; i++) {
    it[i].v = i;
    add_tail(i < 2 ? &a : &b, &it[i].n);
  }
  add_tail_list(&a, &b);
  CHECK_STR(dump(&a), "01234");
  CHECK(EMPTY_LIST(b));
  CHECK_STR(dump_back(&a), "43210");
  add_tail_list(&a, &c);   /* empty source */
  CHECK_INT(list_length(&a), 5);
  add_tail_list(&c, &a);   /* empty destination */
  CHECK_STR(dump(&c), "01234");
  CHECK(EMPTY_LIST(a));
  CHECK(TAIL(c) == &it[4]);
}

static list static_list = LIST_INIT(static_list);

int main(void)
{
  test_basic();
  test_delsafe();
  test_add_tail_list();
  CHECK(EMPTY_LIST(static_list));
  return unit_done("lists");
}
