brk_add_test(NAME test_policy_gen
  SOURCES tests/unit/test_policy_gen.c src/services/guide/policy.c src/services/guide/policy_check.c
  LIBS brk_core)
