"""QMP for the QEMU tests (hotplug.sh, scsi-hotplug.sh): QEMU's monitor
socket, its commands, and waits on the lines the tour writes to its log."""
import json
import socket
import sys
import time


def log_text(path):
    """The log so far ('' before it exists)."""
    try:
        return open(path).read()
    except OSError:
        return ""


def until(pred, what, limit=30):
    """Wait for pred() within limit seconds, or end the script saying what."""
    end = time.time() + limit
    while not pred():
        if time.time() > end:
            sys.exit("timed out waiting for " + what)
        time.sleep(0.05)


class Qmp:
    """A QMP session on a unix socket, capabilities negotiated."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        until(lambda: self.s.connect_ex(path) == 0, "the QMP socket")
        self.f = self.s.makefile("rw")
        json.loads(self.f.readline())
        self.cmd("qmp_capabilities")

    def cmd(self, name, **args):
        """Send a command, print its answer; end the script when refused."""
        self.f.write(json.dumps({"execute": name, "arguments": args}) + "\n")
        self.f.flush()
        while True:
            r = json.loads(self.f.readline())
            if "event" not in r:
                print(name, args, r)
                if "error" in r:
                    sys.exit("QMP refused " + name)
                return r


def device_props(spec):
    """A -device value ("driver,key=value,...") as device_add's arguments."""
    props = dict(kv.split("=", 1) for kv in spec.split(",")[1:])
    props["driver"] = spec.split(",")[0]
    return props
