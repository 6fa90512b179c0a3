#!/bin/bash
# test/install.sh: `make install DESTDIR=...` puts every file where it
# belongs, and the installed ternd runs and accepts the installed example.
#
#   build dir --make install DESTDIR=$tmp--> $tmp$(sbindir)/ternd, $tmp$(bindir)/ternc,
#     man8/ternd.8, man1/ternc.1, $(docdir)/*.md, $(sysconfdir)/ternd.conf.example,
#     $(systemdsystemunitdir)/ternd.service (unless configured with =no)
set -u
tmp=$(mktemp -d /tmp/tern-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

# The directories as this build's Makefile has them, fully expanded.
vars=$(make -s --no-print-directory -f Makefile -f - print-install-dirs <<'MK'
print-install-dirs:
	@echo "sbindir='$(sbindir)' bindir='$(bindir)' mandir='$(mandir)' docdir='$(docdir)'"
	@echo "sysconfdir='$(sysconfdir)' unitdir='$(systemdsystemunitdir)'"
MK
) || { echo "cannot read the install directories from Makefile"; exit 99; }
eval "$vars"

if ! make -s install DESTDIR="$tmp" >"$tmp.log" 2>&1; then
  cat "$tmp.log"
  rm -f "$tmp.log"
  echo "FAIL: make install"
  exit 1
fi
rm -f "$tmp.log"

for f in "$sbindir/ternd" "$bindir/ternc"; do
  [ -x "$tmp$f" ] && ok "$f" || bad "$f not installed or not executable"
done
for f in "$mandir/man8/ternd.8" "$mandir/man1/ternc.1" \
         "$docdir/install.md" "$docdir/quickstart.md" "$docdir/config.md" "$docdir/cli.md" \
         "$docdir/hacking.md" "$sysconfdir/ternd.conf.example"; do
  [ -s "$tmp$f" ] && ok "$f" || bad "$f not installed"
done
if [ "$unitdir" != no ]; then
  unit="$tmp$unitdir/ternd.service"
  if [ -s "$unit" ]; then
    ok "$unitdir/ternd.service"
    grep -q "^ExecStart=$sbindir/ternd -f -c $sysconfdir/ternd.conf\$" "$unit" ||
      bad "ternd.service: ExecStart does not name the installed paths"
    grep -q '@[a-z]*@' "$unit" && bad "ternd.service: unsubstituted @var@"
  else
    bad "$unitdir/ternd.service not installed"
  fi
fi
[ -e "$tmp$sysconfdir/ternd.conf" ] && bad "make install must not create ternd.conf"

v=$("$tmp$sbindir/ternd" --version 2>&1)
case "$v" in
  "ternd "*) ok "ternd --version: $v" ;;
  *) bad "ternd --version printed: $v" ;;
esac
if out=$("$tmp$sbindir/ternd" -p -c "$tmp$sysconfdir/ternd.conf.example" 2>&1); then
  ok "ternd -p accepts the installed example"
else
  bad "ternd -p rejects the installed example: $out"
fi
if man -l "$tmp$mandir/man8/ternd.8" >/dev/null 2>&1 || ! command -v man >/dev/null; then
  ok "ternd.8 formats"
else
  bad "man -l ternd.8 fails"
fi
exit $fail
