# iova_to_phys_length series generator.  See README.md.
#
#   make series [KVER=7.2|6.12] [KERNEL=/path/to/linux] [V=N] [OUT=dir] [AUTHOR="Name <email>"]
#   make test
#   make audit  [KERNEL=...] [MODE=report|org|context|patch]
#   make inventory [KERNEL=...]

PYTHON ?= /usr/bin/python3
KVER ?= 7.2
V ?= 1
MODE ?= report
PYTEST_ARGS ?=

tree_args = $(if $(KERNEL),--kernel "$(KERNEL)",--kver $(KVER))
series_args = $(tree_args) --version $(V) $(if $(OUT),--out "$(OUT)") \
	$(if $(AUTHOR),--author "$(AUTHOR)")

.PHONY: series test audit inventory deps-series deps-test ci-full

deps-%:
	@$(PYTHON) -m generator deps $*

series: deps-series
	$(PYTHON) -m generator series $(series_args)

inventory: deps-series
	$(PYTHON) -m generator inventory $(tree_args)

audit: deps-series
	$(PYTHON) -m generator audit $(tree_args) --mode $(MODE)

# Every test of the project, unit and integration, in one pytest run.
test: deps-test
	$(PYTHON) -m pytest -ra $(PYTEST_ARGS) tests
