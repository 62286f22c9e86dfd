// SPDX-License-Identifier: GPL-2.0
/*
 * iommufd_access_test - read a mapping back through an iommufd access, the
 * path that calls batch_from_domain(), and check what comes back.
 *
 * An IOAS gets the iommufd selftest mock domain (CONFIG_IOMMUFD_TEST), a
 * buffer of 4K pages or of 2M hugetlb pages is mapped into it, and an
 * access (the kind an emulated device such as mdev uses) is created on it.
 * The pages of the mapping are then in the domain and not pinned anywhere
 * else, so the core reads their PFNs back from the domain with
 * iova_to_phys(_length) in batch_from_domain():
 *  - ACCESS_RW with the slow path (no copy through the user mapping) must
 *    return the bytes of the buffer, from the start and from an offset;
 *  - ACCESS_PAGES must pin exactly the pages that back the buffer (the
 *    mock compares each with get_user_pages_fast() of the user address);
 *  - IOAS_UNMAP must report the whole mapped length.
 * A translation length that over-reports makes batch_from_domain() take
 * PFNs that do not back the range: wrong bytes, or -EBADE from the page
 * check.
 *
 * The kernel's own iommufd selftests cover this too, where they build: the
 * ones Debian ships with 6.12.117 use newer uapi than 6.12's and do not.
 * This program uses only the selftest ops both trees have, and is built
 * against the tree's own iommufd_test.h.
 *
 * Usage: iommufd_access_test
 * Output: kselftest TAP. Exit code 0 when every case passed, 1 otherwise.
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
#include "../guest/guest_tap.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#define MAP_HUGE_2MB (21 << MAP_HUGE_SHIFT)

#define SZ_4K (4096UL)
#define SZ_2M (2UL << 20)
/* inside the mock aperture, 2M aligned; ACCESS_RW takes at most 16M */
#define IOVA (MOCK_APERTURE_START + 4 * SZ_2M)

struct backing {
	const char *name;
	size_t size;
	int mmap_flags;
};

static const struct backing backings[] = {
	{ "4K", 4 * SZ_2M, 0 },
	{ "2M-hugetlb", 4 * SZ_2M, MAP_HUGETLB | MAP_HUGE_2MB },
};

#define CASES_PER_BACKING 4

static int iommufd;

static int test_cmd(struct iommu_test_cmd *cmd, __u32 op, __u32 id)
{
	cmd->size = sizeof(*cmd);
	cmd->op = op;
	cmd->id = id;
	return ioctl(iommufd, IOMMU_TEST_CMD, cmd);
}

static void destroy(__u32 id)
{
	struct iommu_destroy d = { .size = sizeof(d), .id = id };

	ioctl(iommufd, IOMMU_DESTROY, &d);
}

/* Read length bytes at iova through the access, never through the user VA. */
static int access_read(int access_fd, unsigned long iova, void *out, size_t length)
{
	struct iommu_test_cmd cmd = {
		.access_rw = { .iova = iova, .length = length,
			       .uptr = (uintptr_t)out,
			       .flags = MOCK_ACCESS_RW_SLOW_PATH },
	};

	return test_cmd(&cmd, IOMMU_TEST_OP_ACCESS_RW, access_fd);
}

static void run_backing(const struct backing *b)
{
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct iommu_test_cmd mock = {}, access = {}, pages = {};
	struct iommu_ioas_map map = { .size = sizeof(map) };
	struct iommu_ioas_unmap unmap = { .size = sizeof(unmap) };
	size_t offset = 3 * SZ_4K + 123, i;
	unsigned char *buf, *back;
	int access_fd = -1;

	buf = mmap(NULL, b->size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | b->mmap_flags, -1, 0);
	back = malloc(b->size);
	if (buf == MAP_FAILED || !back) {
		for (i = 0; i < CASES_PER_BACKING; i++)
			tap_result(0, b->name, "setup", "buffer: %s", strerror(errno));
		return;
	}
	/* every byte differs from its neighbours and every page from the next */
	for (i = 0; i < b->size; i++)
		buf[i] = (unsigned char)(i * 7 + i / SZ_4K * 13);

	if (ioctl(iommufd, IOMMU_IOAS_ALLOC, &alloc) ||
	    test_cmd(&mock, IOMMU_TEST_OP_MOCK_DOMAIN, alloc.out_ioas_id)) {
		for (i = 0; i < CASES_PER_BACKING; i++)
			tap_result(0, b->name, "setup", "ioas/mock domain: %s", strerror(errno));
		goto out_free;
	}
	map.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
		    IOMMU_IOAS_MAP_WRITEABLE;
	map.ioas_id = alloc.out_ioas_id;
	map.user_va = (uintptr_t)buf;
	map.length = b->size;
	map.iova = IOVA;
	/* an access that may pin pages (ACCESS_PAGES), as mdev drivers create */
	access.create_access.flags = MOCK_FLAGS_ACCESS_CREATE_NEEDS_PIN_PAGES;
	if (ioctl(iommufd, IOMMU_IOAS_MAP, &map) ||
	    test_cmd(&access, IOMMU_TEST_OP_CREATE_ACCESS, alloc.out_ioas_id)) {
		for (i = 0; i < CASES_PER_BACKING; i++)
			tap_result(0, b->name, "setup", "map/access: %s", strerror(errno));
		goto out_ioas;
	}
	access_fd = access.create_access.out_access_fd;

	memset(back, 0, b->size);
	if (access_read(access_fd, IOVA, back, b->size))
		tap_result(0, b->name, "read-all", "ACCESS_RW: %s", strerror(errno));
	else if (memcmp(back, buf, b->size)) {
		for (i = 0; buf[i] == back[i]; i++)
			;
		tap_result(0, b->name, "read-all", "first wrong byte at iova 0x%lx",
			   (unsigned long)(IOVA + i));
	} else
		tap_result(1, b->name, "read-all", NULL);

	memset(back, 0, b->size);
	if (access_read(access_fd, IOVA + offset, back, b->size - 2 * offset))
		tap_result(0, b->name, "read-offset", "ACCESS_RW: %s", strerror(errno));
	else
		tap_result(!memcmp(back, buf + offset, b->size - 2 * offset), b->name,
			   "read-offset", NULL);

	pages.access_pages.iova = IOVA;
	pages.access_pages.length = b->size;
	pages.access_pages.uptr = (uintptr_t)buf;
	if (test_cmd(&pages, IOMMU_TEST_OP_ACCESS_PAGES, access_fd))
		tap_result(0, b->name, "pin", "ACCESS_PAGES: %s%s", strerror(errno),
			   errno == EBADE ? " (a pinned page is not the user's page)" : "");
	else {
		struct iommu_test_cmd unpin = {
			.destroy_access_pages = {
				.access_pages_id = pages.access_pages.out_access_pages_id },
		};

		tap_result(!test_cmd(&unpin, IOMMU_TEST_OP_DESTROY_ACCESS_PAGES, access_fd),
			   b->name, "pin", NULL);
	}

	close(access_fd);
	unmap.ioas_id = alloc.out_ioas_id;
	unmap.iova = IOVA;
	unmap.length = b->size;
	if (ioctl(iommufd, IOMMU_IOAS_UNMAP, &unmap))
		tap_result(0, b->name, "unmap", "IOAS_UNMAP: %s", strerror(errno));
	else
		tap_result(unmap.length == b->size, b->name, "unmap",
			   "unmapped 0x%llx of 0x%zx", (unsigned long long)unmap.length, b->size);
out_ioas:
	destroy(mock.mock_domain.out_stdev_id);
	destroy(alloc.out_ioas_id);
out_free:
	free(back);
	munmap(buf, b->size);
}

int main(void)
{
	size_t i;

	tap_plan(sizeof(backings) / sizeof(backings[0]) * CASES_PER_BACKING);
	iommufd = open("/dev/iommu", O_RDWR);
	if (iommufd < 0)
		tap_bail_out("/dev/iommu");
	for (i = 0; i < sizeof(backings) / sizeof(backings[0]); i++)
		run_backing(&backings[i]);
	close(iommufd);
	return tap_failures ? 1 : 0;
}
