/*
 * lib/lists.h: intrusive circular doubly-linked lists with a sentinel.
 *
 * A list owns a sentinel node (list.head); an empty list's sentinel points
 * to itself, so insertion and removal never special-case the ends. Objects
 * embed a `node` as their FIRST member, which lets the WALK_LIST macros
 * hand out typed pointers directly. An unlinked node has NULL pointers, so
 * rem_node() on it is a harmless no-op.
 */
#ifndef TERN_LIB_LISTS_H
#define TERN_LIB_LISTS_H

#include <stddef.h>

typedef struct node {
  struct node *next, *prev;
} node;

typedef struct list {
  node head;
} list;

#define EMPTY_LIST(l) ((l).head.next == &(l).head)
#define HEAD(l) (EMPTY_LIST(l) ? NULL : (void *) (l).head.next)
#define TAIL(l) (EMPTY_LIST(l) ? NULL : (void *) (l).head.prev)

/* A static initialiser for a list variable named `l`. */
#define LIST_INIT(l) { { &(l).head, &(l).head } }

/* n: typed pointer to a struct whose first member is a node. */
#define WALK_LIST(n, l) \
  for ((n) = (void *) (l).head.next; (node *) (n) != &(l).head; \
       (n) = (void *) ((node *) (n))->next)

#define WALK_LIST_BACKWARDS(n, l) \
  for ((n) = (void *) (l).head.prev; (node *) (n) != &(l).head; \
       (n) = (void *) ((node *) (n))->prev)

/* Safe against removing (and freeing) n inside the body. */
#define WALK_LIST_DELSAFE(n, nxt, l) \
  for ((n) = (void *) (l).head.next; \
       (node *) (n) != &(l).head && ((nxt) = (void *) ((node *) (n))->next, 1); \
       (n) = (void *) (nxt))

static inline void init_list(list *l)
{
  l->head.next = l->head.prev = &l->head;
}

static inline void init_node(node *n)
{
  n->next = n->prev = NULL;
}

static inline int node_linked(const node *n)
{
  return n->next != NULL;
}

/* Link n between two adjacent nodes. */
static inline void list_link_(node *n, node *prev, node *next)
{
  n->prev = prev;
  n->next = next;
  prev->next = n;
  next->prev = n;
}

static inline void add_tail(list *l, node *n)
{
  list_link_(n, l->head.prev, &l->head);
}

static inline void add_head(list *l, node *n)
{
  list_link_(n, &l->head, l->head.next);
}

static inline void insert_node(node *n, node *after)
{
  list_link_(n, after, after->next);
}

static inline void rem_node(node *n)
{
  if (n->next) {
    n->prev->next = n->next;
    n->next->prev = n->prev;
  }
  n->next = n->prev = NULL;
}

static inline unsigned int list_length(const list *l)
{
  unsigned int len = 0;
  for (const node *n = l->head.next; n != &l->head; n = n->next)
    len++;
  return len;
}

/* Move every node of `from` to the end of `to`; `from` ends up empty. */
static inline void add_tail_list(list *to, list *from)
{
  if (EMPTY_LIST(*from))
    return;
  node *first = from->head.next, *last = from->head.prev;
  first->prev = to->head.prev;
  to->head.prev->next = first;
  last->next = &to->head;
  to->head.prev = last;
  init_list(from);
}

#endif
