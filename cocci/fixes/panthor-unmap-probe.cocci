// SPDX-License-Identifier: GPL-2.0-only
/// drm/panthor: when unmap_pages() stops short, panthor_vm_unmap_pages()
/// skips the unmapped range that stopped it by probing 4K at a time, but
/// probes from iova, the start of the whole range, not from iova + offset,
/// the start of the chunk that unmap_pages() was given.  Probe from where
/// the unmap stopped.
///
/// Matches only a function whose chunk is unmapped at iova + offset and
/// whose probe leaves the offset out; anything else is left alone.
//
// Confidence: High
// Options: --no-includes

@chunk@
identifier ops, iova, offset, unmapped_sz;
@@
 panthor_vm_unmap_pages(...)
 {
 <+...
 unmapped_sz = ops->unmap_pages(ops, iova + offset, ...);
 ...+>
 }

@depends on chunk@
identifier chunk.ops, chunk.iova, chunk.offset, chunk.unmapped_sz;
@@
 panthor_vm_unmap_pages(...)
 {
 <...
 ops->iova_to_phys(ops,
-                   iova + unmapped_sz
+                   iova + offset + unmapped_sz
 )
 ...>
 }
