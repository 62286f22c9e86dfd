// SPDX-License-Identifier: GPL-2.0
/*
 * panthor_vm_unmap_pages() on a model io-pgtable of 4K pages whose
 * unmap_pages() stops at the first page that is not mapped, as
 * io-pgtable-arm's does, and whose iova_to_phys() says which pages are.
 *
 * The range starts 12K below a 2M boundary, so get_pgsize() cuts it into
 * a first chunk of 12K and a second one from the boundary.  The second
 * chunk has a one-page hole 8K in: whatever is mapped after the hole must
 * be unmapped all the same, and nothing outside the range touched.
 */
#include "kstubs.h"

#define min_not_zero(x, y) ({ typeof(x) __x = (x); typeof(y) __y = (y); \
	__x == 0 ? __y : ((__y == 0) ? __x : min(__x, __y)); })
#define drm_WARN_ON(drm, cond) ({ (void)(drm); !!(cond); })
#define drm_WARN_ON_ONCE(drm, cond) drm_WARN_ON(drm, cond)
#define drm_dbg(drm, ...) do { (void)(drm); } while (0)

struct panthor_device { int base; };
struct panthor_vm {
	struct panthor_device *ptdev;
	struct io_pgtable_ops *pgtbl_ops;
	struct { u64 start, size; } locked_region;
	struct { int id; } as;
	bool unusable;
};

static void panthor_vm_declare_unusable(struct panthor_vm *vm)
{
	vm->unusable = true;
}

#include HARNESS_EXTRACTED

#define BASE	(SZ_2M - SZ_16K)	/* the model's first page */
#define PAGES	32
static bool mapped[PAGES];

static int page_of(unsigned long iova)
{
	if (iova < BASE || iova >= BASE + PAGES * SZ_4K || iova % SZ_4K) {
		printf("not ok access outside the model # iova 0x%lx\n", iova);
		exit(1);
	}
	return (iova - BASE) / SZ_4K;
}

static size_t model_unmap_pages(struct io_pgtable_ops *ops, unsigned long iova,
				size_t pgsize, size_t pgcount,
				struct iommu_iotlb_gather *gather)
{
	size_t i;

	for (i = 0; i < pgcount && mapped[page_of(iova + i * SZ_4K)]; i++)
		mapped[page_of(iova + i * SZ_4K)] = false;
	return i * SZ_4K;
}

static phys_addr_t model_iova_to_phys(struct io_pgtable_ops *ops,
				      unsigned long iova)
{
	return mapped[page_of(iova & ~(SZ_4K - 1UL))] ? 0x80000000 + iova : 0;
}

static struct io_pgtable_ops model_ops = {
	.unmap_pages = model_unmap_pages,
	.iova_to_phys = model_iova_to_phys,
};

int main(void)
{
	const u64 start = BASE + SZ_4K, size = SZ_16K - SZ_4K + SZ_64K;
	const u64 hole = SZ_2M + SZ_8K;
	struct panthor_device ptdev = { 0 };
	struct panthor_vm vm = {
		.ptdev = &ptdev, .pgtbl_ops = &model_ops,
		.locked_region = { start, size }, .as = { 0 },
	};
	int failed = 0, i;

	for (i = 0; i < PAGES; i++)
		mapped[i] = true;
	mapped[page_of(hole)] = false;
	panthor_vm_unmap_pages(&vm, start, size);
	for (i = 0; i < PAGES; i++) {
		u64 iova = BASE + (u64)i * SZ_4K;
		bool inside = iova >= start && iova < start + size;

		if (mapped[i] == inside && iova != hole) {
			printf("not ok page 0x%llx # %s\n", (unsigned long long)iova,
			       inside ? "still mapped" : "outside the range, unmapped");
			failed++;
		}
	}
	printf("%s hole skipped # unusable=%d\n", vm.unusable ? "ok" : "not ok",
	       vm.unusable);
	printf("%s every page of the range unmapped\n", failed ? "not ok" : "ok");
	return failed || !vm.unusable;
}
