// SPDX-License-Identifier: GPL-2.0
/*
 * host_bench - the smoke variant of the in-kernel benchmark: the same walk
 * loops (kmod/walk_bench.h) and the same output lines as iova_bench.ko,
 * run on the host against a model page table, so `make test` exercises
 * the loops, the walk-count checks and the whole report pipeline in
 * seconds, without building or booting a kernel.
 *
 * The model is a 4-level radix table of 512 entries per level with a 4K
 * granule (x86-like: leaves of 4K, 2M and 1G), plus a contiguous hint that
 * repeats a 4K leaf over 16 aligned entries, as ARM's contiguous bit and
 * RISC-V's Svnapot do for 64K.  Each lookup walks it from the top.
 *
 * Usage: host_bench <range MiB> <repetitions>
 * Build with -DMUTATE_UNDER_REPORT to make the length lookup report 4K for
 * every leaf, which must break the walk count (the negative control).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../guest/guest_time.h"

typedef uint64_t u64;
#define PHYS_ADDR_MAX (~(u64)0)
#define PAGE 4096ULL
#define LEVELS 4
#define CONT 16

#define E_VALID 1ULL
#define E_LEAF 2ULL
#define E_CONT 4ULL
#define E_ADDR (~0xfffULL)

#define IOVA_BASE (1ULL << 30)
#define PHYS_BASE (2ULL << 30)

struct node {
	u64 e[512];
};

struct model {
	struct node *top;
};

static unsigned int shift(int lvl)
{
	return 12 + 9 * lvl;
}

static struct node *node_new(void)
{
	struct node *n = aligned_alloc(PAGE, sizeof(*n));

	if (!n) {
		perror("aligned_alloc");
		exit(1);
	}
	memset(n, 0, sizeof(*n));
	return n;
}

static void node_free(struct node *n, int lvl)
{
	int i;

	for (i = 0; lvl > 0 && i < 512; i++)
		if ((n->e[i] & E_VALID) && !(n->e[i] & E_LEAF))
			node_free((struct node *)(uintptr_t)(n->e[i] & E_ADDR), lvl - 1);
	free(n);
}

/* Install one entry at level lvl for iova */
static void set(struct model *m, u64 iova, int lvl, u64 entry)
{
	struct node *n = m->top;
	int l;

	for (l = LEVELS - 1; l > lvl; l--) {
		u64 *e = &n->e[(iova >> shift(l)) & 511];

		if (!(*e & E_VALID))
			*e = (u64)(uintptr_t)node_new() | E_VALID;
		n = (struct node *)(uintptr_t)(*e & E_ADDR);
	}
	n->e[(iova >> shift(lvl)) & 511] = entry;
}

static void map(struct model *m, u64 iova, u64 phys, u64 size, u64 leaf)
{
	int lvl = leaf >= (1ULL << 30) ? 2 : leaf >= (1ULL << 21) ? 1 : 0;
	u64 entry = leaf == 64 * 1024 ? E_CONT : 0;
	u64 off;

	/* a 64K leaf is 16 identical-looking 4K entries with the hint set */
	for (off = 0; off < size; off += 1ULL << shift(lvl))
		set(m, iova + off, lvl,
		    ((phys + off) & E_ADDR) | E_VALID | E_LEAF | entry);
}

/* Walk from the top; the level and entry of the leaf, or -1 */
static int walk_to_leaf(struct model *m, u64 iova, u64 *entry)
{
	struct node *n = m->top;
	int l;

	for (l = LEVELS - 1; l >= 0; l--) {
		u64 e = n->e[(iova >> shift(l)) & 511];

		if (!(e & E_VALID))
			return -1;
		if (e & E_LEAF) {
			*entry = e;
			return l;
		}
		n = (struct node *)(uintptr_t)(e & E_ADDR);
	}
	return -1;
}

static u64 model_lookup(struct model *m, u64 iova)
{
	u64 e;
	int l = walk_to_leaf(m, iova, &e);

	if (l < 0)
		return 0;
	return (e & E_ADDR & ~((1ULL << shift(l)) - 1)) | (iova & ((1ULL << shift(l)) - 1));
}

static u64 model_lookup_length(struct model *m, u64 iova, size_t *length)
{
	u64 e;
	int l = walk_to_leaf(m, iova, &e);

	if (l < 0)
		return PHYS_ADDR_MAX;
	*length = (size_t)1 << shift(l);
	if (e & E_CONT)
		*length *= CONT;
#ifdef MUTATE_UNDER_REPORT
	*length = PAGE;
#endif
	return (e & E_ADDR & ~((1ULL << shift(l)) - 1)) | (iova & ((1ULL << shift(l)) - 1));
}

#define WALK_CTX struct model
#define WALK_PAGE PAGE
#define WALK_PHYS_ERR PHYS_ADDR_MAX
#define WALK_NOW() guest_now_ns()
#include "walk_bench.h"

DEFINE_WALK_OLD(model, model_lookup)
DEFINE_WALK_NEW(model, model_lookup_length)

static const u64 leaves[] = { 4096, 64 * 1024, 2 << 20, 1 << 30 };

int main(int argc, char **argv)
{
	unsigned int reps, i, j, k, cases = 0, errors = 0;
	struct walk_result r;
	u64 size;

	if (argc != 3) {
		fprintf(stderr, "usage: %s <range MiB> <repetitions>\n", argv[0]);
		return 2;
	}
	size = strtoull(argv[1], NULL, 0) << 20;
	reps = atoi(argv[2]);
	printf("iova_bench: start range=%llu reps=%u page=%llu length_op=1 pgtable_old_op=1\n",
	       (unsigned long long)size, reps, PAGE);
	for (i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		u64 leaf = leaves[i], phys = PHYS_BASE + leaf;
		struct model m = { node_new() };

		if (leaf > size) {
			printf("iova_bench: skip fmt=model leaf=%llu reason=larger_than_range\n",
			       (unsigned long long)leaf);
			free(m.top);
			continue;
		}
		map(&m, IOVA_BASE, phys, size, leaf);
		for (j = 0; j < 2; j++) {
			const char *method = j ? "new" : "old";
			u64 expected = j ? size / leaf : size / PAGE;
			char list[64 * 21] = "";

			for (k = 0; k < reps && k < 64; k++) {
				if (j)
					walk_new_model(&m, IOVA_BASE, size, phys, leaf, &r);
				else
					walk_old_model(&m, IOVA_BASE, size, phys, &r);
				if (r.failed || r.walks != expected)
					break;
				sprintf(list + strlen(list), "%s%llu", k ? "," : "",
					(unsigned long long)r.ns);
			}
			if (r.failed || r.walks != expected) {
				printf("iova_bench: error fmt=model leaf=%llu method=%s walks=%llu expected=%llu %s\n",
				       (unsigned long long)leaf, method,
				       (unsigned long long)r.walks,
				       (unsigned long long)expected, r.failed ? r.why : "");
				errors++;
				continue;
			}
			printf("iova_bench: case fmt=model leaf=%llu method=%s op=model_%s walks=%llu expected=%llu ns=%s\n",
			       (unsigned long long)leaf, method,
			       j ? "iova_to_phys_length" : "iova_to_phys",
			       (unsigned long long)r.walks,
			       (unsigned long long)expected, list);
			cases++;
		}
		node_free(m.top, LEVELS - 1);
	}
	printf("iova_bench: done cases=%u errors=%u\n", cases, errors);
	return errors ? 1 : 0;
}
