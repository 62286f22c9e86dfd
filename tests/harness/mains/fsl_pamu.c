// SPDX-License-Identifier: GPL-2.0
/*
 * fsl_pamu: no page table; the domain translates its aperture identically
 * ([0, 2^36) as fsl_pamu_domain_alloc() sets it).  The whole aperture is
 * one linear translation, so the length is the largest naturally aligned
 * block around iova inside the aperture; outside it nothing translates.
 * A second, unaligned aperture checks that the length never runs past an
 * aperture edge.
 */
#include "kstubs.h"
#include HARNESS_EXTRACTED
#include "harness.h"

static struct iommu_domain dom;

static phys_addr_t lookup(u64 iova, size_t *length)
{
#ifdef HARNESS_LEGACY
	*length = SZ_4K;
	return HARNESS_FN(&dom, iova);
#else
	return HARNESS_FN(&dom, iova, length);
#endif
}

static void run(const char *name, u64 start, u64 end)
{
	const u64 probes[] = { start, start + 0x1234, start + (end - start) / 3,
			       end - 0x10000, end };
	char id[96];
	unsigned int i;

	dom.geometry.aperture_start = start;
	dom.geometry.aperture_end = end;
	dom.geometry.force_aperture = true;
	for (i = 0; i < ARRAY_SIZE(probes); i++) {
		snprintf(id, sizeof(id), "fsl_pamu/%s/aperture/0x%" PRIx64, name,
			 probes[i]);
		check_leaf(id, probes[i], probes[i],
			   largest_block(probes[i], start, end));
	}
	snprintf(id, sizeof(id), "fsl_pamu/%s/hole/past-aperture", name);
	check_hole(id, end + 1);
	if (start) {
		snprintf(id, sizeof(id), "fsl_pamu/%s/hole/below-aperture", name);
		check_hole(id, start - 1);
	}
}

int main(void)
{
	run("64G", 0, (1ULL << 36) - 1);
	run("unaligned", 0x3000, 0x12344fff);
	return harness_done();
}
