brk_add_test(NAME test_core SOURCES tests/unit/test_core.c LIBS brk_core)
