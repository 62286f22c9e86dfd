/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Forced into every compile of tools/testing/selftests/vfio (-include):
 * Debian's 7.2.13 tree calls calloc_assert() in lib/vfio_pci_device.c but
 * defines it nowhere, so the vfio selftests do not build as shipped.
 */
#ifndef CI_BOOT_VFIO_SELFTESTS_SHIM_H
#define CI_BOOT_VFIO_SELFTESTS_SHIM_H
#include <stdio.h>
#include <stdlib.h>

static inline void *ci_boot_calloc_assert(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb, size);

	if (!p) {
		fprintf(stderr, "calloc(%zu, %zu) failed\n", nmemb, size);
		abort();
	}
	return p;
}
/* only where the tree itself has no calloc_assert */
#define calloc_assert ci_boot_calloc_assert
#endif
