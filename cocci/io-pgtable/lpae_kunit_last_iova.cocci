// SPDX-License-Identifier: GPL-2.0-only
/// io-pgtable-arm-selftests.c: register arm_lpae_test_last_iova
/// (kernel-overlay/io-pgtable/lpae_kunit_last_iova.c) after the existing
/// case of the LPAE KUnit suite.
//
// Confidence: High
// Options: --no-includes --include-headers
@@
identifier cases = io_pgtable_arm_test_cases;
@@
 struct kunit_case cases[] = {
	...,
	KUNIT_CASE(arm_lpae_do_selftests),
+	KUNIT_CASE(arm_lpae_test_last_iova),
	...
 };
