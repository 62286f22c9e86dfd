// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_map_test - map and unmap buffers through the VFIO type1 IOMMU of a
 * PCI device bound to vfio-pci, backed by 4K pages, 2M hugetlb pages and
 * 1G hugetlb pages, and check after each case that
 *  - every VFIO_IOMMU_UNMAP_DMA reports exactly the bytes that were mapped,
 *  - no page stays pinned: /proc/vmstat nr_foll_pin_acquired minus
 *    nr_foll_pin_released, VmLck and the type1 dma_avail counter are back
 *    to their values before the map,
 *  - after munmap the pins are where they were before the mmap and every
 *    hugetlb page is free again.
 * vfio_unmap_unpin() walks the IOMMU page table with iova_to_phys to find
 * what to unpin, so a wrong translation length shows up here as a short or
 * long unmap or as pages left pinned.
 *
 * Usage: vfio_map_test <pci address, e.g. 0000:00:03.0>
 * Output: kselftest TAP. Exit code 0 when every case passed, 1 otherwise.
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
#include <unistd.h>
#include <linux/vfio.h>
#include "../guest/guest_tap.h"
#include "../guest/guest_vfio.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#define MAP_HUGE_2MB (21 << MAP_HUGE_SHIFT)
#define MAP_HUGE_1GB (30 << MAP_HUGE_SHIFT)

#define SZ_4K (4096UL)
#define SZ_2M (2UL << 20)
#define SZ_1G (1UL << 30)
/* 1G aligned so the IOMMU may use its largest leaves for aligned buffers */
#define IOVA_BASE (4UL << 30)

struct backing {
	const char *name;
	size_t size;		/* bytes mapped per case */
	int mmap_flags;
	const char *hugepages;	/* sysfs dir of the hugetlb pool, or NULL */
};

static const struct backing backings[] = {
	{ "4K", 8 * SZ_2M, 0, NULL },
	{ "2M-hugetlb", 4 * SZ_2M, MAP_HUGETLB | MAP_HUGE_2MB,
	  "/sys/kernel/mm/hugepages/hugepages-2048kB" },
	{ "1G-hugetlb", SZ_1G, MAP_HUGETLB | MAP_HUGE_1GB,
	  "/sys/kernel/mm/hugepages/hugepages-1048576kB" },
};

#define CASES_PER_BACKING 5

static struct guest_vfio vfio;

/* What pinning leaves behind; every field must return to its old value. */
struct pin_state {
	long pins;		/* nr_foll_pin_acquired - nr_foll_pin_released */
	long locked_kb;		/* VmLck of this process */
	long dma_avail;		/* type1 mappings still available */
};

static long read_key(const char *path, const char *key)
{
	char line[256];
	size_t len = strlen(key);
	long value = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, len) &&
		    (line[len] == ' ' || line[len] == ':' || line[len] == '\t')) {
			value = strtol(line + len + 1 + strspn(line + len + 1, " \t"),
				       NULL, 10);
			break;
		}
	}
	fclose(f);
	return value;
}

static long read_number(const char *dir, const char *file)
{
	char path[PATH_MAX];
	long value = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &value) != 1)
		value = -1;
	fclose(f);
	return value;
}

static long dma_avail(void)
{
	char buf[4096];
	struct vfio_iommu_type1_info *info = (void *)buf;
	struct vfio_info_cap_header *cap;
	__u32 offset;

	memset(buf, 0, sizeof(buf));
	info->argsz = sizeof(buf);
	if (ioctl(vfio.container, VFIO_IOMMU_GET_INFO, info))
		tap_bail_out("VFIO_IOMMU_GET_INFO");
	if (!(info->flags & VFIO_IOMMU_INFO_CAPS))
		return -1;
	for (offset = info->cap_offset; offset; offset = cap->next) {
		if (offset + sizeof(*cap) > sizeof(buf))
			return -1;
		cap = (void *)(buf + offset);
		if (cap->id == VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL)
			return ((struct vfio_iommu_type1_info_dma_avail *)cap)->avail;
	}
	return -1;
}

/*
 * Fold every CPU's vmstat deltas into the global counters first: without
 * it /proc/vmstat can lag by up to the per-CPU threshold and a balanced
 * pin count would look unbalanced.
 */
static void refresh_vmstat(void)
{
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "1", 1) < 0)
			tap_diag("vm/stat_refresh: %s", strerror(errno));
		close(fd);
	}
}

static struct pin_state pin_state(void)
{
	struct pin_state s;

	refresh_vmstat();

	s.pins = read_key("/proc/vmstat", "nr_foll_pin_acquired") -
		 read_key("/proc/vmstat", "nr_foll_pin_released");
	s.locked_kb = read_key("/proc/self/status", "VmLck");
	s.dma_avail = dma_avail();
	return s;
}

/* A DMA ioctl that failed, as a diagnostic: -1 */
static int dma_failed(const char *op, __u64 iova, __u64 size)
{
	tap_diag("%s iova 0x%llx size 0x%llx: %s", op, (unsigned long long)iova,
		 (unsigned long long)size, strerror(errno));
	return -1;
}

static int map(void *vaddr, __u64 iova, __u64 size)
{
	if (guest_vfio_map(vfio.container, vaddr, iova, size))
		return dma_failed("VFIO_IOMMU_MAP_DMA", iova, size);
	return 0;
}

/* Bytes the kernel says it unmapped, or -1 when the ioctl failed. */
static long long unmap(__u64 iova, __u64 size, __u32 flags)
{
	long long unmapped = guest_vfio_unmap(vfio.container, iova, size, flags);

	if (unmapped < 0)
		return dma_failed("VFIO_IOMMU_UNMAP_DMA", iova, size);
	return unmapped;
}

/*
 * Map the pieces, check that they pinned something, unmap them with one
 * call and check the reported size and that the pins are gone.
 */
static void map_unmap_case(const struct backing *b, const char *what,
			   char *buf, const size_t *offsets, const size_t *sizes,
			   const __u64 *iovas, int pieces, int unmap_all)
{
	struct pin_state before = pin_state(), mapped, after;
	long long expected = 0, unmapped;
	int i;

	for (i = 0; i < pieces; i++) {
		if (map(buf + offsets[i], iovas[i], sizes[i])) {
			while (--i >= 0)
				unmap(iovas[i], sizes[i], 0);
			tap_result(0, b->name, what, "map of piece %d failed", i);
			return;
		}
		expected += sizes[i];
	}
	mapped = pin_state();
	if (unmap_all)
		unmapped = unmap(0, 0, VFIO_DMA_UNMAP_FLAG_ALL);
	else
		unmapped = unmap(iovas[0], iovas[pieces - 1] + sizes[pieces - 1] -
				 iovas[0], 0);
	after = pin_state();

	if (unmapped != expected)
		tap_result(0, b->name, what, "unmapped %lld bytes, mapped %lld",
			   unmapped, expected);
	else if (mapped.pins <= before.pins)
		tap_result(0, b->name, what, "mapping pinned nothing (pins %ld -> %ld)",
			   before.pins, mapped.pins);
	else if (after.pins != before.pins)
		tap_result(0, b->name, what, "%ld pins left after unmap",
			   after.pins - before.pins);
	else if (after.locked_kb != before.locked_kb)
		tap_result(0, b->name, what, "VmLck %ld kB before, %ld kB after",
			   before.locked_kb, after.locked_kb);
	else if (after.dma_avail != before.dma_avail)
		tap_result(0, b->name, what, "dma_avail %ld before, %ld after",
			   before.dma_avail, after.dma_avail);
	else
		tap_result(1, b->name, what, "unmapped %lld bytes, %ld pins while mapped",
			   unmapped, mapped.pins - before.pins);
}

static void run_backing(const struct backing *b, int have_unmap_all)
{
	long free_before = b->hugepages ?
		read_number(b->hugepages, "free_hugepages") : 0;
	long pins_before = pin_state().pins;
	size_t quarter = b->size / 4, half = b->size / 2;
	char *buf;
	int i;

	buf = mmap(NULL, b->size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | b->mmap_flags, -1, 0);
	if (buf == MAP_FAILED) {
		tap_result(0, b->name, "mmap", "mmap of %zu bytes: %s (free hugepages %ld)",
			   b->size, strerror(errno), free_before);
		for (i = 1; i < CASES_PER_BACKING; i++)
			tap_result(0, b->name, "mmap", "no buffer");
		return;
	}
	memset(buf, 0x5a, b->size);

	{	/* one mapping of the whole buffer */
		size_t off[] = { 0 }, size[] = { b->size };
		__u64 iova[] = { IOVA_BASE };

		map_unmap_case(b, "whole", buf, off, size, iova, 1, 0);
	}
	{	/* four adjacent mappings, one unmap over all of them */
		size_t off[] = { 0, quarter, 2 * quarter, 3 * quarter };
		size_t size[] = { quarter, quarter, quarter, quarter };
		__u64 iova[] = { IOVA_BASE, IOVA_BASE + quarter,
				 IOVA_BASE + 2 * quarter, IOVA_BASE + 3 * quarter };

		map_unmap_case(b, "pieces", buf, off, size, iova, 4, 0);
	}
	{	/* 4K in from both ends: no leaf larger than 4K at the edges */
		size_t off[] = { SZ_4K }, size[] = { b->size - 2 * SZ_4K };
		__u64 iova[] = { IOVA_BASE + SZ_4K };

		map_unmap_case(b, "offset", buf, off, size, iova, 1, 0);
	}
	if (have_unmap_all) {	/* two halves far apart, VFIO_DMA_UNMAP_FLAG_ALL */
		size_t off[] = { 0, half }, size[] = { half, half };
		__u64 iova[] = { IOVA_BASE, IOVA_BASE + 4 * SZ_1G + half };

		map_unmap_case(b, "unmap-all", buf, off, size, iova, 2, 1);
	} else {
		tap_skip(b->name, "unmap-all", "no VFIO_UNMAP_ALL");
	}

	munmap(buf, b->size);
	{
		long free_after = b->hugepages ?
			read_number(b->hugepages, "free_hugepages") : 0;
		long pins_after = pin_state().pins;

		if (free_after != free_before)
			tap_result(0, b->name, "munmap",
				   "%ld free hugepages before mmap, %ld after munmap",
				   free_before, free_after);
		else if (pins_after != pins_before)
			tap_result(0, b->name, "munmap", "%ld pins left after munmap",
				   pins_after - pins_before);
		else
			tap_result(1, b->name, "munmap", NULL);
	}
}

int main(int argc, char **argv)
{
	const char *failed;
	int have_unmap_all;
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s <pci address>\n", argv[0]);
		return 2;
	}
	tap_plan(CASES_PER_BACKING * (sizeof(backings) / sizeof(backings[0])));

	failed = guest_vfio_container(&vfio, argv[1], "no VFIO_TYPE1v2_IOMMU");
	if (failed)
		tap_bail_out(failed);
	have_unmap_all = ioctl(vfio.container, VFIO_CHECK_EXTENSION, VFIO_UNMAP_ALL) > 0;
	failed = guest_vfio_device(&vfio, argv[1],
				   "group not viable (another device of it has a driver)");
	if (failed)
		tap_bail_out(failed);
	tap_diag("device %s, group %s, dma_avail %ld", argv[1], vfio.group_path, dma_avail());

	for (i = 0; i < sizeof(backings) / sizeof(backings[0]); i++)
		run_backing(&backings[i], have_unmap_all);

	guest_vfio_close(&vfio);
	tap_diag("%d failed", tap_failures);
	return tap_failures ? 1 : 0;
}
