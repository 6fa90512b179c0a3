#!/usr/bin/env python3
"""client/fake_ternd.py: a stand-in daemon for ternc's end-to-end test.

Listens on a UNIX socket and speaks BIRD 2.0.12's control protocol from
canned replies: the greeting, then for each command line the file
testdata/<command>.reply (non [A-Za-z0-9.+-] characters turned into '_'),
sent verbatim. A reply file without a final "NNNN " line makes the server
hang up after sending it (the daemon dying mid-reply). A few commands are
built in: restrict (and 8007 for mutating commands afterwards), an
oversized line, a garbled line, a reply in two writes and an async message
sent a moment after a reply, while the client sits at its prompt. Every received command is appended to
the log file so the test can check what ternc really sent.

usage: fake_ternd.py SOCKET TESTDATA_DIR LOGFILE
"""
import os
import re
import socket
import sys
import threading

GREETING = b"0001 BIRD 2.0.12 ready.\n"
MUTATING = ("configure", "enable", "disable", "restart", "reload", "debug", "down")
BUILTIN = {
    "show static longpeer": b"1009-" + b"x" * 5000 + b"\n 600:" + b"y" * 600 + b"\n0000 \n",
    "show static garbage": b"garbage line\n1009-ok line\n0000 \n",
    "show static slow": b"1009-first\n",   # the rest follows in a second write
    "show static later": b"0000 \n",       # then an async message, unprompted
}


def is_final(data):
    lines = data.rstrip(b"\n").split(b"\n")
    return bool(re.match(rb"^\d{4} ", lines[-1])) if lines and lines[-1] else False


def reply_for(cmd, state, datadir):
    if cmd == "restrict":
        state["restricted"] = True
        return b"0016 Access restricted\n"
    if state["restricted"] and cmd.split(" ")[0] in MUTATING:
        return b"8007 Access denied\n"
    if cmd in BUILTIN:
        return BUILTIN[cmd]
    name = re.sub(r"[^A-Za-z0-9.+-]", "_", cmd)
    path = os.path.join(datadir, name + ".reply")
    if os.path.exists(path):
        with open(path, "rb") as f:
            return f.read()
    return b"9001 syntax error, unexpected CF_SYM_UNDEFINED\n"


def serve(conn, datadir, log):
    state = {"restricted": False}
    conn.sendall(GREETING)
    buf = b""
    with conn:
        while True:
            data = conn.recv(4096)
            if not data:
                return
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                cmd = line.decode("utf-8", "replace")
                with open(log, "a") as f:
                    f.write(cmd + "\n")
                out = reply_for(cmd, state, datadir)
                conn.sendall(out)
                if cmd == "show static slow":
                    conn.sendall(b" second\n0000 \n")
                elif cmd == "show static later":
                    threading.Timer(0.3, conn.sendall, [b"+later message\n"]).start()
                elif not is_final(out):
                    return          # hang up mid-reply


def main():
    path, datadir, log = sys.argv[1:4]
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path + ".tmp")
    srv.listen(8)
    os.rename(path + ".tmp", path)   # the socket appears only when ready
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn, datadir, log), daemon=True).start()


if __name__ == "__main__":
    main()
