# iova_to_phys_length series generator.  See README.md.
#
#   make series [KVER=7.2|6.12] [KERNEL=/path/to/linux] [V=N] [OUT=dir] [AUTHOR="Name <email>"]
#               [PREV=<vN-1 series dir or branch> [THREAD=<its review mbox>] [KEEP_TRAILERS=changed]]
#               [WAIT=1: wait for another run on the same tree instead of stopping]
#               [STRICT=1: a new caller no rule converts is an error] [LOCAL=steps.toml]
#   make test
#   make audit  [KERNEL=...] [MODE=report|org|context|patch]
#   make inventory [KERNEL=...]
#   make check  [OUT=<series dir>] [PREV=<previous series dir or branch>]
#   make kunit  [OUT=<series dir>]
#   make boot   [OUT=<series dir>] [ARCH=x86_64|arm64]
#   make bench  [OUT=<series dir>] [CHECK_REPORT=<check.json>]
#   make check-lts  make series + make check for KVER=6.12
#   make fresh-check  make series + make test on a fresh debootstrapped Debian root
#   make ci-full    everything above, full matrices (hours on 2 cores)

PYTHON ?= /usr/bin/python3
KVER ?= 7.2
V ?= 1
MODE ?= report
PYTEST_ARGS ?=

# KVER= given with KERNEL= reaches the generator, which refuses the pair.
tree_args = $(if $(KERNEL),--kernel "$(KERNEL)" $(if $(filter-out file,$(origin KVER)),--kver \
	"$(KVER)"),--kver $(KVER))
series_args = $(tree_args) --version "$(V)" $(if $(OUT),--out "$(OUT)") \
	$(if $(AUTHOR),--author "$(AUTHOR)") $(if $(WAIT),--wait) \
	$(if $(filter 1,$(STRICT)),--strict) $(if $(LOCAL),--local "$(LOCAL)") \
	$(if $(PREV),--prev "$(PREV)") $(if $(THREAD),--thread "$(THREAD)") \
	$(if $(KEEP_TRAILERS),--keep-trailers "$(KEEP_TRAILERS)")

# The series the series-consuming targets read: OUT, else the newest
# out/<release>/v$(V) that `make series` wrote (for KVER=, of that release).
SERIES = $(or $(OUT),$(lastword $(sort $(wildcard out/$(if $(KERNEL),,$(KVER).)*/v$(V)))))
series_field = $$($(PYTHON) -m generator show $(1) --series "$(SERIES)")
series_tree = $(call series_field,worktree)
series_base = $(call series_field,kernel.base_commit)
ARCH ?= x86_64

.PHONY: series test audit inventory ci-full check check-lts kunit boot bench have-series fresh-check \
	$(DEPS)

# A static pattern rule, not a plain `deps-%:` one: make does no implicit-rule
# search for a phony target, so a pattern rule would never install anything.
DEPS = deps-series deps-test deps-check deps-boot
# A fresh Debian install may lack python3 itself: the generator's deps step
# needs it to run at all.
$(DEPS): deps-%:
	@test -x $(PYTHON) || $(install_python)
	@$(PYTHON) -m generator deps $*

apt_python = apt-get install -y -q --no-install-recommends python3
install_python = { test "$$(id -u)" = 0 || { echo "error: no $(PYTHON): as root run: $(apt_python)" >&2; \
	exit 1; }; echo "installing: python3"; export DEBIAN_FRONTEND=noninteractive; \
	$(apt_python) || { apt-get update -q && $(apt_python); }; }

series: deps-series
	$(PYTHON) -m generator series $(series_args)

inventory: deps-series
	$(PYTHON) -m generator inventory $(tree_args)

audit: deps-series
	$(PYTHON) -m generator audit $(tree_args) --mode $(MODE)

# Every test of the project but the whole-kernel boots and KUnit runs
# (marked full: make ci-full runs them), in one pytest run that fits CI's
# 90 minutes on 2 cores; a -m in PYTEST_ARGS replaces the default one.
# --durations: CI's log then says where its time went.
test: deps-test
	$(PYTHON) -m pytest -ra --durations=25 -m 'not full' $(PYTEST_ARGS) tests

have-series:
	@test -n "$(SERIES)" -a -f "$(SERIES)/series.json" || \
		{ echo "error: no series: run make series, or give OUT=<series dir>" >&2; exit 1; }

check: deps-check have-series
	$(PYTHON) -m ci.check --series "$(SERIES)" $(if $(PREV),--prev "$(PREV)")

kunit: deps-test have-series
	$(PYTHON) -m ci.kunit --kernel "$(series_tree)"

boot: deps-boot have-series
	$(PYTHON) -m ci.boot --tree "$(series_tree)" --arch $(ARCH) --base $(series_base) \
		--out "$(SERIES)/boot"

bench: deps-test have-series
	$(PYTHON) -m ci.bench --series "$(SERIES)" --out "$(SERIES)/bench" \
		$(if $(CHECK_REPORT),--check-report "$(CHECK_REPORT)")

# The 6.12 LTS series through the same full matrix (not in make test: it
# would double the build time; the 6.12 generation itself is tested there).
check-lts:
	$(MAKE) series KVER=6.12
	$(MAKE) check KVER=6.12

# The README's two commands on a new debootstrapped Debian root (ci/fresh.py);
# PYTEST_ARGS picks the tests run there (default -m 'not slow').
fresh-check: deps-check
	$(PYTHON) -m ci.fresh $(if $(PYTEST_ARGS),--pytest-args "$(PYTEST_ARGS)")

# The boots first: make check puts their tables in its report.
ci-full: series
	$(MAKE) fresh-check
	$(MAKE) boot ARCH=x86_64
	$(MAKE) boot ARCH=arm64
	$(MAKE) check kunit
	$(PYTHON) -m pytest -ra --durations=25 -m full tests
	CHECK_SLOW=1 $(PYTHON) -m pytest -ra tests/test_check_builds.py
	$(MAKE) bench CHECK_REPORT="$(SERIES)/check.json"
	$(MAKE) check-lts
