#!/bin/sh
# PID 1 of the test guest (busybox sh). The kernel has already run the
# io-pgtable boot selftests and printed them on the console. This runs the user-space tests named in the kernel command line
# parameter citests= (comma separated, from /tests), writes each one's TAP
# between markers to the results port, dumps dmesg there and powers off.
# citimeout= is each test's time limit in seconds.
/bin/busybox --install -s /bin
export PATH=/bin:/tests
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
	echo "ci-boot: no /dev/hvc0, results go to the console"
	exec 3>/dev/console
fi

uptime_s() { cut -d' ' -f1 /proc/uptime; }

section_begin() { echo "@@@ BEGIN $1" >&3; section_start=$(uptime_s); }
section_end() {
	echo "@@@ END $1 rc=$2 seconds=$(awk "BEGIN { print $(uptime_s) - $section_start }")" >&3
}

# The PCI address of QEMU's "edu" device (vendor 1234, device 11e8).
edu_device() {
	for dev in /sys/bus/pci/devices/*; do
		if [ "$(cat $dev/vendor)" = 0x1234 ] && [ "$(cat $dev/device)" = 0x11e8 ]; then
			basename $dev
			return
		fi
	done
}

# Bind the edu device to vfio-pci once; print its address.
vfio_device() {
	dev=$(edu_device)
	if [ -z "$dev" ]; then
		echo "Bail out! no edu PCI device" >&2
		return 1
	fi
	if [ ! -e /sys/bus/pci/drivers/vfio-pci/$dev ]; then
		echo vfio-pci > /sys/bus/pci/devices/$dev/driver_override
		echo $dev > /sys/bus/pci/drivers_probe
	fi
	echo $dev
}

# The built-in KUnit suites, run one by one through debugfs (the kernel
# is booted with kunit.autorun=0), each suite's KTAP from its results file
# in a section "kunit/<suite>". The generic_pt iommu suites compare
# NR_SECONDARY_PAGETABLE before and after each case; a periodic vmstat
# fold in between makes that check fail, so folding is slowed down first.
run_kunit() {
	echo 3600 > /proc/sys/vm/stat_interval
	for dir in /sys/kernel/debug/kunit/*/; do
		suite=$(basename $dir)
		[ -e $dir/run ] || continue
		section_begin kunit/$suite
		echo run > $dir/run
		cat $dir/results >&3
		section_end kunit/$suite 0
	done
	echo 1 > /proc/sys/vm/stat_interval
}

for test in $(echo "$citests" | tr , ' '); do
	if [ "$test" = kunit ]; then
		run_kunit
		continue
	fi
	section_begin $test
	echo "ci-boot: running $test" > /dev/kmsg
	# The selftests open files relative to their own directory.
	cd /tests
	case $test in
	vfio)	# ours: vfio_map_test
		dev=$(vfio_device) && timeout ${citimeout:-600} ./vfio_map_test $dev ;;
	vfio_*)	# the kernel's vfio selftests take the device address last
		dev=$(vfio_device) && timeout ${citimeout:-600} ./$test $dev ;;
	*)
		timeout ${citimeout:-600} ./$test ;;
	esac >&3 2>&1
	section_end $test $?
	# A test case the kselftest harness gave up on can leave its child
	# running, still mapping through the IOMMU while the next test or the
	# power-off proceeds: none outlives its section.
	kill -9 -1 2>/dev/null
	sleep 1
	echo "ci-boot: finished $test" > /dev/kmsg
done

section_begin dmesg
dmesg >&3
section_end dmesg 0
echo "@@@ DONE" >&3
sync
poweroff -f
