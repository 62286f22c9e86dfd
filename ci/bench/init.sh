#!/bin/sh
# PID 1 of the benchmark guest (busybox sh). Runs the sections named in
# the kernel parameter benchsections= (comma separated: kmod, vfio,
# iommufd), each between markers on the results port (the first virtio
# console), then dumps dmesg there and powers off. Other parameters:
# benchrange= MiB traversed by the module, benchsize= MiB mapped by the
# end-to-end programs, benchreps= repetitions.
/bin/busybox --install -s /bin
export PATH=/bin:/bench
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/hugepages /tmp
mount -t hugetlbfs hugetlbfs /dev/hugepages

if [ -c /dev/hvc0 ]; then
	exec 3>/dev/hvc0
else
	echo "ci-bench: no /dev/hvc0, results go to the console"
	exec 3>/dev/console
fi

section_begin() { echo "@@@ BEGIN $1" >&3; }
section_end() { echo "@@@ END $1 rc=$2" >&3; }

# QEMU's "edu" PCI device (1234:11e8), bound to vfio-pci; print its address.
vfio_device() {
	for dev in /sys/bus/pci/devices/*; do
		if [ "$(cat $dev/vendor)" = 0x1234 ] && [ "$(cat $dev/device)" = 0x11e8 ]; then
			dev=$(basename $dev)
			echo vfio-pci > /sys/bus/pci/devices/$dev/driver_override
			echo $dev > /sys/bus/pci/drivers_probe
			echo $dev
			return 0
		fi
	done
	echo "bench vfio error=no_edu_device" >&3
	return 1
}

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
		dev=$(vfio_device) && \
			vfio_unmap_bench $dev ${benchsize:-1024} ${benchreps:-5}
		rc=$?
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

section_begin dmesg
dmesg >&3
section_end dmesg 0
echo "@@@ DONE" >&3
sync
poweroff -f
