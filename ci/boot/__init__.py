"""Build a small test kernel, boot it under QEMU with each emulated IOMMU
and report the in-kernel and user-space IOMMU test suites per boot.

Entry point: ``python3 -m ci.boot --tree <kernel tree> --arch x86_64 --out <dir>``.
"""
