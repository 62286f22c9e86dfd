/* SPDX-License-Identifier: GPL-2.0-only */
/* A name-space macro in a header, as generic_pt's DOMAIN_NS(). */
#define TOY_NS(op) toy_fmt_##op
