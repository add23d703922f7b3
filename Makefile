# make run    the kiosk, with the shipped content and a local data folder (.kiosk-data/)
# make test   the test suite (offscreen: no screen needed), on JOBS workers (2)
# make test-fast  the same tests, less of them, on FAST_JOBS workers (4): the stress and crash
#             loops a tenth as long, Hypothesis a tenth of its examples, and a case checked at
#             each of the three screen sizes at one of them, a different one for each of its
#             other parameters (the rest skipped, counted in the closing note)
# make check  ruff, mypy and the import contract (the core never imports Qt)
# make bench  benchmarks; figures go to bench/results/ and into README.md
# make screens  the README's pictures of each screen, in docs/screens/
# make translations  extract the kiosk's words (.pot), update each language's .po, compile the .mo
# Each target creates the virtual environment and installs what it needs.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DATA ?= .kiosk-data
# pytest-xdist workers, each taking whole files (their tests keep their order), in the order
# tests/conftest.py gives them (the stress and crash loops' files first); JOBS=1: serial
# (measured here: the whole suite in 4.5 min on two cores at a load of 3.5)
JOBS ?= 2
# make test-fast on twice as many workers as cores: each worker's main thread waits
# about 40% of its time (PostgreSQL, kiosk processes, Qt timers), and the others fill
# those waits (measured on two quiet cores, back to back: 111 s on 2, 93 s on 3, 89 s
# on 4; with this session's tests, 123 s on 3 and 118 s on 4; the same CPU time).
# JOBS=N on the command line sets both.
FAST_JOBS ?= 4
test-fast: JOBS = $(FAST_JOBS)

.PHONY: run run-windowed test test-fast check bench screens translations clean

$(STAMP): pyproject.toml
	@PYTHON=$(PYTHON) scripts/system-deps.sh python
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
		|| { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dev]'
	@touch $(STAMP)

# Bytecode compiled once (an installed kiosk has it): compiling kiosk/ at each
# start costs about a third of a second. Quick when nothing changed.
COMPILE := $(PY) -m compileall -q kiosk

run: $(STAMP)
	@scripts/system-deps.sh run
	@$(COMPILE)
	$(PY) main.py --data-dir $(DATA) $(ARGS)

run-windowed: $(STAMP)
	@scripts/system-deps.sh run
	@$(COMPILE)
	$(PY) main.py --windowed --data-dir $(DATA) $(ARGS)

# Bytecode kept from one run to the next: kiosk/ compiled, and pytest's rewritten test
# modules cached (with PYTHONDONTWRITEBYTECODE set, each worker rewrote every test module
# and each kiosk it starts compiled kiosk/: about 4 s of CPU a worker).
# The tests' files (pytest's tmp_path, the office tests' PostgreSQL) on the RAM disk when
# /dev/shm has 1 GiB free: the kiosk fsyncs each private file and SQLite each commit, and
# on a disk that other work keeps busy one fsync can wait seconds. The same assertions (no
# test can tell whether a write reached the disk); TEST_TMPDIR= keeps them in $TMPDIR.
TEST_TMPDIR ?= $(shell df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 && $$4 > 1048576 {print "/dev/shm"}')
PYTEST = $(if $(TEST_TMPDIR),TMPDIR=$(TEST_TMPDIR)) PYTHONDONTWRITEBYTECODE= \
	$(PY) -m pytest -n $(JOBS) --dist loadfile --no-loadscope-reorder

test: $(STAMP)
	@scripts/system-deps.sh test
	@$(COMPILE)
	$(PYTEST) $(PYTEST_ARGS)

test-fast: $(STAMP)
	@scripts/system-deps.sh test
	@$(COMPILE)
	KIOSK_TEST_ROUNDS=fast $(PYTEST) $(PYTEST_ARGS)

check: $(STAMP)
	$(VENV)/bin/ruff check kiosk tests bench scripts main.py
	$(VENV)/bin/ruff format --check kiosk tests bench scripts main.py
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

screens: $(STAMP)
	@scripts/system-deps.sh test
	$(PY) scripts/screens.py

bench: $(STAMP)
	@scripts/system-deps.sh test
	$(PY) -m bench $(BENCH_ARGS)

# The words are class attributes in kiosk/ui/i18n/<domain>.py, one gettext domain
# each (docs/authoring.md). A .pot whose only change is its date is left as it was.
I18N := kiosk/ui/i18n
LOCALE := $(I18N)/locale
DOMAINS := patient staff
PYBABEL := $(VENV)/bin/pybabel
EXTRACT_ARGS := -F $(I18N)/babel.cfg --no-default-keywords -k N_ -k NC_:1c,2 -k ngettext:1,2 \
	-c Translators: --no-location --project=clinic-kiosk --version=0.1.0 \
	--copyright-holder="the clinic-kiosk authors"

translations: $(STAMP)
	@set -e; for domain in $(DOMAINS); do \
		$(PYBABEL) -q extract $(EXTRACT_ARGS) -o $(LOCALE)/$$domain.pot.new $(I18N)/$$domain.py; \
		if [ -f $(LOCALE)/$$domain.pot ] && diff -q -I '^"POT-Creation-Date: ' \
			$(LOCALE)/$$domain.pot $(LOCALE)/$$domain.pot.new >/dev/null; \
		then rm $(LOCALE)/$$domain.pot.new; \
		else mv $(LOCALE)/$$domain.pot.new $(LOCALE)/$$domain.pot; fi; \
		if ls $(LOCALE)/*/LC_MESSAGES/$$domain.po >/dev/null 2>&1; then \
			$(PYBABEL) -q update -D $$domain -i $(LOCALE)/$$domain.pot -d $(LOCALE) \
				--previous --ignore-pot-creation-date; \
			$(PYBABEL) compile -D $$domain -d $(LOCALE) --statistics; \
		fi; \
	done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
