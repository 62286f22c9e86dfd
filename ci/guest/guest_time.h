/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The clock of the benchmark programs (ci/bench/vfio_unmap_bench.c and
 * ci/bench/iommufd_unmap_bench.c in the guest, ci/bench/host_bench.c on
 * the host), in one copy so that every figure is taken the same way.
 */
#ifndef GUEST_TIME_H
#define GUEST_TIME_H

#include <time.h>

/* CLOCK_MONOTONIC in nanoseconds */
static inline unsigned long long guest_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

#endif /* GUEST_TIME_H */
