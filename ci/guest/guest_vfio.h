/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VFIO type1 setup of the guest programs that drive a PCI device bound
 * to vfio-pci (ci/boot/vfio_map_test.c, ci/bench/vfio_unmap_bench.c), in
 * one copy: the device's group, the container with the type1v2 IOMMU, the
 * group attached and the device opened, and the DMA map and unmap ioctls.
 *
 * Nothing here prints: each program reports in its own format (TAP
 * "Bail out!", "bench vfio error=").  A setup step returns NULL, or what
 * failed (errno set) for the program to bail out with; the program names
 * the checks that are not an ioctl.
 */
#ifndef GUEST_VFIO_H
#define GUEST_VFIO_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

struct guest_vfio {
	int container, group, device;
	char group_path[PATH_MAX];	/* /dev/vfio/<group of the device> */
};

/*
 * Find the group of PCI device pci, open the container and check that it
 * has the type1v2 IOMMU (no_type1v2: what to call it when not); nothing is
 * attached yet, so the caller may ask the container about extensions.
 */
static inline const char *guest_vfio_container(struct guest_vfio *v, const char *pci,
					       const char *no_type1v2)
{
	char link[PATH_MAX];
	ssize_t len;

	snprintf(v->group_path, sizeof(v->group_path),
		 "/sys/bus/pci/devices/%s/iommu_group", pci);
	len = readlink(v->group_path, link, sizeof(link) - 1);
	if (len < 0)
		return v->group_path;
	link[len] = 0;
	snprintf(v->group_path, sizeof(v->group_path), "/dev/vfio/%s",
		 strrchr(link, '/') + 1);

	v->container = open("/dev/vfio/vfio", O_RDWR);
	if (v->container < 0)
		return "/dev/vfio/vfio";
	if (ioctl(v->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		return "VFIO_GET_API_VERSION";
	if (!ioctl(v->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU))
		return no_type1v2;
	return NULL;
}

/*
 * Open the group, attach it to the container, set the type1v2 IOMMU and
 * open the device (not_viable: what to call a group of which another
 * device has a driver).
 */
static inline const char *guest_vfio_device(struct guest_vfio *v, const char *pci,
					    const char *not_viable)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };

	v->group = open(v->group_path, O_RDWR);
	if (v->group < 0)
		return v->group_path;
	if (ioctl(v->group, VFIO_GROUP_GET_STATUS, &status))
		return "VFIO_GROUP_GET_STATUS";
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		errno = EBUSY;
		return not_viable;
	}
	if (ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container))
		return "VFIO_GROUP_SET_CONTAINER";
	if (ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return "VFIO_SET_IOMMU";
	v->device = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, pci);
	if (v->device < 0)
		return "VFIO_GROUP_GET_DEVICE_FD";
	return NULL;
}

static inline void guest_vfio_close(struct guest_vfio *v)
{
	close(v->device);
	close(v->group);
	close(v->container);
}

/* VFIO_IOMMU_MAP_DMA, readable and writable: 0, or -1 with errno */
static inline int guest_vfio_map(int container, void *vaddr, __u64 iova, __u64 size)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)vaddr,
		.iova = iova,
		.size = size,
	};

	return ioctl(container, VFIO_IOMMU_MAP_DMA, &map);
}

/* VFIO_IOMMU_UNMAP_DMA: the bytes the kernel says it unmapped, or -1 with errno */
static inline long long guest_vfio_unmap(int container, __u64 iova, __u64 size,
					 __u32 flags)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.flags = flags,
		.iova = iova,
		.size = size,
	};

	if (ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap))
		return -1;
	return unmap.size;
}

#endif /* GUEST_VFIO_H */
