/*
 * fib/layout.h: the shared-memory region both ternd (writer) and ternfwd
 * (readers) map. This file is the contract between the two processes: bump
 * FIB_LAYOUT_VERSION on any change a reader could misread.
 *
 *   +----------------------+  0
 *   | struct fib_header    |  magic, version, sizes, generation, trie roots
 *   | reader slots [64]    |  one cache line each: pid + epoch
 *   +----------------------+  hdr_size (mapped read-write by readers)
 *   | next-hop table       |  struct fib_nh [nh_cap]
 *   | SA table             |  sa_cap entries of sa_size bytes (opaque here)
 *   | IPv4 Poptrie         |  direct array, node array, leaf array
 *   | IPv6 Poptrie         |  direct array, node array, leaf array
 *   +----------------------+  region_size (mapped read-only by readers)
 *
 * Everything inside the region is addressed by offsets or array indices,
 * never pointers: the processes map it at different addresses.
 */
#ifndef TERN_FIB_LAYOUT_H
#define TERN_FIB_LAYOUT_H

#include <stdint.h>

#define FIB_MAGIC          0x3142494e52455455ULL /* "UTERNIB1" little endian */
#define FIB_LAYOUT_VERSION 1u
#define FIB_MAX_READERS    64
#define FIB_STRIDE         6                     /* bits per Poptrie node */

/* A direct-pointing entry: a leaf (next-hop index) or the index of a node. */
#define FIB_DIR_LEAF       0x80000000u

/* Leaves are 16 bits (paper's choice): 65 536 next-hop indices, 0 = no route. */
typedef uint16_t fib_leaf_t;
#define FIB_NH_MAX         65536u

/*
 * One Poptrie internal node (paper section 3): a chunk value v selects either
 * a child node (bit v of vector set) at children[base1 + popcnt(vector <= v) - 1]
 * or a leaf at leaves[base0 + popcnt(leafvec <= v) - 1]. leafvec marks where
 * a run of equal leaves starts (leaf compression).
 */
struct fib_node {
  uint64_t vector;
  uint64_t leafvec;
  uint32_t base0;   /* first leaf in the leaf array */
  uint32_t base1;   /* first child in the node array */
};

/* Where one family's Poptrie lives inside the region. */
struct fib_trie_hdr {
  uint32_t key_bits;   /* 32 or 128 */
  uint32_t dir_bits;   /* s: direct-pointed top bits (16..18) */
  uint64_t dir_off;    /* uint32_t [1 << dir_bits] */
  uint64_t node_off;   /* struct fib_node [node_cap] */
  uint64_t leaf_off;   /* fib_leaf_t [leaf_cap] */
  uint32_t node_cap;
  uint32_t leaf_cap;
  uint64_t routes;     /* statistics, written by the writer only */
  uint64_t nodes_used;
  uint64_t leaves_used;
};

/* Next-hop kinds. Values are part of the layout; add new kinds at the end. */
enum fib_nh_kind {
  FIB_NH_NOROUTE = 0,  /* index 0: no matching route */
  FIB_NH_DROP = 1,
  FIB_NH_PUNT = 2,     /* hand to the control plane */
  FIB_NH_FORWARD = 3,  /* out of port, to neighbour addr */
  FIB_NH_TUNNEL = 4,   /* encapsulate with outbound SA sa */
};

/* One shared next hop (32 bytes, two per cache line). */
struct fib_nh {
  uint8_t kind;        /* enum fib_nh_kind */
  uint8_t family;      /* 4 or 6: which kind of address addr holds; 0 none */
  uint16_t port;
  uint32_t sa;         /* outbound SA index (FIB_NH_TUNNEL) */
  uint8_t addr[16];    /* neighbour: IPv4 in the first 4 bytes, network order */
  uint32_t flags;      /* reserved, 0 */
  uint32_t reserved;
};

/* A reader slot: a reader lcore reports the generation it has seen. */
struct fib_reader_slot {
  uint32_t pid;        /* 0: free */
  uint32_t tid;        /* informational */
  uint64_t epoch;      /* 0: offline (holds no references) */
  uint64_t pad[6];
} __attribute__((aligned(64)));

struct fib_header {
  uint64_t magic;
  uint32_t version;
  uint32_t hdr_size;
  uint64_t region_size;
  uint64_t generation;     /* bumped (release) after every published change */
  uint32_t writer_pid;
  uint32_t superseded;     /* set when a newer region replaced this file */
  uint64_t nh_off;
  uint32_t nh_cap;
  uint32_t nh_size;        /* sizeof(struct fib_nh) */
  uint64_t sa_off;
  uint32_t sa_cap;
  uint32_t sa_size;
  struct fib_trie_hdr trie[2]; /* [0] IPv4, [1] IPv6 */
  uint8_t pad[64];
  struct fib_reader_slot readers[FIB_MAX_READERS];
};

#endif
