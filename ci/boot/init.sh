#!/bin/sh
# PID 1 of the test guest (busybox sh). The kernel has already run the
# io-pgtable boot selftests and printed them on the console. This runs the
# tests named in the kernel command line parameter citests= (comma
# separated: kunit, or programs in /tests), each one's TAP in a section of
# the results port (guest.sh), and powers off. citimeout= is each test's
# time limit in seconds.
. /lib/guest.sh
export PATH=/bin:/tests

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

guest_done
