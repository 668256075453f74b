#!/usr/bin/env bash
# scripts/lint.sh - static checks run by CTest (quick ones) and `make lint` (all):
#   banned C functions, clang-format, exported symbols of the shared library;
#   with --full also clang-tidy and cppcheck.
set -uo pipefail
cd "$(dirname "$0")/.."
fail=0
files=$(git ls-files 'src/*.c' 'src/*.h' 'include/*.h' 'tests/*.c' 'fuzz/*.c' 'bench/*.c' 'examples/*.c' 2>/dev/null)
[ -n "$files" ] || files=$(find src include tests fuzz bench examples -name '*.[ch]' 2>/dev/null)

banned='\b(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|gets|atoi|atol|atof|gmtime|localtime|ctime|asctime|rand)[[:space:]]*\('
hits=$(grep -nE "$banned" $(echo "$files" | grep -E '^(src|include|examples)/') 2>/dev/null | grep -vE '^\S+:[0-9]+:\s*(/\*|\*|//)' || true)
if [ -n "$hits" ]; then
  echo "lint: banned functions used:"; echo "$hits"; fail=1
fi

if command -v clang-format >/dev/null; then
  if ! clang-format --dry-run --Werror $files >/tmp/brk-format.$$ 2>&1; then
    echo "lint: clang-format differences (run 'make format'):"
    grep -E 'warning|error' /tmp/brk-format.$$ | head -20
    fail=1
  fi
  rm -f /tmp/brk-format.$$
fi

lib=${BRK_BUILD_DIR:-build}/lib/libbedrock.so
if [ -f "$lib" ]; then
  bad=$(nm -g --defined-only "$lib" | awk '{print $3}' | grep -vE '^(bedrock_|brk_|_init$|_fini$|_edata$|_end$|__bss_start$)' || true)
  if [ -n "$bad" ]; then
    echo "lint: libbedrock.so exports symbols outside bedrock_/brk_:"; echo "$bad" | head; fail=1
  fi
fi

if [ "${1:-}" = "--full" ]; then
  db=${BRK_BUILD_DIR:-build}
  if command -v clang-tidy >/dev/null && [ -f "$db/compile_commands.json" ]; then
    clang-tidy -p "$db" --quiet --checks='-*,bugprone-*,clang-analyzer-*,readability-braces-around-statements,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling' \
      $(echo "$files" | grep -E '^src/.*\.c$') 2>/dev/null | grep -E 'warning:|error:' | head -50
  fi
  if command -v cppcheck >/dev/null; then
    cppcheck --quiet --error-exitcode=1 --enable=warning,portability -I include -I src \
      --suppress=missingIncludeSystem src || fail=1
  fi
fi
[ $fail -eq 0 ] && echo "lint: ok"
exit $fail
