#!/usr/bin/env python3
"""client/ternc_pty_test.py: interactive ternc on a pseudo-terminal.

Drives readline like a user: a command, `?` help, TAB completion, an
asynchronous message arriving while a line is half typed (it must be
printed and the typed text redisplayed), quit, and the history file.
Waits on expected output with generous bounds, never on fixed sleeps.

usage: ternc_pty_test.py TERNC SOCKET HOME
"""
import os
import pty
import re
import select
import sys
import time

ternc, sock, home = sys.argv[1:4]
pid, fd = pty.fork()
if pid == 0:
    os.environ["HOME"] = home
    os.environ["TERM"] = "dumb"
    os.execv(ternc, [ternc, "-s", sock])

seen = b""
failures = 0


def expect(pattern, what, timeout=10.0):
    """Read until pattern (bytes regex) appears after the last match."""
    global seen, failures
    end = time.time() + timeout
    while time.time() < end:
        m = re.search(pattern, seen, re.S)
        if m:
            seen = seen[m.end():]
            return True
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
    failures += 1
    print(f"FAIL: {what}: no {pattern!r} in {seen!r}")
    return False


def send(s):
    os.write(fd, s.encode())


expect(rb"BIRD 2\.0\.12 ready\.\r?\n.*tern> ", "greeting and prompt")
send("sh statu\r")
expect(rb"Router ID is 10\.0\.0\.1.*Daemon is up and running.*tern> ", "show status")
send("sh pro?")
expect(rb"show protocols \[all\].*Show routing protocols.*tern> sh pro", "? help")
send("\x15")                     # ^U: kill the line
send("sh ro c\t")
expect(rb"sh ro count ", "TAB completion")
send("\x15show static later\r")
send("sh me")                    # typed while the async message is on its way
expect(rb">>> later message.*tern> sh me", "async message above the typed line")
send("\r")
expect(rb"Routing tables:.*tern> ", "command after the async message")
send("quit\r")
_, status = os.waitpid(pid, 0)
if os.waitstatus_to_exitcode(status) != 0:
    failures += 1
    print("FAIL: quit: exit status", status)
hist = open(os.path.join(home, ".ternc_history")).read()
if "sh statu" not in hist or "show static later" not in hist:
    failures += 1
    print("FAIL: history file:", repr(hist))
print(f"ternc_pty_test: {'ok' if not failures else str(failures) + ' failed'}")
sys.exit(1 if failures else 0)
