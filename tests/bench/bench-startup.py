#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Startup time and memory of the real Keygate app (build/src/app/keygate).

Method (measured from outside the app):
the launcher takes CLOCK_MONOTONIC just before it starts the app, watches the
X server for the app's top-level window and reports

  map    exec -> the "Keygate" window is mapped (MapNotify on the root window)
  frame  exec -> the first frame with content reaches the X server: the
         window is watched with the DAMAGE extension from its creation on,
         and at each damage event the window's pixels are read back; the
         first read that is not a single flat colour is the first frame.

At the first frame it also sums the CPU time of the app's threads
(/proc/PID/task/*/schedstat): unlike wall time, that figure hardly moves
when the machine is busy. One second after the first frame it reads VmRSS and
VmHWM (/proc/PID/status) and PSS (/proc/PID/smaps_rollup), then ends the app with SIGTERM.

Modes: "cairo" (GDK_DEBUG=gl-disable: Mesa is never loaded) and "gl" (the
default GL renderer, llvmpipe under Xvfb). Each mode starts with one
throw-away run that warms the Mesa shader cache (a fresh XDG_CACHE_HOME shared
by the runs of the bench) and the page cache; --cold adds "gl-cold"
(MESA_SHADER_CACHE_DISABLE=true, what the first start on a fresh machine costs).
Every run gets fresh XDG_CONFIG_HOME / XDG_STATE_HOME, so the app starts
with no connection (the empty "No connections yet" page).

Run inside the headless session (Xvfb + D-Bus + keyring), with Debian's
python (it needs only the standard library and libX11/libXdamage, which GTK
already pulls in):

  bash .ci/headless-session /usr/bin/python3 tests/bench/bench-startup.py \\
      --build-dir build-bench [--runs 5] [--cold] [--verbose]
"""

import argparse
import ctypes
import os
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

# X11 event types and masks (X.h)
CREATE_NOTIFY = 16
MAP_NOTIFY = 19
SUBSTRUCTURE_NOTIFY_MASK = 1 << 19
Z_PIXMAP = 2
ALL_PLANES = 0xFFFFFFFF
DAMAGE_REPORT_RAW_RECTANGLES = 0
DAMAGE_NOTIFY = 0

WINDOW_NAME = b"Keygate"


class X11Watcher:
    """A minimal Xlib + XDamage client through ctypes."""

    def __init__(self):
        self.x11 = ctypes.CDLL("libX11.so.6")
        self.xd = ctypes.CDLL("libXdamage.so.1")
        x11, xd = self.x11, self.xd
        vp, ul = ctypes.c_void_p, ctypes.c_ulong
        x11.XOpenDisplay.restype = vp
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x11.XDefaultRootWindow.restype = ul
        x11.XDefaultRootWindow.argtypes = [vp]
        x11.XSelectInput.argtypes = [vp, ul, ctypes.c_long]
        x11.XConnectionNumber.argtypes = [vp]
        x11.XPending.argtypes = [vp]
        x11.XNextEvent.argtypes = [vp, vp]
        x11.XFlush.argtypes = [vp]
        x11.XSync.argtypes = [vp, ctypes.c_int]
        x11.XFetchName.argtypes = [vp, ul, ctypes.POINTER(ctypes.c_char_p)]
        x11.XFree.argtypes = [vp]
        x11.XGetWindowAttributes.argtypes = [vp, ul, vp]
        x11.XGetImage.restype = vp
        x11.XGetImage.argtypes = [vp, ul, ctypes.c_int, ctypes.c_int, ctypes.c_uint,
                                  ctypes.c_uint, ul, ctypes.c_int]
        # Errors on windows that vanish (BadWindow/BadMatch) must not exit us.
        self._handler_type = ctypes.CFUNCTYPE(ctypes.c_int, vp, vp)
        self._handler = self._handler_type(lambda d, e: 0)
        x11.XSetErrorHandler(self._handler)
        xd.XDamageQueryExtension.argtypes = [vp, ctypes.POINTER(ctypes.c_int),
                                             ctypes.POINTER(ctypes.c_int)]
        xd.XDamageCreate.restype = ul
        xd.XDamageCreate.argtypes = [vp, ul, ctypes.c_int]

        self.dpy = x11.XOpenDisplay(None)
        if not self.dpy:
            raise RuntimeError("cannot open the X display (run inside .ci/headless-session)")
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not xd.XDamageQueryExtension(self.dpy, ctypes.byref(event_base),
                                        ctypes.byref(error_base)):
            raise RuntimeError("the X server has no DAMAGE extension")
        self.damage_event = event_base.value + DAMAGE_NOTIFY
        self.root = x11.XDefaultRootWindow(self.dpy)
        x11.XSelectInput(self.dpy, self.root, SUBSTRUCTURE_NOTIFY_MASK)
        x11.XSync(self.dpy, 1)
        self.fd = x11.XConnectionNumber(self.dpy)
        self.event = (ctypes.c_long * 24)()

    def drain(self):
        """Drops events left from an earlier run."""
        self.x11.XSync(self.dpy, 1)

    def window_name(self, window):
        name = ctypes.c_char_p()
        if self.x11.XFetchName(self.dpy, window, ctypes.byref(name)) and name.value is not None:
            value = name.value
            self.x11.XFree(name)
            return value
        return None

    def has_content(self, window):
        """True when the window's pixels are not one flat colour."""
        attrs = (ctypes.c_int * 64)()
        if not self.x11.XGetWindowAttributes(self.dpy, window, attrs):
            return False
        width, height = attrs[2], attrs[3]
        if width <= 0 or height <= 0:
            return False
        image = self.x11.XGetImage(self.dpy, window, 0, 0, width, height, ALL_PLANES, Z_PIXMAP)
        if not image:
            return False
        # struct XImage: int width, height, xoffset, format; char *data;
        # int byte_order, bitmap_unit, bitmap_bit_order, bitmap_pad, depth,
        # bytes_per_line, bits_per_pixel
        ints = (ctypes.c_int * 13).from_address(image)
        data = ctypes.c_void_p.from_address(image + 16).value
        bytes_per_line, bits_per_pixel = ints[11], ints[12]
        colours = set()
        if data and bits_per_pixel == 32:
            raw = ctypes.string_at(data, bytes_per_line * height)
            pixels = memoryview(raw).cast("I")
            colours = set(pixels[::61])
        if data:
            self.x11.XFree(data)
        self.x11.XFree(image)
        return len(colours) > 2

    def wait_first_frame(self, t0, proc, timeout):
        """Returns (map_ms, frame_ms) measured from t0 (CLOCK_MONOTONIC)."""
        x11, ev = self.x11, self.event
        watched = set()
        target = None
        map_ms = None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError("the app exited with status %d before its first frame"
                                   % proc.returncode)
            select.select([self.fd], [], [], 0.05)
            while x11.XPending(self.dpy):
                x11.XNextEvent(self.dpy, ev)
                now = time.monotonic()
                kind = ctypes.c_int.from_buffer(ev).value
                # XCreateWindowEvent / XMapEvent: type, serial, send_event,
                # display, parent|event, window (longs 0..5)
                if kind == CREATE_NOTIFY:
                    window = ev[5]
                    self.xd.XDamageCreate(self.dpy, window, DAMAGE_REPORT_RAW_RECTANGLES)
                    x11.XFlush(self.dpy)
                    watched.add(window)
                elif kind == MAP_NOTIFY and target is None:
                    window = ev[5]
                    if window in watched and self.window_name(window) == WINDOW_NAME:
                        target = window
                        map_ms = (now - t0) * 1000.0
                        if self.has_content(target):
                            return map_ms, (time.monotonic() - t0) * 1000.0
                elif kind == self.damage_event and target is not None:
                    # XDamageNotifyEvent: type, serial, send_event, display, drawable
                    if ev[4] == target and self.has_content(target):
                        return map_ms, (now - t0) * 1000.0
        raise RuntimeError("no first frame within %.0f s" % timeout)


def cpu_ms(pid):
    """CPU time of all live threads of @pid so far (schedstat, ns precision)."""
    total = 0
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            try:
                with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                    total += int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                pass
    except OSError:
        return float("nan")
    return total / 1e6


def read_memory(pid):
    """(VmRSS, VmHWM, PSS) in KiB."""
    values = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    pss = None
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                    break
    except OSError:
        pass
    return values.get("VmRSS"), values.get("VmHWM"), pss


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_once(watcher, app, env, cache_home, settle, timeout):
    run_dir = tempfile.mkdtemp(prefix="keygate-bench-")
    try:
        run_env = dict(env)
        run_env["XDG_CONFIG_HOME"] = os.path.join(run_dir, "config")
        run_env["XDG_STATE_HOME"] = os.path.join(run_dir, "state")
        run_env["XDG_CACHE_HOME"] = cache_home
        watcher.drain()
        t0 = time.monotonic()
        proc = subprocess.Popen([app], env=run_env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            map_ms, frame_ms = watcher.wait_first_frame(t0, proc, timeout)
            frame_cpu = cpu_ms(proc.pid)
            time.sleep(settle)
            if proc.poll() is not None:
                raise RuntimeError("the app exited during the settle time")
            rss, hwm, pss = read_memory(proc.pid)
        finally:
            stop(proc)
        stderr = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
        return {"map": map_ms, "frame": frame_ms, "cpu": frame_cpu, "rss": rss, "hwm": hwm,
                "pss": pss, "stderr": stderr}
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


def mib(kib_values):
    kib_values = [v for v in kib_values if v is not None]
    return statistics.median(kib_values) / 1024.0 if kib_values else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", default=os.environ.get("KEYGATE_BUILD_DIR", "build"),
                        help="meson build directory (default: build)")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per mode (5)")
    parser.add_argument("--modes", default="cairo,gl",
                        help="comma-separated: cairo, gl, gl-cold (default cairo,gl)")
    parser.add_argument("--cold", action="store_true", help="also measure gl-cold")
    parser.add_argument("--settle", type=float, default=1.0,
                        help="seconds after the first frame before reading memory (1)")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds to wait for the first frame (30)")
    parser.add_argument("--verbose", action="store_true", help="print every run")
    args = parser.parse_args()

    if not os.environ.get("DISPLAY"):
        sys.exit("bench-startup: no DISPLAY; run it inside .ci/headless-session")
    build_dir = os.path.abspath(args.build_dir)
    app = os.path.join(build_dir, "src", "app", "keygate")
    if not os.access(app, os.X_OK):
        sys.exit("bench-startup: %s not found (build first: ninja -C %s)" % (app, args.build_dir))

    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if args.cold and "gl-cold" not in modes:
        modes.append("gl-cold")
    mode_env = {
        "cairo": {"GDK_DEBUG": "gl-disable"},
        "gl": {},
        "gl-cold": {"MESA_SHADER_CACHE_DISABLE": "true"},
    }
    for m in modes:
        if m not in mode_env:
            sys.exit("bench-startup: unknown mode %r" % m)

    base_env = dict(os.environ)
    for name in ("GDK_DEBUG", "GSK_RENDERER", "MESA_SHADER_CACHE_DISABLE", "KEYGATE_DEMO_URL"):
        base_env.pop(name, None)
    base_env["GSETTINGS_SCHEMA_DIR"] = os.path.join(build_dir, "data")
    base_env.setdefault("GSETTINGS_BACKEND", "memory")
    base_env["no_proxy"] = "127.0.0.1,localhost"

    watcher = X11Watcher()
    cache_home = tempfile.mkdtemp(prefix="keygate-bench-cache-")
    buildtype = "?"
    try:
        with open(os.path.join(build_dir, "meson-info", "intro-buildoptions.json")) as f:
            import json
            for opt in json.load(f):
                if opt["name"] == "buildtype":
                    buildtype = opt["value"]
    except (OSError, ValueError):
        pass

    print("# Keygate startup: %s (buildtype %s), %d runs per mode after 1 warm-up run"
          % (app, buildtype, args.runs))
    print("# %d CPUs, load average %s, GTK_A11Y=%s"
          % (os.cpu_count(), " ".join("%.2f" % v for v in os.getloadavg()),
             os.environ.get("GTK_A11Y", "(default)")))
    rows = []
    try:
        for m in modes:
            env = dict(base_env)
            env.update(mode_env[m])
            warm = run_once(watcher, app, env, cache_home, 0.2, args.timeout)
            if args.verbose:
                print("%-8s warm-up  map %7.1f ms  frame %7.1f ms"
                      % (m, warm["map"], warm["frame"]))
            results = []
            for i in range(args.runs):
                r = run_once(watcher, app, env, cache_home, args.settle, args.timeout)
                results.append(r)
                if args.verbose:
                    print("%-8s run %-4d map %7.1f ms  frame %7.1f ms  CPU %6.1f ms  RSS %6.1f MiB"
                          "  HWM %6.1f MiB  PSS %6.1f MiB"
                          % (m, i + 1, r["map"], r["frame"], r["cpu"], r["rss"] / 1024.0,
                                               r["hwm"] / 1024.0, (r["pss"] or 0) / 1024.0))
            frames = [r["frame"] for r in results]
            rows.append((m, len(results), statistics.median([r["map"] for r in results]),
                         statistics.median(frames), min(frames), max(frames),
                         statistics.median([r["cpu"] for r in results]),
                         mib([r["rss"] for r in results]), mib([r["hwm"] for r in results]),
                         mib([r["pss"] for r in results])))
            warnings = sorted({line for r in results for line in r["stderr"].splitlines()
                               if "WARNING" in line or "CRITICAL" in line})
            for line in warnings[:5]:
                print("# %s: app stderr: %s" % (m, line))
    finally:
        shutil.rmtree(cache_home, ignore_errors=True)

    print()
    print("| mode | runs | map median ms | first frame median ms | min ms | max ms "
          "| app CPU to first frame ms | RSS MiB | HWM MiB | PSS MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print("| %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f | %.1f | %.1f |" % row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
