"""The harness cases: which kernel files and function each driver test uses.

files    tree-relative, in include order (headers first); the extractor
         looks up definitions only there
function the implementation's name before conversion; converted trees have
         function + "_length"
roots    further definitions the test main uses (encoders, ops tables)
exclude  names the test main defines itself (hardware access it models)
sizes    the leaf sizes of the hardware format: check IDs carry them as a
         path component, and every one must be checked
base_drops_offset  the unconverted function loses the sub-page offset (it
         is one of the things the conversion fixes)
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

    @property
    def source(self):
        return self.name + ".c"

    @property
    def driver(self):
        """The driver's own .c file (the last one listed)."""
        return self.files[-1]


CASES = [
    Case("exynos", ["drivers/iommu/exynos-iommu.c"],
         "exynos_iommu_iova_to_phys", ["4K", "64K", "1M"],
         roots=["mk_lv1ent_sect", "mk_lv1ent_page", "mk_lv2ent_lpage",
                "mk_lv2ent_spage", "SYSMMU_LV1_PROT", "SYSMMU_LV2_PROT",
                "SYSMMU_V5_LV1_PROT", "SYSMMU_V5_LV2_PROT",
                "SYSMMU_PG_ENT_SHIFT", "SYSMMU_V5_PG_ENT_SHIFT",
                "NUM_LV1ENTRIES", "LV1TABLE_SIZE", "LV2TABLE_SIZE",
                "SPAGES_PER_LPAGE", "lv2ent_offset", "section_entry"]),
]
