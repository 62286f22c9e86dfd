"""What every QEMU guest of ci/ needs; ci/boot and ci/bench are data on it.

 - build.py: the guest arches, a kernel built out of tree in a private
   mount namespace (one fixed path for every tree, so ccache serves a
   mutated or patched copy from the first build's objects), its timing,
   our static programs, and the newc initramfs (cpio.py) with busybox,
   guest.sh and the harness' init;
 - qemu.py: the emulated machines, their accelerators and one boot;
 - guest.sh: what each init sources: mounts, the results port, the
   section markers, the edu device bound to vfio-pci, the power-off;
 - protocol.py: those markers read back (one format for every guest);
 - guest_tap.h, guest_vfio.h, guest_time.h: what the guest programs share
   in C (TAP lines, the VFIO type1 setup, the clock).

A harness gives its fragments (ci/kconfig.py checks they took), its
object directory, the steps after the kernel, its payload, its init and
its kernel parameters.
"""
