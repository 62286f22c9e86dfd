/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Forced into the compile of the iommufd selftests (-include): the
 * kselftest harness kills a test case after a fixed TEST_TIMEOUT_DEFAULT
 * of 30 seconds, which iommufd_fail_nth's cases can exceed on an emulated
 * (TCG) CPU with KASAN and lockdep. The TEST_F() macros read the value
 * where they are used, so redefining it after the harness header is enough.
 */
#include "kselftest_harness.h"
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 600
