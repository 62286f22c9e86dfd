#!/bin/sh
# PID 1 of the benchmark guest (busybox sh). Runs the sections named in
# the kernel parameter benchsections= (comma separated: kmod, vfio,
# iommufd), each in a section of the results port (guest.sh), then
# powers off. Other parameters:
# benchrange= MiB traversed by the module, benchsize= MiB mapped by the
# end-to-end programs, benchreps= repetitions.
. /lib/guest.sh
export PATH=/bin:/bench

section_begin env
{
	echo "kernel $(uname -r)"
	echo "cmdline $(cat /proc/cmdline)"
	grep -m1 'model name' /proc/cpuinfo
	grep -E 'HugePages_(Total|Free)|MemTotal' /proc/meminfo
	cat /sys/kernel/mm/hugepages/hugepages-*/nr_hugepages
} >&3 2>&1
section_end env 0

for section in $(echo "$benchsections" | tr , ' '); do
	section_begin $section
	echo "ci-bench: running $section" > /dev/kmsg
	case $section in
	kmod)
		insmod /bench/iova_bench.ko range_mb=${benchrange:-1024} \
			reps=${benchreps:-5} 2>&1
		rc=$?
		rmmod iova_bench
		dmesg | grep 'iova_bench: '
		;;
	vfio)
		if dev=$(vfio_device); then
			vfio_unmap_bench $dev ${benchsize:-1024} ${benchreps:-5}
			rc=$?
		else
			echo "bench vfio error=no_edu_device"
			rc=1
		fi
		;;
	iommufd)
		iommufd_unmap_bench ${benchsize:-1024} ${benchreps:-5}
		rc=$?
		;;
	*)
		echo "unknown section $section"
		rc=2
		;;
	esac >&3 2>&1
	section_end $section $rc
done

guest_done
