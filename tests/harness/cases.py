"""The harness cases: which kernel files and function each driver test uses.

files    tree-relative, in include order (headers first); the extractor
         looks up definitions only there
function the implementation's name before conversion; converted trees have
         function + "_length"
roots    further definitions the test main uses (encoders, ops tables)
exclude  names the test main defines itself (hardware access it models),
         or tags only pointed to that would drag in device structs
sizes    the leaf sizes of the hardware format: check IDs carry them as a
         path component, and every one must be checked
base_drops_offset  the unconverted function loses the sub-page offset (it
         is one of the things the conversion fixes)
base_wrong_phys  check-ID components (e.g. "pa-0x81000000") of leaves whose
         phys the unconverted function gets wrong, a bug the series fixes:
         their phys checks are not asked to pass on the base tree
probes   macro -> regex: the macro is defined for the test main when the
         extracted text matches (which ops members the tree has)
only     file -> names: take just these definitions from that file (a core
         header whose other definitions the stubs provide)
main     the test main (mains/<main>.c) when it is not the case's name: a
         "-32" case reruns a main with -m32, for a 32-bit size_t
step     the id of the generator/series.toml step that converts it, where
         the step does not list the function in its covers
"""

from dataclasses import dataclass, field


@dataclass
class Case:
    name: str
    files: list
    function: str
    sizes: list
    roots: list = field(default_factory=list)
    exclude: list = field(default_factory=list)
    cflags: list = field(default_factory=list)
    base_drops_offset: bool = False
    base_wrong_phys: list = field(default_factory=list)
    step: str = None
    probes: dict = field(default_factory=dict)
    main: str = None
    only: dict = field(default_factory=dict)

    @property
    def source(self):
        return (self.main or self.name) + ".c"

    @property
    def driver(self):
        """The driver's own .c file (the last one listed)."""
        return self.files[-1]


# Which members struct io_pgtable_ops has in the tree.
IOPGTABLE_OPS_LENGTH = r"\(\*iova_to_phys_length\)\s*\(struct io_pgtable_ops"
IOPGTABLE_OPS_OLD = r"\(\*iova_to_phys\)\s*\(struct io_pgtable_ops"

# The shared helper fsl_pamu and virtio use; the rest of iommu.h is stubbed.
RANGE_BLOCK = {"include/linux/iommu.h": ["iommu_range_block_length"]}

OPS_PROBES = {"HARNESS_OPS_LENGTH": IOPGTABLE_OPS_LENGTH,
              "HARNESS_OPS_OLD": IOPGTABLE_OPS_OLD}


def passthrough(domain_type, domain_member, ops_member, checks_null_ops):
    """cflags for mains/passthrough.c"""
    return ["-DDOMAIN_TYPE=" + domain_type, "-DDOMAIN_MEMBER=" + domain_member,
            "-DOPS_MEMBER=" + ops_member,
            "-DCHECKS_NULL_OPS=%d" % checks_null_ops]


CASES = [
    Case("exynos", ["drivers/iommu/exynos-iommu.c"],
         "exynos_iommu_iova_to_phys", ["4K", "64K", "1M"],
         roots=["mk_lv1ent_sect", "mk_lv1ent_page", "mk_lv2ent_lpage",
                "mk_lv2ent_spage", "SYSMMU_LV1_PROT", "SYSMMU_LV2_PROT",
                "SYSMMU_V5_LV1_PROT", "SYSMMU_V5_LV2_PROT",
                "SYSMMU_PG_ENT_SHIFT", "SYSMMU_V5_PG_ENT_SHIFT",
                "NUM_LV1ENTRIES", "LV1TABLE_SIZE", "LV2TABLE_SIZE",
                "SPAGES_PER_LPAGE", "lv2ent_offset", "section_entry"]),
    Case("omap", ["drivers/iommu/omap-iopgtable.h",
                  "drivers/iommu/omap-iommu.h", "drivers/iommu/omap-iommu.c"],
         "omap_iommu_iova_to_phys", ["4K", "64K", "1M", "16M"],
         roots=["IOPTE_TABLE_SIZE", "IOPGD_TABLE_SIZE", "iopgd_offset",
                "iopte_index", "IOPGD_TABLE", "IOPGD_SECTION", "IOPGD_SUPER",
                "IOPTE_SMALL", "IOPTE_LARGE", "IOPAGE_MASK", "IOLARGE_MASK",
                "IOSECTION_MASK", "IOSUPER_MASK", "IOPTE_SIZE",
                "IOLARGE_SIZE", "IOSECTION_SIZE", "IOSUPER_SIZE"]),
    Case("rockchip", ["drivers/iommu/rockchip-iommu.c"],
         "rk_iommu_iova_to_phys", ["4K"],
         roots=["iommu_data_ops_v1", "iommu_data_ops_v2", "NUM_DT_ENTRIES",
                "NUM_PT_ENTRIES", "SPAGE_SIZE", "rk_mk_pte_invalid"]),
    Case("vsi", ["drivers/iommu/vsi-iommu.c"],
         "vsi_iommu_iova_to_phys", ["4K"],
         roots=["vsi_mk_dte", "vsi_mk_pte", "vsi_mk_pte_invalid",
                "NUM_DT_ENTRIES", "NUM_PT_ENTRIES", "SPAGE_SIZE"]),
    Case("sun50i", ["drivers/iommu/sun50i-iommu.c"],
         "sun50i_iommu_iova_to_phys", ["4K"],
         roots=["sun50i_mk_dte", "sun50i_mk_pte", "DT_SIZE", "PT_SIZE"]),
    Case("sprd", ["drivers/iommu/sprd-iommu.c"],
         "sprd_iommu_iova_to_phys", ["4K"]),
    Case("tegra", ["drivers/iommu/tegra-smmu.c"],
         "tegra_smmu_iova_to_phys", ["4K"],
         roots=["SMMU_MK_PDE", "SMMU_PDE_ATTR", "SMMU_PDE_NEXT",
                "SMMU_PHYS_PFN", "SMMU_PTE_NONSECURE", "SMMU_PTE_READABLE",
                "SMMU_PTE_WRITABLE", "SMMU_SIZE_PD", "SMMU_SIZE_PT",
                "SMMU_NUM_PDE", "iova_pd_index", "tegra_smmu_pte_offset"]),
    Case("mtk_v1", ["drivers/iommu/mtk_iommu_v1.c"],
         "mtk_iommu_v1_iova_to_phys", ["4K"],
         roots=["M2701_IOMMU_PGT_SIZE", "F_DESC_VALID", "F_DESC_NONSEC",
                "MT2701_IOMMU_PAGE_SHIFT"],
         base_drops_offset=True),
    Case("s390", ["arch/s390/include/asm/pci_dma.h",
                  "drivers/iommu/s390-iommu.c"],
         "s390_iommu_iova_to_phys", ["4K"],
         roots=["dma_walk_cpu_trans", "dma_update_cpu_trans",
                "dma_alloc_cpu_table", "max_tbl_size",
                "dma_region_table_cache", "dma_page_table_cache",
                "ZPCI_TABLE_ALIGN", "ZPCI_PT_ALIGN"],
         base_drops_offset=True),
    Case("fsl_pamu", ["include/linux/iommu.h", "drivers/iommu/fsl_pamu_domain.c"],
         "fsl_pamu_iova_to_phys", ["aperture"], only=RANGE_BLOCK),
    Case("virtio", ["include/linux/iommu.h", "drivers/iommu/virtio-iommu.c"],
         "viommu_iova_to_phys", ["interval"], only=RANGE_BLOCK),
    Case("lpae", ["include/linux/io-pgtable.h",
                  "drivers/iommu/io-pgtable-arm.h",
                  "drivers/iommu/io-pgtable-arm.c"],
         "arm_lpae_iova_to_phys",
         ["4K", "2M", "1G", "16K", "32M", "64K", "512M", "4T"],
         roots=["paddr_to_iopte", "iopte_deref", "ARM_LPAE_PTE_AF",
                "ARM_LPAE_PTE_SH_IS", "ARM_LPAE_PTE_nG",
                "ARM_LPAE_PTE_TYPE_PAGE", "ARM_LPAE_PTE_TYPE_BLOCK",
                "ARM_LPAE_PTE_TYPE_TABLE", "ARM_LPAE_GRANULE",
                "ARM_LPAE_PGD_SIZE", "ARM_LPAE_LVL_IDX",
                "ARM_LPAE_BLOCK_SIZE", "ARM_LPAE_MAX_LEVELS",
                "io_pgtable_ops_to_data"],
         step="io-pgtable-arm"),
    Case("v7s", ["include/linux/io-pgtable.h",
                 "drivers/iommu/io-pgtable-arm-v7s.c"],
         "arm_v7s_iova_to_phys", ["4K", "64K", "1M", "16M"],
         roots=["paddr_to_iopte", "iopte_deref", "arm_v7s_prot_to_pte",
                "arm_v7s_pte_to_cont", "ARM_V7S_LVL_IDX",
                "ARM_V7S_TABLE_SIZE", "ARM_V7S_PTE_TYPE_TABLE",
                "ARM_V7S_CONT_PAGES", "IO_PGTABLE_QUIRK_ARM_MTK_EXT",
                "IO_PGTABLE_QUIRK_ARM_NS", "IO_PGTABLE_QUIRK_NO_PERMS"],
         step="io-pgtable-arm-v7s"),
    Case("dart", ["include/linux/io-pgtable.h",
                  "drivers/iommu/io-pgtable-dart.c"],
         "dart_iova_to_phys", ["4K", "16K"],
         roots=["dart_install_table", "dart_init_pte", "dart_get_index",
                "dart_get_last_index", "iopte_deref", "DART_GRANULE",
                "DART_MAX_TABLE_BITS"],
         step="io-pgtable-dart"),
    Case("msm", ["include/linux/io-pgtable.h",
                 "drivers/iommu/msm_iommu_hw-8xxx.h",
                 "drivers/iommu/msm_iommu.h", "drivers/iommu/msm_iommu.c"],
         "msm_iommu_iova_to_phys", ["4K", "16M"],
         roots=["CTX_SHIFT", "V2PPR", "PAR", "CTX_TLBIALL", "FAULT",
                "PAR_NOFAULT_SS", "V2Pxx_VA"],
         probes={"HARNESS_OPS_LENGTH": IOPGTABLE_OPS_LENGTH,
                 "HARNESS_OPS_OLD": IOPGTABLE_OPS_OLD}),
    Case("mtk", ["include/linux/io-pgtable.h", "drivers/iommu/mtk_iommu.c"],
         "mtk_iommu_iova_to_phys", ["4K", "64K", "1M", "16M"],
         probes={"HARNESS_OPS_LENGTH": IOPGTABLE_OPS_LENGTH,
                 "HARNESS_OPS_OLD": IOPGTABLE_OPS_OLD}),
    # 32-bit size_t: a 64G aperture and a whole-space mapping must clamp
    Case("fsl_pamu-32", ["include/linux/iommu.h", "drivers/iommu/fsl_pamu_domain.c"],
         "fsl_pamu_iova_to_phys", ["aperture"], only=RANGE_BLOCK, main="fsl_pamu",
         cflags=["-m32"]),
    Case("virtio-32", ["include/linux/iommu.h", "drivers/iommu/virtio-iommu.c"],
         "viommu_iova_to_phys", ["interval"], only=RANGE_BLOCK, main="virtio",
         cflags=["-m32"]),
    # Thin wrappers around the domain's io-pgtable (mains/passthrough.c)
    Case("apple-dart", ["include/linux/io-pgtable.h",
                        "drivers/iommu/apple-dart.c"],
         "apple_dart_iova_to_phys", ["4K", "16K", "2M", "1G"],
         main="passthrough", probes=OPS_PROBES,
         cflags=passthrough("apple_dart_domain", "domain", "pgtbl_ops", 1),
         exclude=["tag:apple_dart"]),
    Case("ipmmu", ["include/linux/io-pgtable.h",
                   "drivers/iommu/ipmmu-vmsa.c"],
         "ipmmu_iova_to_phys", ["4K", "16K", "2M", "1G"],
         main="passthrough", probes=OPS_PROBES,
         cflags=passthrough("ipmmu_vmsa_domain", "io_domain", "iop", 0),
         exclude=["tag:ipmmu_vmsa_device"]),
    Case("qcom_iommu", ["include/linux/io-pgtable.h",
                        "drivers/iommu/arm/arm-smmu/qcom_iommu.c"],
         "qcom_iommu_iova_to_phys", ["4K", "16K", "2M", "1G"],
         main="passthrough", probes=OPS_PROBES,
         cflags=passthrough("qcom_iommu_domain", "domain", "pgtbl_ops", 1)),
    # arm-smmu on an SMMU with translation operations (mains/arm_smmu.c)
    Case("arm-smmu", ["include/linux/io-pgtable.h",
                      "drivers/iommu/arm/arm-smmu/arm-smmu.h",
                      "drivers/iommu/arm/arm-smmu/arm-smmu.c"],
         "arm_smmu_iova_to_phys", ["4K", "64K", "2M", "1G", "16M"],
         main="arm_smmu", probes=OPS_PROBES,
         # ATOS: PAR bits above 39 dropped, a supersection's PAR misread
         base_wrong_phys=["pa-0x12345600000", "pa-0x81000000"],
         roots=["ARM_SMMU_FEAT_TRANS_OPS", "ARM_SMMU_CB_ATS1PR",
                "ARM_SMMU_CB_PAR", "ARM_SMMU_CB_PAR_F", "tag:arm_smmu_domain",
                "tag:arm_smmu_context_fmt", "tag:arm_smmu_domain_stage"],
         exclude=["arm_smmu_rpm_get",
                  "arm_smmu_rpm_put", "arm_smmu_page", "arm_smmu_readl",
                  "arm_smmu_writel", "arm_smmu_readq", "arm_smmu_writeq"]),
    Case("arm-smmu-v3", ["include/linux/io-pgtable.h",
                         "drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h",
                         "drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c"],
         "arm_smmu_iova_to_phys", ["4K", "16K", "2M", "1G"],
         main="passthrough", probes=OPS_PROBES,
         cflags=passthrough("arm_smmu_domain", "domain", "pgtbl_ops", 1),
         exclude=["tag:arm_smmu_device", "tag:arm_smmu_invs"]),
]
