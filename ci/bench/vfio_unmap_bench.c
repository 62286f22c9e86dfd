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
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/vfio.h>

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

static int container;
static int failures;

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void bail_out(const char *what)
{
	printf("bench vfio error=%s:%s\n", what, strerror(errno));
	exit(1);
}

static void run_backing(const struct backing *b, size_t size, int reps)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.iova = IOVA_BASE,
		.size = size,
	};
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
	};
	unsigned long long t0, t1, t2;
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
	map.vaddr = (uintptr_t)buf;

	for (i = 0; i < reps; i++) {
		t0 = now_ns();
		if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map)) {
			printf("bench vfio backing=%s error=map:%s\n", b->name,
			       strerror(errno));
			failures++;
			break;
		}
		t1 = now_ns();
		unmap.iova = IOVA_BASE;
		unmap.size = size;
		unmap.flags = 0;
		if (ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap)) {
			printf("bench vfio backing=%s error=unmap:%s\n", b->name,
			       strerror(errno));
			failures++;
			break;
		}
		t2 = now_ns();
		if (unmap.size != size) {
			printf("bench vfio backing=%s error=unmapped_%llu_of_%zu\n",
			       b->name, (unsigned long long)unmap.size, size);
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
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[PATH_MAX], link[PATH_MAX];
	int group, device, reps;
	size_t size, i;
	ssize_t len;

	if (argc != 4) {
		fprintf(stderr, "usage: %s <pci address> <size MiB> <repetitions>\n",
			argv[0]);
		return 2;
	}
	size = strtoull(argv[2], NULL, 0) << 20;
	reps = atoi(argv[3]);

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", argv[1]);
	len = readlink(path, link, sizeof(link) - 1);
	if (len < 0)
		bail_out(path);
	link[len] = 0;
	snprintf(path, sizeof(path), "/dev/vfio/%s", strrchr(link, '/') + 1);

	container = open("/dev/vfio/vfio", O_RDWR);
	if (container < 0)
		bail_out("/dev/vfio/vfio");
	if (!ioctl(container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU))
		bail_out("no_VFIO_TYPE1v2_IOMMU");
	group = open(path, O_RDWR);
	if (group < 0)
		bail_out(path);
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &status))
		bail_out("VFIO_GROUP_GET_STATUS");
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		errno = EBUSY;
		bail_out("group_not_viable");
	}
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container))
		bail_out("VFIO_GROUP_SET_CONTAINER");
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		bail_out("VFIO_SET_IOMMU");
	device = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, argv[1]);
	if (device < 0)
		bail_out("VFIO_GROUP_GET_DEVICE_FD");

	for (i = 0; i < sizeof(backings) / sizeof(backings[0]); i++)
		run_backing(&backings[i], size, reps);

	close(device);
	close(group);
	close(container);
	printf("bench vfio done failures=%d\n", failures);
	return failures ? 1 : 0;
}
