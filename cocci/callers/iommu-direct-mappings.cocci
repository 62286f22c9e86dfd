// SPDX-License-Identifier: GPL-2.0-only
/// iommu: iommu_create_device_direct_mappings() looks up each reserved region
/// one leaf at a time: an address already mapped skips the rest of its leaf,
/// which is mapped too.  PHYS_ADDR_MAX tells a hole from a mapping of
/// physical address 0, so the lookup of address 1 in place of 0 goes, with
/// its comment (trees without that workaround look up addr itself).
//
// Confidence: High
// Options: --no-includes

@walk@
identifier domain, addr, end, pg_size, phys_addr, map_size, map_end;
@@
 iommu_create_device_direct_mappings(...)
 {
 <...
-for (addr = start; addr <= end; addr += pg_size) {
+for (addr = start; addr <= end; addr += step) {
 	phys_addr_t phys_addr;
+	size_t length;
 
-	if (addr == end)
-		goto map_end;
-	phys_addr = iommu_iova_to_phys(domain, \( addr ? addr : 1 \| addr \));
-	if (!phys_addr) {
+	step = pg_size;
+	if (addr == end)
+		goto map_end;
+	phys_addr = iommu_iova_to_phys_length(domain, addr, &length);
+	if (phys_addr == PHYS_ADDR_MAX) {
 		map_size += pg_size;
 		continue;
 	}
 map_end:
 	...
 }
 ...>
 }

@skip_leaf depends on walk@
identifier walk.phys_addr, walk.map_size, walk.pg_size, walk.addr, walk.end;
@@
 iommu_create_device_direct_mappings(...)
 {
 <...
 if (phys_addr == PHYS_ADDR_MAX) {
 	map_size += pg_size;
 	continue;
 }
+/* Skip the rest of the mapped leaf, up to end */
+step = max_t(size_t, pg_size, length - (addr & (length - 1)));
+step = min_t(u64, step, end - addr);
 ...>
 }

@step_decl depends on walk@
identifier walk.map_size;
@@
 iommu_create_device_direct_mappings(...)
 {
 <...
 size_t map_size = 0;
+size_t step;
 ...>
 }
