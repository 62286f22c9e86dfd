// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_unmap_bench - time VFIO type1 map (pin) and unmap (walk, unmap,
 * unpin) of one large mapping, per backing:
 *   1G-hugetlb  one 1G hugetlb page: the IOMMU can use one 1G leaf
 *   2M-hugetlb  2M hugetlb pages: 2M leaves
 *   4K          anonymous memory with THP off: 4K leaves, where the new
 *               walk cannot save anything (the control)
 * vfio_unmap_unpin() looks up the IOMMU page table to find what to unpin:
 * before the series once per PAGE_SIZE, after it once per leaf.  Pinning
 * (map) and unpinning (put of every 4K page) are the same before and
 * after, and the ratio of the two columns shows how much of an unmap the
 * walk is.
 *
 * Usage: vfio_unmap_bench <pci address> <size MiB> <repetitions>
 * Output, one line per repetition, parsed by ci/bench:
 *   bench vfio backing=<b> size=<bytes> rep=<i> map_ns=<n> unmap_ns=<n>
 *   bench vfio backing=<b> error=<what>
 * Exit code 0 when every repetition mapped and unmapped the whole size.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/vfio.h>
#include "../guest/guest_time.h"
#include "../guest/guest_vfio.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#define MAP_HUGE_2MB (21 << MAP_HUGE_SHIFT)
#define MAP_HUGE_1GB (30 << MAP_HUGE_SHIFT)

/* 1G aligned, so the IOMMU may use its largest leaves */
#define IOVA_BASE (4ULL << 30)

struct backing {
	const char *name;
	int mmap_flags;
	int no_thp;
};

static const struct backing backings[] = {
	{ "1G-hugetlb", MAP_HUGETLB | MAP_HUGE_1GB, 0 },
	{ "2M-hugetlb", MAP_HUGETLB | MAP_HUGE_2MB, 0 },
	{ "4K", 0, 1 },
};

static struct guest_vfio vfio;
static int failures;

static void bail_out(const char *what)
{
	printf("bench vfio error=%s:%s\n", what, strerror(errno));
	exit(1);
}

static void run_backing(const struct backing *b, size_t size, int reps)
{
	unsigned long long t0, t1, t2;
	long long unmapped;
	char *buf;
	int i;

	buf = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | b->mmap_flags, -1, 0);
	if (buf == MAP_FAILED) {
		printf("bench vfio backing=%s error=mmap:%s\n", b->name, strerror(errno));
		failures++;
		return;
	}
	if (b->no_thp && madvise(buf, size, MADV_NOHUGEPAGE))
		printf("# MADV_NOHUGEPAGE: %s (without THP only 4K pages back it anyway)\n",
		       strerror(errno));
	memset(buf, 0x5a, size);

	for (i = 0; i < reps; i++) {
		t0 = guest_now_ns();
		if (guest_vfio_map(vfio.container, buf, IOVA_BASE, size)) {
			printf("bench vfio backing=%s error=map:%s\n", b->name,
			       strerror(errno));
			failures++;
			break;
		}
		t1 = guest_now_ns();
		unmapped = guest_vfio_unmap(vfio.container, IOVA_BASE, size, 0);
		if (unmapped < 0) {
			printf("bench vfio backing=%s error=unmap:%s\n", b->name,
			       strerror(errno));
			failures++;
			break;
		}
		t2 = guest_now_ns();
		if ((unsigned long long)unmapped != size) {
			printf("bench vfio backing=%s error=unmapped_%llu_of_%zu\n",
			       b->name, (unsigned long long)unmapped, size);
			failures++;
			break;
		}
		printf("bench vfio backing=%s size=%zu rep=%d map_ns=%llu unmap_ns=%llu\n",
		       b->name, size, i, t1 - t0, t2 - t1);
		fflush(stdout);
	}
	munmap(buf, size);
}

int main(int argc, char **argv)
{
	const char *failed;
	size_t size, i;
	int reps;

	if (argc != 4) {
		fprintf(stderr, "usage: %s <pci address> <size MiB> <repetitions>\n",
			argv[0]);
		return 2;
	}
	size = strtoull(argv[2], NULL, 0) << 20;
	reps = atoi(argv[3]);

	failed = guest_vfio_container(&vfio, argv[1], "no_VFIO_TYPE1v2_IOMMU");
	if (!failed)
		failed = guest_vfio_device(&vfio, argv[1], "group_not_viable");
	if (failed)
		bail_out(failed);

	for (i = 0; i < sizeof(backings) / sizeof(backings[0]); i++)
		run_backing(&backings[i], size, reps);

	guest_vfio_close(&vfio);
	printf("bench vfio done failures=%d\n", failures);
	return failures ? 1 : 0;
}
