/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Forced into the compile of the iommufd and VFIO selftests (-include):
 * the kselftest harness kills a test case after a fixed
 * TEST_TIMEOUT_DEFAULT of 30 seconds, which iommufd_fail_nth's cases, and
 * VFIO's 1G hugetlb case through virtio-iommu on arm64, exceed on an
 * emulated (TCG) CPU with KASAN and lockdep. A killed case leaves its
 * child holding the VFIO group: every later case then fails with EBUSY. The TEST_F() macros read the value
 * where they are used, so redefining it after the harness header is enough.
 */
#include "kselftest_harness.h"
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 600
