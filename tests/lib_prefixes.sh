#!/bin/bash
# One prefix per component: every symbol a library exports starts with its component's
# prefix, so a program that links several libraries meets no bare cfg_get or ctx.
#   tests/lib_prefixes.sh LIBRARY.a=PREFIX[,PREFIX...] ...
# The prefix matches in either case (the constant LIME_AUTOGEN_HEADER is lime_'s).
# Symbols the compiler or a sanitizer makes (names starting with "__") are not ours.
# Fails listing every symbol without its library's prefix.
set -u
status=0
for arg in "$@"; do
    lib=${arg%%=*}
    prefixes=${arg#*=}
    if [ ! -f "$lib" ]; then
        echo "lib_prefixes: $lib: no such library" >&2
        status=1
        continue
    fi
    regex="^($(echo "$prefixes" | sed 's/,/|/g'))"
    bad=$(nm -g --defined-only "$lib" | awk 'NF == 3 && $2 ~ /^[A-Z]$/ {print $3}' |
          grep -v '^__' | grep -Eiv "$regex" | sort -u)
    n=$(nm -g --defined-only "$lib" | awk 'NF == 3 && $2 ~ /^[A-Z]$/' | wc -l)
    if [ -n "$bad" ]; then
        echo "$(basename "$lib"): exported without the prefix $prefixes:"
        echo "$bad" | sed 's/^/  /'
        status=1
    else
        echo "$(basename "$lib"): $n exported symbols, all $prefixes"
    fi
done
exit $status
