// SPDX-License-Identifier: GPL-2.0
/*
 * Drive vfio_unmap_unpin() and vfio_iommu_replay() of
 * drivers/vfio/vfio_iommu_type1.c on fake domains.
 *
 * The two functions (and what they use from their file) are extracted from a
 * kernel tree at test time (CALLERS_EXTRACTED); this file supplies the VFIO
 * structures they touch, pinning that reads a per-page pfn table, and an
 * unmap_unpin_fast()/_slow() pair that unmaps through the fake domain and
 * logs the unpin as the real ones count it: unmapped >> PAGE_SHIFT pages.
 * Commands, one a line on stdin (numbers are hex):
 *
 *   domain BITMAP                 add a domain to the container
 *   dma IOVA VADDR MAPPED PFN...  add a vfio_dma of one pfn per page; MAPPED
 *                                 1: map it into every domain, one iommu_map()
 *                                 per physically contiguous run; 2: mark it
 *                                 mapped but leave the mapping to "map"
 *   map DOMAIN IOVA PHYS SIZE     one iommu_map(), in the largest leaves
 *   hole DOMAIN IOVA SIZE         drop the leaves over a range of a domain
 *   fast 0|1                      let unmap_unpin_fast() succeed or fail
 *   unmap DMA                     vfio_unmap_unpin(), then the leaves left
 *   replay BITMAP MAPS [UNMAPS]   vfio_iommu_replay() into a new domain whose
 *                                 iommu_map() fails after MAPS calls (-1:
 *                                 never) and iommu_unmap() after UNMAPS calls
 *                                 (default -1), then the leaves of the new
 *                                 domain
 */
#include "callers_stubs.h"

struct rb_node {
	struct rb_node *next, *prev;
};

struct rb_root {
	struct rb_node *first;
};

#define rb_entry(ptr, type, member) container_of(ptr, type, member)
static struct rb_node *rb_first(struct rb_root *root) { return root->first; }
static struct rb_node *rb_next(struct rb_node *node) { return node->next; }
static struct rb_node *rb_prev(struct rb_node *node) { return node->prev; }

struct vfio_domain {
	struct iommu_domain *domain;
	struct list_head next;
};

struct vfio_iommu {
	struct list_head domain_list;
	struct rb_root dma_list;
};

struct vfio_dma {
	struct rb_node node;
	dma_addr_t iova;
	unsigned long vaddr;
	size_t size;
	int prot;
	bool iommu_mapped;
	unsigned long *pfns;		/* the pages behind vaddr */
};

struct vfio_batch {
	int unused;
};

#define RLIMIT_MEMLOCK 8
static unsigned long rlimit(int resource) { (void)resource; return ~0UL; }
static void vfio_batch_init(struct vfio_batch *batch) { (void)batch; }
static void vfio_batch_fini(struct vfio_batch *batch) { (void)batch; }

static void vfio_batch_unpin(struct vfio_batch *batch, struct vfio_dma *dma)
{
	(void)batch;
	(void)dma;
}

static int vfio_lock_acct(struct vfio_dma *dma, long npage, bool async)
{
	(void)dma;
	(void)async;
	printf(" acct=%lx", npage);
	return 0;
}

/* Pin the physically contiguous pages from vaddr on, as the real one does. */
static long vfio_pin_pages_remote(struct vfio_dma *dma, unsigned long vaddr,
				  unsigned long npage, unsigned long *pfn_base,
				  unsigned long limit, struct vfio_batch *batch)
{
	unsigned long first = (vaddr - dma->vaddr) >> PAGE_SHIFT;
	unsigned long n = 1;

	(void)limit;
	(void)batch;
	while (n < npage && dma->pfns[first + n] == dma->pfns[first] + n)
		n++;
	*pfn_base = dma->pfns[first];
	printf(" pin=%lx+%lx", *pfn_base, n);
	return n;
}

static long vfio_unpin_pages_remote(struct vfio_dma *dma, dma_addr_t iova,
				    unsigned long pfn, unsigned long npage,
				    bool do_accounting)
{
	(void)dma;
	(void)do_accounting;
	printf(" unpin=%llx:%lx+%lx", (unsigned long long)iova, pfn, npage);
	return npage;
}

static bool fast_works = true;

static size_t unmap_unpin_fast(struct vfio_domain *domain,
			       struct vfio_dma *dma, dma_addr_t iova,
			       size_t len, phys_addr_t phys, long *unlocked,
			       struct list_head *unmapped_list,
			       int *unmapped_cnt,
			       struct iommu_iotlb_gather *iotlb_gather)
{
	size_t unmapped;

	(void)unmapped_list;
	(void)unmapped_cnt;
	(void)iotlb_gather;
	if (!fast_works)
		return 0;
	unmapped = iommu_unmap(domain->domain, iova, len);
	if (unmapped)
		*unlocked += vfio_unpin_pages_remote(dma, iova, phys >> PAGE_SHIFT,
						     unmapped >> PAGE_SHIFT, false);
	return unmapped;
}

static size_t unmap_unpin_slow(struct vfio_domain *domain,
			       struct vfio_dma *dma, dma_addr_t iova,
			       size_t len, phys_addr_t phys, long *unlocked)
{
	size_t unmapped = iommu_unmap(domain->domain, iova, len);

	printf(" slow");
	if (unmapped)
		*unlocked += vfio_unpin_pages_remote(dma, iova, phys >> PAGE_SHIFT,
						     unmapped >> PAGE_SHIFT, false);
	return unmapped;
}

/* Never reached: unmap_unpin_fast() above keeps no regions. */
static long vfio_sync_unpin(struct vfio_dma *dma, struct vfio_domain *domain,
			    struct list_head *regions,
			    struct iommu_iotlb_gather *iotlb_gather)
{
	(void)dma;
	(void)domain;
	(void)regions;
	(void)iotlb_gather;
	abort();
}

#include CALLERS_EXTRACTED

#define MAX_DOMAINS 8
#define MAX_DMAS 64

static struct vfio_iommu iommu;
static struct iommu_domain domains[MAX_DOMAINS];
static struct vfio_domain vdomains[MAX_DOMAINS];
static int nr_domains;
static struct vfio_dma dmas[MAX_DMAS];
static int nr_dmas;

static void reset_counters(void)
{
	int i;

	for (i = 0; i < nr_domains; i++)
		domains[i].lookups = 0;
	callers_warnings = 0;
}

static void print_counters(void)
{
	unsigned long lookups = 0;
	int i;

	for (i = 0; i < nr_domains; i++)
		lookups += domains[i].lookups;
	printf(" lookups=%lx warns=%lx\n", lookups, callers_warnings);
}

static void cmd_domain(char **cursor)
{
	struct iommu_domain *d = &domains[nr_domains];

	callers_domain_init(d, callers_num(cursor));
	vdomains[nr_domains].domain = d;
	list_add_tail(&vdomains[nr_domains].next, &iommu.domain_list);
	nr_domains++;
}

/* Map a dma the way vfio_pin_map_dma() does: one call per contiguous run. */
static void map_dma(struct iommu_domain *d, struct vfio_dma *dma)
{
	unsigned long npages = dma->size >> PAGE_SHIFT, i = 0;

	while (i < npages) {
		unsigned long n = 1;

		while (i + n < npages && dma->pfns[i + n] == dma->pfns[i] + n)
			n++;
		if (iommu_map(d, dma->iova + i * PAGE_SIZE, PFN_PHYS(dma->pfns[i]),
			      n * PAGE_SIZE, 0, 0))
			printf(" map-failed");
		i += n;
	}
}

static void cmd_dma(char **cursor)
{
	struct vfio_dma *dma = &dmas[nr_dmas];
	unsigned long cap = 16, n = 0, mapped;
	char *tok;
	int i;

	dma->iova = callers_num(cursor);
	dma->vaddr = callers_num(cursor);
	mapped = callers_num(cursor);
	dma->iommu_mapped = mapped;
	dma->prot = IOMMU_READ | IOMMU_WRITE;
	dma->pfns = malloc(cap * sizeof(*dma->pfns));
	while ((tok = strtok_r(NULL, " \t\n", cursor))) {
		if (n == cap)
			dma->pfns = realloc(dma->pfns, (cap *= 2) * sizeof(*dma->pfns));
		dma->pfns[n++] = strtoul(tok, NULL, 16);
	}
	dma->size = n * PAGE_SIZE;
	/* dmas are added in IOVA order: the "tree" is a list */
	dma->node.prev = nr_dmas ? &dmas[nr_dmas - 1].node : NULL;
	if (nr_dmas)
		dmas[nr_dmas - 1].node.next = &dma->node;
	else
		iommu.dma_list.first = &dma->node;
	nr_dmas++;
	printf("dma %llx", (unsigned long long)dma->iova);
	if (mapped == 1)
		for (i = 0; i < nr_domains; i++)
			map_dma(&domains[i], dma);
	printf("\n");
}

static void cmd_unmap(char **cursor)
{
	struct vfio_dma *dma = &dmas[callers_num(cursor)];
	long unlocked;
	int i;

	reset_counters();
	printf("unmap %llx", (unsigned long long)dma->iova);
	unlocked = vfio_unmap_unpin(&iommu, dma, false);
	printf(" unlocked=%lx", unlocked);
	for (i = 0; i < nr_domains; i++)
		callers_print_leaves(&domains[i]);
	print_counters();
}

static void cmd_replay(char **cursor)
{
	struct iommu_domain *d = &domains[nr_domains];
	struct vfio_domain *vd = &vdomains[nr_domains];
	char *tok;
	int ret;

	callers_domain_init(d, callers_num(cursor));
	d->fail_map_after = (int)callers_num(cursor);
	tok = strtok_r(NULL, " \t\n", cursor);
	if (tok)
		d->fail_unmap_after = (int)strtoul(tok, NULL, 16);
	vd->domain = d;
	nr_domains++;			/* counted, not in the list */
	reset_counters();
	printf("replay");
	ret = vfio_iommu_replay(&iommu, vd);
	printf(" ret=%d", ret);
	callers_print_leaves(d);
	print_counters();
}

int main(void)
{
	char line[1 << 16];

	alarm(getenv("CALLERS_ALARM") ? atoi(getenv("CALLERS_ALARM")) : 20);
	callers_log = stdout;
	INIT_LIST_HEAD(&iommu.domain_list);
	while (fgets(line, sizeof(line), stdin)) {
		char *cursor;
		char *cmd = strtok_r(line, " \t\n", &cursor);

		if (!cmd)
			continue;
		if (!strcmp(cmd, "domain")) {
			cmd_domain(&cursor);
		} else if (!strcmp(cmd, "dma")) {
			cmd_dma(&cursor);
		} else if (!strcmp(cmd, "hole")) {
			struct iommu_domain *d = &domains[callers_num(&cursor)];
			u64 iova = callers_num(&cursor);

			callers_punch_hole(d, iova, callers_num(&cursor));
		} else if (!strcmp(cmd, "map")) {
			struct iommu_domain *d = &domains[callers_num(&cursor)];
			unsigned long iova = callers_num(&cursor);
			phys_addr_t phys = callers_num(&cursor);

			iommu_map(d, iova, phys, callers_num(&cursor), 0, 0);
			printf("\n");
		} else if (!strcmp(cmd, "fast")) {
			fast_works = callers_num(&cursor);
		} else if (!strcmp(cmd, "unmap")) {
			cmd_unmap(&cursor);
		} else if (!strcmp(cmd, "replay")) {
			cmd_replay(&cursor);
		} else {
			fprintf(stderr, "unknown command %s\n", cmd);
			return 2;
		}
		fflush(stdout);
	}
	return 0;
}
