// SPDX-License-Identifier: GPL-2.0
/*
 * iommufd_unmap_bench - time IOMMU_IOAS_MAP (pin, map) and IOMMU_IOAS_UNMAP
 * (read the PFNs back from the domain, unmap, unpin) of one large mapping
 * through the iommufd selftest's mock domains (CONFIG_IOMMUFD_TEST), which
 * need no hardware:
 *   mock       the default mock domain of a mock device (2K granule AMDv1)
 *   mock-huge  a MOCK_IOMMUPT_HUGE domain made with IOMMU_HWPT_ALLOC
 * each alone in its IOAS, so the unmap reads the PFNs to unpin from that
 * domain (batch_from_domain(): one lookup per PAGE_SIZE before the series,
 * one per leaf after).  Backings: one 1G hugetlb page, and 4K anonymous
 * pages with THP off as the control.
 *
 * Usage: iommufd_unmap_bench <size MiB> <repetitions>
 * Output, one line per repetition, parsed by ci/bench:
 *   bench iommufd domain=<d> backing=<b> size=<bytes> rep=<i> map_ns=<n> unmap_ns=<n>
 *   bench iommufd domain=<d> backing=<b> error=<what>
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/iommufd.h>
#include "iommufd_test.h"
#include "../guest/guest_time.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#define MAP_HUGE_1GB (30 << MAP_HUGE_SHIFT)

/* 1G aligned, inside the default mock aperture [16M, 2G) for up to 1G */
#define IOVA_BASE (1ULL << 30)

static int fd;
static __u32 ioas_mock, ioas_huge;
static int failures;

static void bail_out(const char *what)
{
	printf("bench iommufd error=%s:%s\n", what, strerror(errno));
	exit(1);
}

static __u32 ioas_alloc(void)
{
	struct iommu_ioas_alloc cmd = { .size = sizeof(cmd) };

	if (ioctl(fd, IOMMU_IOAS_ALLOC, &cmd))
		bail_out("IOMMU_IOAS_ALLOC");
	return cmd.out_ioas_id;
}

/* A mock device attached to a default mock domain in its own IOAS. */
static __u32 mock_device(__u32 ioas_id)
{
	struct iommu_test_cmd cmd = {
		.size = sizeof(cmd),
		.op = IOMMU_TEST_OP_MOCK_DOMAIN,
		.id = ioas_id,
	};

	if (ioctl(fd, IOMMU_TEST_CMD, &cmd))
		bail_out("IOMMU_TEST_OP_MOCK_DOMAIN");
	return cmd.mock_domain.out_idev_id;
}

static void huge_domain(__u32 idev_id, __u32 ioas_id)
{
	struct iommu_hwpt_selftest data = {
		.iotlb = IOMMU_TEST_IOTLB_DEFAULT,
		.pagetable_type = MOCK_IOMMUPT_HUGE,
	};
	struct iommu_hwpt_alloc cmd = {
		.size = sizeof(cmd),
		.dev_id = idev_id,
		.pt_id = ioas_id,
		.data_type = IOMMU_HWPT_DATA_SELFTEST,
		.data_len = sizeof(data),
		.data_uptr = (uintptr_t)&data,
	};

	if (ioctl(fd, IOMMU_HWPT_ALLOC, &cmd))
		bail_out("IOMMU_HWPT_ALLOC");
}

static void run(const char *domain, const char *backing, __u32 ioas_id,
		char *buf, size_t size, int reps)
{
	struct iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_WRITEABLE |
			 IOMMU_IOAS_MAP_READABLE,
		.ioas_id = ioas_id,
		.user_va = (uintptr_t)buf,
		.length = size,
		.iova = IOVA_BASE,
	};
	struct iommu_ioas_unmap unmap = {
		.size = sizeof(unmap),
		.ioas_id = ioas_id,
	};
	unsigned long long t0, t1, t2;
	int i;

	for (i = 0; i < reps; i++) {
		t0 = guest_now_ns();
		if (ioctl(fd, IOMMU_IOAS_MAP, &map)) {
			printf("bench iommufd domain=%s backing=%s error=map:%s\n",
			       domain, backing, strerror(errno));
			failures++;
			return;
		}
		t1 = guest_now_ns();
		unmap.iova = IOVA_BASE;
		unmap.length = size;
		if (ioctl(fd, IOMMU_IOAS_UNMAP, &unmap)) {
			printf("bench iommufd domain=%s backing=%s error=unmap:%s\n",
			       domain, backing, strerror(errno));
			failures++;
			return;
		}
		t2 = guest_now_ns();
		if (unmap.length != size) {
			printf("bench iommufd domain=%s backing=%s error=unmapped_%llu_of_%zu\n",
			       domain, backing, (unsigned long long)unmap.length, size);
			failures++;
			return;
		}
		printf("bench iommufd domain=%s backing=%s size=%zu rep=%d map_ns=%llu unmap_ns=%llu\n",
		       domain, backing, size, i, t1 - t0, t2 - t1);
		fflush(stdout);
	}
}

/* Both domains on one backing */
static void run_backing(const char *backing, size_t size, int flags, int no_thp, int reps)
{
	char *buf = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);

	if (buf == MAP_FAILED) {
		printf("bench iommufd backing=%s error=mmap:%s\n", backing,
		       strerror(errno));
		failures++;
		return;
	}
	if (no_thp && madvise(buf, size, MADV_NOHUGEPAGE))
		printf("# MADV_NOHUGEPAGE: %s (without THP only 4K pages back it anyway)\n",
		       strerror(errno));
	memset(buf, 0x5a, size);
	run("mock-huge", backing, ioas_huge, buf, size, reps);
	run("mock", backing, ioas_mock, buf, size, reps);
	munmap(buf, size);
}

int main(int argc, char **argv)
{
	__u32 idev_id;
	size_t size;
	int reps;

	if (argc != 3) {
		fprintf(stderr, "usage: %s <size MiB> <repetitions>\n", argv[0]);
		return 2;
	}
	size = strtoull(argv[1], NULL, 0) << 20;
	reps = atoi(argv[2]);

	fd = open("/dev/iommu", O_RDWR);
	if (fd < 0)
		bail_out("/dev/iommu");
	ioas_mock = ioas_alloc();
	idev_id = mock_device(ioas_mock);
	ioas_huge = ioas_alloc();
	huge_domain(idev_id, ioas_huge);

	run_backing("1G-hugetlb", size, MAP_HUGETLB | MAP_HUGE_1GB, 0, reps);
	run_backing("4K", size, 0, 1, reps);
	close(fd);
	printf("bench iommufd done failures=%d\n", failures);
	return failures ? 1 : 0;
}
