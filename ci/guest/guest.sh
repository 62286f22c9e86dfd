# SPDX-License-Identifier: GPL-2.0
# What every test guest's init does, sourced by it from /lib/guest.sh
# (busybox sh): mount the pseudo file systems, open the results port as
# fd 3, and write each part of the run between the markers that
# ci/guest/protocol.py reads. The init then runs its own parts and calls
# guest_done.
/bin/busybox --install -s /bin
# the kernel starts init with no PATH; the init adds its own directory
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mkdir -p /dev/hugepages /tmp
mount -t hugetlbfs hugetlbfs /dev/hugepages

# The results port is the first virtio console; the kernel console is
# ttyS0/ttyAMA0. (A failed "exec 3>" would end PID 1, hence the test.)
if [ -c /dev/hvc0 ]; then
	exec 3>/dev/hvc0
else
	echo "guest: no /dev/hvc0, results go to the console"
	exec 3>/dev/console
fi

uptime_s() { cut -d' ' -f1 /proc/uptime; }

section_begin() { echo "@@@ BEGIN $1" >&3; section_start=$(uptime_s); }
section_end() {
	echo "@@@ END $1 rc=$2 seconds=$(awk "BEGIN { print $(uptime_s) - $section_start }")" >&3
}

# QEMU's "edu" PCI device (vendor 1234, device 11e8), bound to vfio-pci
# once; print its address.
vfio_device() {
	for dev in /sys/bus/pci/devices/*; do
		if [ "$(cat $dev/vendor)" = 0x1234 ] && [ "$(cat $dev/device)" = 0x11e8 ]; then
			dev=$(basename $dev)
			if [ ! -e /sys/bus/pci/drivers/vfio-pci/$dev ]; then
				echo vfio-pci > /sys/bus/pci/devices/$dev/driver_override
				echo $dev > /sys/bus/pci/drivers_probe
			fi
			echo $dev
			return 0
		fi
	done
	echo "Bail out! no edu PCI device" >&2
	return 1
}

# The kernel log, the last section, then power off.
guest_done() {
	section_begin dmesg
	dmesg >&3
	section_end dmesg 0
	echo "@@@ DONE" >&3
	sync
	poweroff -f
}
