brk_add_test(NAME test_policy_gen
  SOURCES tests/unit/test_policy_gen.c src/services/guide/policy.c src/services/guide/policy_check.c
  LIBS brk_core)
brk_add_test(NAME test_envfile_merge
  SOURCES tests/unit/test_envfile_merge.c src/services/guide/envfile.c LIBS brk_core)
