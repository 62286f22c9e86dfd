/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough kernel API to compile the IOVA stepping loops of the callers
 * (iommufd pages.c, VFIO type1, iommu.c direct mappings) as a host program,
 * around a fake IOMMU domain.
 *
 * Written for this harness, not copied.  Types have the widths of a 64-bit
 * kernel; PAGE_SHIFT comes from the command line (-DPAGE_SHIFT=12/14/16) so
 * that IOMMU leaves smaller than a CPU page can be tried.
 *
 * The fake domain is a sorted array of leaves, each an aligned power of two
 * of IOVA mapped linearly to a physical address.  iommu_map() splits a range
 * into the largest leaves its pgsize_bitmap and the alignment of both
 * addresses allow, as the core does; iommu_unmap() removes whole leaves from
 * the start of a range and stops at the first hole, as the core does.
 * Every lookup is counted, so tests can compare how many walks a loop does.
 */
#ifndef CALLERS_STUBS_H
#define CALLERS_STUBS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef unsigned int gfp_t;

#ifndef PAGE_SHIFT
#define PAGE_SHIFT 12
#endif
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PHYS_ADDR_MAX (~(phys_addr_t)0)
#define PHYS_PFN(x) ((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_PHYS(x) ((phys_addr_t)(x) << PAGE_SHIFT)
#define U32_MAX ((u32)~0U)

#define CONFIG_IOMMUFD_TEST 1
#define __CALLERS_ARG_1 0,
#define __callers_second(ignored, val, ...) val
#define __callers_defined(x) ___callers_defined(x)
#define ___callers_defined(val) ____callers_defined(__CALLERS_ARG_##val)
#define ____callers_defined(junk) __callers_second(junk 1, 0, 0)
#define IS_ENABLED(option) __callers_defined(option)

#define __user
#define __always_unused __attribute__((unused))
#define __maybe_unused __attribute__((unused))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define EXPORT_SYMBOL_GPL(x)
#define lockdep_assert_held(l) do { (void)(l); } while (0)
#define cond_resched() do { } while (0)
#define might_sleep() do { } while (0)

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define min3(a, b, c) min(min(a, b), c)
#define ALIGN(x, a) (((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#define round_up(x, y) ((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#define round_down(x, y) ((x) & ~((__typeof__(x))((y) - 1)))
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define type_max(t) ((t)~(t)0)
#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
static inline unsigned long __ffs(unsigned long x) { return __builtin_ctzl(x); }

#define EINVAL 22
#define ENOMEM 12
#define EEXIST 17
#define EFAULT 14
#define GFP_KERNEL 0
#define GFP_KERNEL_ACCOUNT 0
#define IOMMU_READ (1 << 0)
#define IOMMU_WRITE (1 << 1)
#define IOMMU_CACHE (1 << 2)
#define IOMMU_MMIO (1 << 4)

/* WARN*() count their hits, so tests can ask "did it warn?" */
extern unsigned long callers_warnings;
#define WARN_ON(cond) ({ int __c = !!(cond); \
	if (__c) { callers_warnings++; fprintf(stderr, "WARN %s:%d\n", __FILE__, __LINE__); } \
	__c; })
#define WARN_ON_ONCE(cond) WARN_ON(cond)

/* ------------------------------------------------------------ lists */
struct list_head {
	struct list_head *next, *prev;
};
#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
static inline void INIT_LIST_HEAD(struct list_head *l) { l->next = l->prev = l; }
static inline bool list_empty(const struct list_head *l) { return l->next == l; }
static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_for_each_entry(pos, head, member) \
	for (pos = list_first_entry(head, __typeof__(*pos), member); \
	     &pos->member != (head); pos = list_next_entry(pos, member))
#define list_for_each_entry_continue(pos, head, member) \
	for (pos = list_next_entry(pos, member); &pos->member != (head); \
	     pos = list_next_entry(pos, member))

/* ------------------------------------------------------------ pages */
/* A struct page pointer is just its pfn in disguise. */
struct page;
#define pfn_to_page(pfn) ((struct page *)(uintptr_t)(((unsigned long)(pfn) + 1) * 64))
#define page_to_pfn(page) ((unsigned long)((uintptr_t)(page) / 64 - 1))

/* ------------------------------------------------------------ fake domain */
struct callers_leaf {
	u64 iova;
	u64 size;
	phys_addr_t phys;
};

struct iommu_domain {
	unsigned long pgsize_bitmap;
	struct callers_leaf *leaves;	/* sorted by iova, never overlapping */
	size_t nr, cap;
	unsigned long lookups;
	int fail_map_after;		/* iommu_map() calls to allow, -1: all */
	int fail_unmap_after;		/* iommu_unmap() calls to allow, -1: all;
					   a failing one unmaps nothing */
};

struct iommu_iotlb_gather {
	int unused;
};
static inline void iommu_iotlb_gather_init(struct iommu_iotlb_gather *g) { (void)g; }

void callers_domain_init(struct iommu_domain *d, unsigned long pgsize_bitmap);
const struct callers_leaf *callers_find_leaf(struct iommu_domain *d, u64 iova);
int callers_add_leaf(struct iommu_domain *d, u64 iova, u64 size, phys_addr_t phys);
void callers_punch_hole(struct iommu_domain *d, u64 iova, u64 size);
void callers_print_leaves(struct iommu_domain *d);
/* The mains: the next hex number of a command line (strtok_r), or exit 2. */
unsigned long callers_num(char **cursor);

phys_addr_t iommu_iova_to_phys(struct iommu_domain *d, dma_addr_t iova);
phys_addr_t iommu_iova_to_phys_length(struct iommu_domain *d, dma_addr_t iova,
				      size_t *length);
int iommu_map(struct iommu_domain *d, unsigned long iova, phys_addr_t paddr,
	      size_t size, int prot, gfp_t gfp);
size_t iommu_unmap(struct iommu_domain *d, unsigned long iova, size_t size);
size_t iommu_unmap_fast(struct iommu_domain *d, unsigned long iova, size_t size,
			struct iommu_iotlb_gather *gather);

/* Every iommu_map()/iommu_unmap() is logged here, in call order. */
extern FILE *callers_log;

#endif
