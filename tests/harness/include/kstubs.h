/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel API to compile a driver's iova_to_phys
 * function, and the definitions it drags in, as a host program.
 *
 * Written for the harness, not copied: long and size_t are the host's (a
 * case built with -m32 checks a 32-bit size_t), phys_addr_t and dma_addr_t
 * are 64-bit as with CONFIG_PHYS_ADDR_T_64BIT, locks do nothing (the harness is
 * single threaded), and the linear map is the identity so that page tables
 * built in host memory below 4 GiB can be followed by physical address.
 */
#ifndef HARNESS_KSTUBS_H
#define HARNESS_KSTUBS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ types */
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef u16 __le16;
typedef u32 __le32;
typedef u64 __le64;
typedef u32 __be32;
typedef u64 __be64;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef u64 resource_size_t;
typedef unsigned int gfp_t;
typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic64_t;
typedef struct { int unused; } refcount_t;
typedef struct { long counter; } atomic_long_t;
typedef int irqreturn_t;

#define PHYS_ADDR_MAX	(~(phys_addr_t)0)
#define U8_MAX		((u8)~0U)
#define U16_MAX		((u16)~0U)
#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)
#define S32_MAX		((s32)(U32_MAX >> 1))

/* ------------------------------------------------------------ config */
#ifdef __LP64__
#define CONFIG_64BIT 1
#endif
#define CONFIG_PHYS_ADDR_T_64BIT 1
#define CONFIG_ARCH_DMA_ADDR_T_64BIT 1
/* IS_ENABLED(): 1 for an option defined to 1, else 0 (kconfig style). */
#define __HARNESS_ARG_PLACEHOLDER_1 0,
#define __harness_take_second(ignored, val, ...) val
#define __harness_is_defined(x) ___harness_is_defined(x)
#define ___harness_is_defined(val) \
	____harness_is_defined(__HARNESS_ARG_PLACEHOLDER_##val)
#define ____harness_is_defined(arg1_or_junk) \
	__harness_take_second(arg1_or_junk 1, 0, 0)
#define IS_ENABLED(option) __harness_is_defined(option)
#define IS_BUILTIN(option) __harness_is_defined(option)

/* ------------------------------------------------------------ annotations */
#define __iomem
#define __rcu
#define __percpu
#define __user
#define __force
#define __bitwise
#define __must_check
#define __maybe_unused __attribute__((unused))
#define __always_unused __attribute__((unused))
#undef __always_inline
#define __always_inline inline __attribute__((always_inline))
#define noinline __attribute__((noinline))
#define __init
#define __exit
#define __initdata
#define __initconst
#define __read_mostly
#define __ro_after_init
#define __packed __attribute__((packed))
#define __aligned(x) __attribute__((aligned(x)))
#define __counted_by(x)
#define __acquires(x)
#define __releases(x)
#define __must_hold(x)
#define __cond_acquires(x)
#define __no_context_analysis
#define __guarded_by(x)
#define __pt_guarded_by(x)
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define fallthrough __attribute__((__fallthrough__))
#define static_assert(expr, ...) _Static_assert(expr, #expr)
#define BUILD_BUG_ON(cond) ((void)sizeof(char[1 - 2 * !!(cond)]))
#define EXPORT_SYMBOL(x)
#define EXPORT_SYMBOL_GPL(x)
#define might_sleep() do { } while (0)
#define lockdep_assert_held(l) do { (void)(l); } while (0)

/* ------------------------------------------------------------ bits */
#define BITS_PER_LONG (8 * __SIZEOF_LONG__)
#define BITS_PER_BYTE 8
#define BITS_PER_LONG_LONG 64
#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
#define GENMASK(h, l) (((~0UL) << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define GENMASK_ULL(h, l) \
	(((~0ULL) << (l)) & (~0ULL >> (BITS_PER_LONG_LONG - 1 - (h))))
#define GENMASK_U32(h, l) ((u32)GENMASK(h, l))
#define GENMASK_U64(h, l) ((u64)GENMASK_ULL(h, l))
#define __harness_lowbit(mask) __builtin_ctzll((u64)(mask))
#define FIELD_GET(mask, reg) \
	((__typeof__(mask))(((reg) & (mask)) >> __harness_lowbit(mask)))
#define FIELD_PREP(mask, val) \
	((((__typeof__(mask))(val)) << __harness_lowbit(mask)) & (mask))
#define FIELD_MAX(mask) ((mask) >> __harness_lowbit(mask))
#define BITS_TO_LONGS(n) DIV_ROUND_UP(n, BITS_PER_LONG)
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]
#define lower_32_bits(n) ((u32)((n) & 0xffffffff))
#define upper_32_bits(n) ((u32)(((u64)(n)) >> 32))
#define DMA_BIT_MASK(n) (((n) == 64) ? ~0ULL : ((1ULL << (n)) - 1))

static inline int fls(unsigned int x) { return x ? 32 - __builtin_clz(x) : 0; }
/* ffs() is libc's */
static inline int fls64(u64 x) { return x ? 64 - __builtin_clzll(x) : 0; }
static inline int fls_long(unsigned long x) { return fls64(x); }
static inline unsigned long __ffs(unsigned long x) { return __builtin_ctzl(x); }
static inline unsigned long __fls(unsigned long x) { return BITS_PER_LONG - 1 - __builtin_clzl(x); }
static inline u64 __ffs64(u64 x) { return __builtin_ctzll(x); }
#define ilog2(n) ((int)(fls64((u64)(n)) - 1))
#define is_power_of_2(n) ((n) != 0 && (((n) & ((n) - 1)) == 0))
#define rounddown_pow_of_two(n) (1ULL << ilog2(n))
#define roundup_pow_of_two(n) ((n) <= 1 ? 1ULL : 1ULL << fls64((u64)(n) - 1))
#define order_base_2(n) ((n) > 1 ? ilog2((n) - 1) + 1 : 0)

/* ------------------------------------------------------------ sizes */
#define SZ_1 0x00000001
#define SZ_2 0x00000002
#define SZ_4 0x00000004
#define SZ_8 0x00000008
#define SZ_16 0x00000010
#define SZ_32 0x00000020
#define SZ_64 0x00000040
#define SZ_128 0x00000080
#define SZ_256 0x00000100
#define SZ_512 0x00000200
#define SZ_1K 0x00000400
#define SZ_2K 0x00000800
#define SZ_4K 0x00001000
#define SZ_8K 0x00002000
#define SZ_16K 0x00004000
#define SZ_32K 0x00008000
#define SZ_64K 0x00010000
#define SZ_128K 0x00020000
#define SZ_256K 0x00040000
#define SZ_512K 0x00080000
#define SZ_1M 0x00100000
#define SZ_2M 0x00200000
#define SZ_4M 0x00400000
#define SZ_8M 0x00800000
#define SZ_16M 0x01000000
#define SZ_32M 0x02000000
#define SZ_64M 0x04000000
#define SZ_128M 0x08000000
#define SZ_256M 0x10000000
#define SZ_512M 0x20000000
#define SZ_1G 0x40000000
#define SZ_2G 0x80000000
#define SZ_4G _AC(0x100000000, ULL)
#define SZ_8G _AC(0x200000000, ULL)
#define SZ_16G _AC(0x400000000, ULL)
#define SZ_32G _AC(0x800000000, ULL)
#define SZ_64G _AC(0x1000000000, ULL)
#define SZ_64T _AC(0x400000000000, ULL)
#define __AC(X, Y) (X##Y)
#define _AC(X, Y) __AC(X, Y)
#define _UL(x) (_AC(x, UL))
#define _ULL(x) (_AC(x, ULL))
#define UL(x) (_UL(x))
#define ULL(x) (_ULL(x))

#define PAGE_SHIFT 12
#define PAGE_SIZE (_AC(1, UL) << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define offset_in_page(p) ((unsigned long)(p) & ~PAGE_MASK)

/* ------------------------------------------------------------ arithmetic */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define umin(a, b) min(a, b)
#define umax(a, b) max(a, b)
#define clamp(v, lo, hi) min(max(v, lo), hi)
#define ALIGN(x, a) (((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define round_down(x, y) ((x) & ~((__typeof__(x))((y) - 1)))
#define round_up(x, y) ((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)
#define swap(a, b) do { __typeof__(a) __t = (a); (a) = (b); (b) = __t; } while (0)

/* ------------------------------------------------------------ errors */
#define EPERM 1
#define ENOENT 2
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define ENOMEM 12
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define ERANGE 34
#define EOPNOTSUPP 95
#define ETIMEDOUT 110
#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x) ((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE((unsigned long)ptr); }
static inline bool IS_ERR_OR_NULL(const void *ptr) { return !ptr || IS_ERR(ptr); }

/* ------------------------------------------------------------ diagnostics */
/*
 * Warnings and error messages are counted, so that a case can tell that a
 * lookup of a hole complained (omap) or that an aperture check fired (sprd).
 */
extern int harness_warnings;
extern int harness_messages;
#define WARN_ON(cond) ({ int __c = !!(cond); \
	if (__c) { harness_warnings++; \
		fprintf(stderr, "WARN_ON(%s) at %s:%d\n", #cond, __FILE__, __LINE__); } \
	__c; })
#define WARN_ON_ONCE(cond) WARN_ON(cond)
#define WARN(cond, ...) ({ int __c = !!(cond); \
	if (__c) { harness_warnings++; fprintf(stderr, __VA_ARGS__); } __c; })
#define WARN_ONCE(cond, ...) WARN(cond, __VA_ARGS__)
#define BUG_ON(cond) do { if (cond) { fprintf(stderr, "BUG_ON(%s)\n", #cond); abort(); } } while (0)
#define BUG() abort()
#define harness_printk(...) (harness_messages++, (void)fprintf(stderr, __VA_ARGS__))
#define pr_err(...) harness_printk(__VA_ARGS__)
#define pr_warn(...) harness_printk(__VA_ARGS__)
#define pr_info(...) harness_printk(__VA_ARGS__)
#define pr_debug(...) do { } while (0)
#define pr_err_ratelimited(...) harness_printk(__VA_ARGS__)
#define dev_err(dev, ...) ((void)(dev), harness_printk(__VA_ARGS__))
#define dev_warn(dev, ...) ((void)(dev), harness_printk(__VA_ARGS__))
#define dev_info(dev, ...) ((void)(dev), harness_printk(__VA_ARGS__))
#define dev_dbg(dev, ...) do { (void)(dev); } while (0)
#define dev_err_ratelimited(dev, ...) dev_err(dev, __VA_ARGS__)

/* ------------------------------------------------------------ memory */
/* The linear map is the identity: page tables live below 4 GiB. */
#define phys_to_virt(p) ((void *)(uintptr_t)(p))
#define virt_to_phys(v) ((phys_addr_t)(uintptr_t)(v))
#define __pa(v) virt_to_phys(v)
#define __va(p) phys_to_virt(p)
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) do { *(volatile __typeof__(x) *)&(x) = (v); } while (0)
#define smp_wmb() do { } while (0)
#define smp_rmb() do { } while (0)
#define wmb() do { } while (0)
#define dma_wmb() do { } while (0)
#define GFP_KERNEL 0x1u
#define GFP_ATOMIC 0x2u
#define GFP_DMA 0x4u
#define GFP_DMA32 0x8u
#define __GFP_ZERO 0x10u
#define __GFP_NOWARN 0x20u
#define kfree(p) free(p)
#define kzalloc(n, gfp) calloc(1, n)
#define kmalloc(n, gfp) malloc(n)

#define offsetofend(T, m) (offsetof(T, m) + sizeof(((T *)0)->m))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define container_of_const(ptr, type, member) container_of(ptr, type, member)

/* ------------------------------------------------------------ locks */
typedef struct { int unused; } spinlock_t;
typedef struct { int unused; } raw_spinlock_t;
typedef struct { int unused; } rwlock_t;
struct mutex { int unused; };
#define SMP_CACHE_BYTES 64
#define DEFINE_SPINLOCK(x) spinlock_t x
#define DEFINE_MUTEX(x) struct mutex x
#define spin_lock_init(l) do { (void)(l); } while (0)
#define spin_lock(l) do { (void)(l); } while (0)
#define spin_unlock(l) do { (void)(l); } while (0)
#define spin_lock_irqsave(l, f) do { (void)(l); (f) = 0; } while (0)
#define spin_unlock_irqrestore(l, f) do { (void)(l); (void)(f); } while (0)
#define mutex_lock(l) do { (void)(l); } while (0)
#define mutex_unlock(l) do { (void)(l); } while (0)
#define rcu_read_lock() do { } while (0)
#define rcu_read_unlock() do { } while (0)
#define guard(x) struct harness_unused_guard __maybe_unused
struct harness_unused_guard { int unused; };

/* ------------------------------------------------------------ lists */
struct list_head { struct list_head *next, *prev; };
struct hlist_node { struct hlist_node *next, **pprev; };
struct rcu_head { void *next; void (*func)(struct rcu_head *); };
#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
static inline void INIT_LIST_HEAD(struct list_head *l) { l->next = l->prev = l; }
static inline int list_empty(const struct list_head *h) { return h->next == h; }
static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_first_entry_or_null(ptr, type, member) \
	(list_empty(ptr) ? NULL : list_first_entry(ptr, type, member))
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_for_each_entry(pos, head, member) \
	for (pos = list_first_entry(head, __typeof__(*pos), member); \
	     &pos->member != (head); pos = list_next_entry(pos, member))

/* ------------------------------------------------------------ opaque kernel objects */
struct device { const char *name; };
struct device_node;
struct platform_device;
struct clk;
struct regmap;
struct dentry;
struct kmem_cache;
struct page;
struct iommu_group;
struct iommu_ops;
struct iommu_iotlb_gather;
struct iommu_dirty_bitmap;
struct iommu_fwspec;
struct of_phandle_args;
struct reset_control;
struct virtio_device;
struct virtqueue;
struct iommu_device { struct list_head list; const struct iommu_ops *ops; struct device *dev; };
struct iopf_queue;
struct work_struct { int unused; };
struct delayed_work { int unused; };
struct completion { int unused; };
struct ida { int unused; };
struct xarray { int unused; };
struct kref { int unused; };
struct notifier_block { int unused; };
struct resource { resource_size_t start, end; };
struct mmu_notifier { const void *ops; };
struct clk_bulk_data { const char *id; struct clk *clk; };

/* ------------------------------------------------------------ iommu core */
#define IOMMU_READ (1 << 0)
#define IOMMU_WRITE (1 << 1)
#define IOMMU_CACHE (1 << 2)
#define IOMMU_NOEXEC (1 << 3)
#define IOMMU_MMIO (1 << 4)
#define IOMMU_PRIV (1 << 5)

struct iommu_domain_geometry {
	dma_addr_t aperture_start;
	dma_addr_t aperture_end;
	bool force_aperture;
};

struct iommu_domain_ops;

struct iommu_domain {
	unsigned int type;
	const struct iommu_domain_ops *ops;
	const struct iommu_ops *owner;
	unsigned long pgsize_bitmap;
	struct iommu_domain_geometry geometry;
	void *iova_cookie;
};

/* ------------------------------------------------------------ interval tree */
/*
 * A sorted list stands in for the rbtree: only the query semantics of
 * interval_tree_iter_first/next matter (the first node, by start, that
 * overlaps [start, last]).
 */
struct rb_node { struct rb_node *rb_right, *rb_left; unsigned long color; };
struct rb_root { struct rb_node *rb_node; };
struct rb_root_cached { struct rb_root rb_root; struct rb_node *rb_leftmost; };
#define RB_ROOT_CACHED ((struct rb_root_cached) { { NULL }, NULL })

struct interval_tree_node {
	struct rb_node rb;
	unsigned long start;
	unsigned long last;
	unsigned long __subtree_last;
};

static inline void interval_tree_insert(struct interval_tree_node *node,
					struct rb_root_cached *root)
{
	struct rb_node **link = &root->rb_root.rb_node;

	while (*link && container_of(*link, struct interval_tree_node, rb)->start <
			node->start)
		link = &(*link)->rb_right;
	node->rb.rb_right = *link;
	*link = &node->rb;
	root->rb_leftmost = root->rb_root.rb_node;
}

static inline void interval_tree_remove(struct interval_tree_node *node,
					struct rb_root_cached *root)
{
	struct rb_node **link = &root->rb_root.rb_node;

	while (*link && *link != &node->rb)
		link = &(*link)->rb_right;
	if (*link)
		*link = node->rb.rb_right;
	root->rb_leftmost = root->rb_root.rb_node;
}

static inline struct interval_tree_node *
__harness_interval_from(struct rb_node *rb, unsigned long start,
			unsigned long last)
{
	for (; rb; rb = rb->rb_right) {
		struct interval_tree_node *n =
			container_of(rb, struct interval_tree_node, rb);

		if (n->start <= last && n->last >= start)
			return n;
	}
	return NULL;
}

static inline struct interval_tree_node *
interval_tree_iter_first(struct rb_root_cached *root, unsigned long start,
			 unsigned long last)
{
	return __harness_interval_from(root->rb_root.rb_node, start, last);
}

static inline struct interval_tree_node *
interval_tree_iter_next(struct interval_tree_node *node, unsigned long start,
			unsigned long last)
{
	return __harness_interval_from(node->rb.rb_right, start, last);
}

#endif /* HARNESS_KSTUBS_H */
