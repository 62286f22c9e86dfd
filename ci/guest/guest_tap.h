/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kselftest TAP output of our guest test programs
 * (ci/boot/vfio_map_test.c, ci/boot/iommufd_access_test.c), kept in one
 * copy so that they print the same lines the same way.  ci/boot/results.py
 * hands these lines to the kernel's kunit_parser, which reads the plan,
 * "ok N name", "not ok N name", "# SKIP" and "Bail out!"; a "# ..." line is
 * a diagnostic it passes over.  Each case is named <group>.<case>, e.g.
 * 2M-hugetlb.unmap-all.
 *
 * Header-only, static inline, so that each program still builds from its
 * one .c file.
 */
#ifndef GUEST_TAP_H
#define GUEST_TAP_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_test_number;	/* of the last result printed */
static int tap_failures;	/* "not ok" results so far */

static inline void tap_plan(size_t cases)
{
	printf("TAP version 13\n1..%zu\n", cases);
}

/* "# <fmt>": a diagnostic */
static inline __attribute__((format(printf, 1, 2)))
void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* "ok N group.name" or "not ok N group.name", and " # <fmt>" unless fmt is NULL */
static inline __attribute__((format(printf, 4, 5)))
void tap_result(int ok, const char *group, const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d %s.%s", ok ? "ok" : "not ok", ++tap_test_number, group, name);
	if (fmt) {
		printf(" # ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	printf("\n");
	fflush(stdout);
	if (!ok)
		tap_failures++;
}

static inline void tap_skip(const char *group, const char *name, const char *why)
{
	printf("ok %d %s.%s # SKIP %s\n", ++tap_test_number, group, name, why);
}

/* "Bail out! <what>: <errno>", and exit code 1 */
static inline __attribute__((noreturn)) void tap_bail_out(const char *what)
{
	printf("Bail out! %s: %s\n", what, strerror(errno));
	exit(1);
}

#endif /* GUEST_TAP_H */
