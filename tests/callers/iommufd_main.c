// SPDX-License-Identifier: GPL-2.0
/*
 * Drive the PFN readers of drivers/iommu/iommufd/pages.c on a fake domain.
 *
 * The functions under test are extracted from a kernel tree at test time
 * (CALLERS_EXTRACTED names the file); this file supplies what they need from
 * io_pagetable.h and a command loop.  The domain is filled by the tree's own
 * batch_to_domain(), so it holds what iommufd would have mapped.  Commands,
 * one a line on stdin:
 *
 *   domain BITMAP                         new empty domain (hex page sizes)
 *   area IOVA LAST_IOVA OFFSET INDEX LAST_INDEX SMALL
 *   fill PFN...                           map one pfn per page index
 *   hole IOVA SIZE                        drop the leaves over a range
 *   batch START LAST SLOTS                batch_from_domain() into SLOTS runs
 *   continue START LAST PREFILL           batch_from_domain_continue() after
 *                                         PREFILL pages of the area
 *   raw START LAST                        raw_pages_from_domain()
 *   unfill SLOTS START:LAST:USED...       iopt_area_unpin_domain() over spans
 *                                         as __iopt_area_unfill_domain() does
 *
 * Each command prints one line.  Numbers are hex.
 */
#include "callers_stubs.h"

struct interval_tree_node {
	unsigned long start, last;
};

struct io_pagetable {
	bool disable_large_pages;
};

struct iopt_pages {
	bool writable;
	long npinned;
};

struct iopt_area {
	struct interval_tree_node node;		/* IOVA */
	struct interval_tree_node pages_node;	/* page indexes */
	struct io_pagetable *iopt;
	struct iopt_pages *pages;
	struct iommu_domain *storage_domain;
	unsigned int page_offset;
	int iommu_prot;
};

static inline unsigned long iopt_area_index(struct iopt_area *area)
{
	return area->pages_node.start;
}

static inline unsigned long iopt_area_last_index(struct iopt_area *area)
{
	return area->pages_node.last;
}

static inline unsigned long iopt_area_iova(struct iopt_area *area)
{
	return area->node.start;
}

static inline unsigned long iopt_area_last_iova(struct iopt_area *area)
{
	return area->node.last;
}

static void iopt_pages_sub_npinned(struct iopt_pages *pages, size_t npages)
{
	pages->npinned -= npages;
}

/* Unpins are the result of an unfill: log them. */
static void unpin_user_page_range_dirty_lock(struct page *page,
					     unsigned long npages, bool dirty)
{
	(void)dirty;
	printf(" unpin=%lx+%lx", page_to_pfn(page), npages);
}

#include CALLERS_EXTRACTED

static struct iommu_domain domain;
static struct io_pagetable iopt;
static struct iopt_pages pages;
static struct iopt_area area = { .iopt = &iopt, .pages = &pages,
				 .iommu_prot = IOMMU_READ | IOMMU_WRITE };
static unsigned long *area_pfns;	/* pfn of each page index of the area */

static void batch_alloc(struct pfn_batch *batch, unsigned int slots)
{
	batch->pfns = calloc(slots, sizeof(*batch->pfns));
	batch->npfns = calloc(slots, sizeof(*batch->npfns));
	if (!batch->pfns || !batch->npfns)
		abort();
	batch->array_size = slots;
	batch_clear(batch);
}

static void batch_free(struct pfn_batch *batch)
{
	free(batch->pfns);
	free(batch->npfns);
}

static void print_batch(struct pfn_batch *batch)
{
	unsigned int i;

	printf(" total=%x runs=", batch->total_pfns);
	for (i = 0; i < batch->end; i++)
		printf("%s%lx:%x", i ? "," : "", batch->pfns[i], batch->npfns[i]);
}

static void print_counters(void)
{
	printf(" lookups=%lx warns=%lx\n", domain.lookups, callers_warnings);
}

static void reset_counters(void)
{
	domain.lookups = 0;
	callers_warnings = 0;
}

static void cmd_fill(char **cursor)
{
	unsigned long n = area.pages_node.last - area.pages_node.start + 1;
	struct pfn_batch batch;
	unsigned long i;
	int rc;

	free(area_pfns);
	area_pfns = calloc(n, sizeof(*area_pfns));
	batch_alloc(&batch, n);
	for (i = 0; i < n; i++) {
		area_pfns[i] = callers_num(cursor);
		batch_add_pfn(&batch, area_pfns[i]);
	}
	callers_punch_hole(&domain, 0, ~0ULL);
	printf("fill");
	rc = batch_to_domain(&batch, &domain, &area, iopt_area_index(&area));
	pages.npinned = n;
	printf(" rc=%d", rc);
	callers_print_leaves(&domain);
	printf("\n");
	batch_free(&batch);
}

static void cmd_batch(char **cursor)
{
	unsigned long start = callers_num(cursor), last = callers_num(cursor);
	unsigned int slots = callers_num(cursor);
	struct pfn_batch batch;

	batch_alloc(&batch, slots);
	reset_counters();
	batch_from_domain(&batch, &domain, &area, start, last);
	printf("batch %lx %lx %x", start, last, slots);
	print_batch(&batch);
	print_counters();
	batch_free(&batch);
}

static void cmd_continue(char **cursor)
{
	unsigned long start = callers_num(cursor), last = callers_num(cursor);
	unsigned long prefill = callers_num(cursor), i;
	unsigned long first = start - prefill - iopt_area_index(&area);
	struct pfn_batch batch;

	batch_alloc(&batch, last - iopt_area_index(&area) + 1);
	for (i = 0; i < prefill; i++)
		batch_add_pfn(&batch, area_pfns[first + i]);
	reset_counters();
	batch_from_domain_continue(&batch, &domain, &area, start, last);
	printf("continue %lx %lx %lx", start, last, prefill);
	print_batch(&batch);
	print_counters();
	batch_free(&batch);
}

static void cmd_raw(char **cursor)
{
	unsigned long start = callers_num(cursor), last = callers_num(cursor);
	unsigned long n = last - start + 1, i;
	struct page **out = calloc(n + 1, sizeof(*out));
	struct page **end;

	for (i = 0; i <= n; i++)
		out[i] = (struct page *)(uintptr_t)1;	/* never written */
	reset_counters();
	end = raw_pages_from_domain(&domain, &area, start, last, out);
	printf("raw %lx %lx", start, last);
	if (!end) {
		printf(" stopped");
	} else {
		printf(" stored=%lx pfns=", (unsigned long)(end - out));
		for (i = 0; i < (unsigned long)(end - out); i++)
			printf("%s%lx", i ? "," : "", page_to_pfn(out[i]));
	}
	printf(" guard=%s", out[n] == (struct page *)(uintptr_t)1 ? "ok" : "overrun");
	print_counters();
	free(out);
}

/* __iopt_area_unfill_domain() without the interval trees: spans are given. */
static void cmd_unfill(char **cursor)
{
	unsigned int slots = callers_num(cursor);
	unsigned long start_index = iopt_area_index(&area);
	unsigned long last_index = iopt_area_last_index(&area);
	unsigned long unmapped_end_index = start_index;
	struct pfn_batch batch;
	char *tok;

	batch_alloc(&batch, slots);
	reset_counters();
	printf("unfill %x", slots);
	while ((tok = strtok_r(NULL, " \t\n", cursor))) {
		unsigned long s, l, used;

		if (sscanf(tok, "%lx:%lx:%lx", &s, &l, &used) != 3)
			exit(2);
		if (used) {
			batch_skip_carry(&batch, l - s + 1);
			continue;
		}
		iopt_area_unpin_domain(&batch, &area, &pages, &domain, s, l,
				       &unmapped_end_index, last_index);
	}
	if (unmapped_end_index != last_index + 1)
		iopt_area_unmap_domain_range(&area, &domain, unmapped_end_index,
					     last_index);
	printf(" carry=%x npinned=%lx", batch.total_pfns, pages.npinned);
	callers_print_leaves(&domain);
	print_counters();
	batch_free(&batch);
}

int main(void)
{
	char line[1 << 16];

	/* A stepping loop that stops making progress must fail, not hang */
	alarm(getenv("CALLERS_ALARM") ? atoi(getenv("CALLERS_ALARM")) : 20);
	callers_log = stdout;
	while (fgets(line, sizeof(line), stdin)) {
		char *cursor;
		char *cmd = strtok_r(line, " \t\n", &cursor);

		if (!cmd)
			continue;
		if (!strcmp(cmd, "domain")) {
			callers_domain_init(&domain, callers_num(&cursor));
			area.storage_domain = &domain;
		} else if (!strcmp(cmd, "area")) {
			area.node.start = callers_num(&cursor);
			area.node.last = callers_num(&cursor);
			area.page_offset = callers_num(&cursor);
			area.pages_node.start = callers_num(&cursor);
			area.pages_node.last = callers_num(&cursor);
			iopt.disable_large_pages = callers_num(&cursor);
		} else if (!strcmp(cmd, "fill")) {
			cmd_fill(&cursor);
		} else if (!strcmp(cmd, "hole")) {
			u64 iova = callers_num(&cursor);

			callers_punch_hole(&domain, iova, callers_num(&cursor));
		} else if (!strcmp(cmd, "batch")) {
			cmd_batch(&cursor);
		} else if (!strcmp(cmd, "continue")) {
			cmd_continue(&cursor);
		} else if (!strcmp(cmd, "raw")) {
			cmd_raw(&cursor);
		} else if (!strcmp(cmd, "unfill")) {
			cmd_unfill(&cursor);
		} else {
			fprintf(stderr, "unknown command %s\n", cmd);
			return 2;
		}
		fflush(stdout);
	}
	return 0;
}
