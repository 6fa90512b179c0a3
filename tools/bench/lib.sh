# tools/bench/lib.sh: what the benchmark scripts share. Source it with $top
# set to the source tree.
#
#   bench_ternd      prints the path of a ternd built for benchmarks: without
#                    sanitizers (-O2 -g) in build/bench, configured as
#                    `tools/build bench` does; only the ternd target is built.

bench_ternd() {
  local dir="$top/build/bench" gen
  (
    cd "$top"
    # Makefile.in also depends on every local.mk that Makefile.am includes.
    if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ] ||
       [ -n "$(find . -name local.mk -newer Makefile.in -not -path './build/*' | head -1)" ]; then
      autoreconf -fi >/dev/null
    fi
    mkdir -p "$dir"
    if [ ! -f "$dir/Makefile" ] || [ "$dir/config.status" -ot configure ]; then
      (cd "$dir" && "$top/configure" -q CFLAGS="-O2 -g" >/dev/null)
    fi
    # Regenerate the Makefile first if Makefile.am changed (its recipe would
    # otherwise print into $gen), then the generated headers (BUILT_SOURCES
    # is only honoured by `all`).
    make -s -C "$dir" Makefile >/dev/null
    gen=$(printf 'tern-bs:\n\t@echo $(BUILT_SOURCES)\n' | make -s -C "$dir" -f Makefile -f - tern-bs)
    make -C "$dir" -j"$(nproc)" $gen ternd >/dev/null
  ) >&2 || return 1
  echo "$dir/ternd"
}
