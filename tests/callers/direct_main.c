// SPDX-License-Identifier: GPL-2.0
/*
 * Drive iommu_create_device_direct_mappings() of drivers/iommu/iommu.c on a
 * fake DMA domain that may already map parts of the reserved regions.
 *
 * The function is extracted from a kernel tree at test time
 * (CALLERS_EXTRACTED); this file supplies the device, its reserved regions
 * and a command loop.  Commands, one a line on stdin (numbers are hex):
 *
 *   domain BITMAP                 new empty domain
 *   map IOVA PHYS SIZE            an existing mapping, in the largest leaves
 *   region START LENGTH TYPE      a reserved region (0: DIRECT,
 *                                 1: DIRECT_RELAXABLE, 2: RESERVED)
 *   create                        the call, then the domain's leaves
 */
#include "callers_stubs.h"

enum iommu_resv_type {
	IOMMU_RESV_DIRECT,
	IOMMU_RESV_DIRECT_RELAXABLE,
	IOMMU_RESV_RESERVED,
};

struct iommu_resv_region {
	struct list_head list;
	phys_addr_t start;
	size_t length;
	int prot;
	enum iommu_resv_type type;
};

struct dev_iommu {
	int require_direct;
};

struct device {
	struct dev_iommu *iommu;
};

#define MAX_REGIONS 16
static struct iommu_resv_region regions[MAX_REGIONS];
static int nr_regions;

static void iommu_get_resv_regions(struct device *dev, struct list_head *list)
{
	int i;

	(void)dev;
	for (i = 0; i < nr_regions; i++)
		list_add_tail(&regions[i].list, list);
}

static void iommu_put_resv_regions(struct device *dev, struct list_head *list)
{
	(void)dev;
	(void)list;
}

static bool iommu_is_dma_domain(struct iommu_domain *domain)
{
	(void)domain;
	return true;
}

#include CALLERS_EXTRACTED

int main(void)
{
	static struct iommu_domain domain;
	struct dev_iommu dev_iommu = { 0 };
	struct device dev = { &dev_iommu };
	char line[4096];

	alarm(getenv("CALLERS_ALARM") ? atoi(getenv("CALLERS_ALARM")) : 20);
	while (fgets(line, sizeof(line), stdin)) {
		char *cursor;
		char *cmd = strtok_r(line, " \t\n", &cursor);

		if (!cmd)
			continue;
		if (!strcmp(cmd, "domain")) {
			callers_domain_init(&domain, callers_num(&cursor));
			nr_regions = 0;
		} else if (!strcmp(cmd, "map")) {
			unsigned long iova = callers_num(&cursor);
			phys_addr_t phys = callers_num(&cursor);

			if (iommu_map(&domain, iova, phys, callers_num(&cursor), 0, 0))
				printf("map failed\n");
		} else if (!strcmp(cmd, "region")) {
			struct iommu_resv_region *r = &regions[nr_regions++];

			r->start = callers_num(&cursor);
			r->length = callers_num(&cursor);
			r->type = callers_num(&cursor);
			r->prot = IOMMU_READ | IOMMU_WRITE;
		} else if (!strcmp(cmd, "create")) {
			int ret;

			domain.lookups = 0;
			callers_warnings = 0;
			callers_log = stdout;
			printf("create");
			ret = iommu_create_device_direct_mappings(&domain, &dev);
			callers_log = NULL;
			printf(" ret=%d require_direct=%d", ret, dev_iommu.require_direct);
			callers_print_leaves(&domain);
			printf(" lookups=%lx warns=%lx\n", domain.lookups, callers_warnings);
		} else {
			fprintf(stderr, "unknown command %s\n", cmd);
			return 2;
		}
		fflush(stdout);
	}
	return 0;
}
