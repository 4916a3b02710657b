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
when the machine is busy. One second after the first frame it reads VmRSS
and VmHWM (/proc/PID/status) and PSS (/proc/PID/smaps_rollup), then ends the app with SIGTERM.

Modes: "cairo" (GDK_DEBUG=gl-disable: Mesa is never loaded) and "gl" (the
default GL renderer, llvmpipe under Xvfb). Each mode starts with one
throw-away run that warms the Mesa shader cache (a fresh XDG_CACHE_HOME shared
by the runs of the bench) and the page cache; --cold adds "gl-cold"
(MESA_SHADER_CACHE_DISABLE=true, what the first start on a fresh machine costs).
Every run gets fresh XDG_CONFIG_HOME / XDG_STATE_HOME, so the app starts
with no connection (the empty "No connections yet" page).

Every figure is also given as a ratio to a floor measured in the same run:
a bare AdwApplicationWindow with a header bar and an AdwStatusPage, built by
the bench itself from a few lines of C with the same compiler and libraries
(--no-floor skips it).

Cases: "empty" (no connection); --profiles N adds a case with N generated
connections in profiles.json; --history N adds a case with N history entries
and --history-profiles (20) connections (history.jsonl made of real lines:
the bench starts the demo server, lets keygate-cli create a project against
it, and repeats the lines it wrote with fresh ids). Both options take
comma-separated lists (--profiles 20,1000).

Run inside the headless session (Xvfb + D-Bus + keyring), with Debian's
python (it needs only the standard library and libX11/libXdamage, which GTK
already pulls in):

  bash .ci/headless-session /usr/bin/python3 tests/bench/bench-startup.py \\
      --build-dir build-bench [--runs 5] [--cold] [--verbose] \\
      [--profiles 20,1000] [--history 100000]
"""

import argparse
import ctypes
import json
import os
import re
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


def run_once(watcher, app, env, cache_home, settle, timeout, fixture=None):
    run_dir = tempfile.mkdtemp(prefix="keygate-bench-")
    try:
        run_env = dict(env)
        run_env["XDG_CONFIG_HOME"] = os.path.join(run_dir, "config")
        run_env["XDG_STATE_HOME"] = os.path.join(run_dir, "state")
        if fixture is not None:
            # Copied fresh for every run: the app may write to them.
            shutil.copytree(os.path.join(fixture, "config"), run_env["XDG_CONFIG_HOME"])
            shutil.copytree(os.path.join(fixture, "state"), run_env["XDG_STATE_HOME"])
            # A 100 MB history copied just before the start would be written
            # back to disk while the app starts: that is the bench's I/O,
            # not the app's. Flush the copies first.
            for root, _dirs, files in os.walk(run_dir):
                for name in files:
                    fd = os.open(os.path.join(root, name), os.O_RDONLY)
                    try:
                        os.fsync(fd)
                    finally:
                        os.close(fd)
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


FLOOR_C = r"""
#include <adwaita.h>
static void
activate (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *status = adw_status_page_new ();

  adw_status_page_set_title (ADW_STATUS_PAGE (status), "No connections yet");
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "network-server-symbolic");
  gtk_widget_set_vexpand (status, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), status);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Keygate");
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  gtk_window_present (GTK_WINDOW (window));
}
int
main (int argc, char **argv)
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.keygate.BenchFloor",
                                                       G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
"""


def build_floor(work_dir):
    """Compiles the bare window with the system's compiler and libadwaita."""
    src = os.path.join(work_dir, "floor.c")
    exe = os.path.join(work_dir, "floor")
    with open(src, "w") as f:
        f.write(FLOOR_C)
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libadwaita-1"],
                           check=True, capture_output=True, text=True).stdout.split()
    subprocess.run([os.environ.get("CC", "cc"), "-O2", "-o", exe, src] + flags, check=True)
    return exe


def write_profiles(config_home, n):
    profiles = []
    for i in range(n):
        profiles.append({
            "id": "bench-%06d" % i,
            "name": "Connection %04d" % i,
            "url": "https://odoo%04d.example.com" % i,
            "database": "db%04d" % (i % 37),
            "login": "user%d@example.com" % (i % 11),
            "protocol": "jsonrpc",
            "timeout": 30,
        })
    os.makedirs(os.path.join(config_home, "keygate"), exist_ok=True)
    with open(os.path.join(config_home, "keygate", "profiles.json"), "w") as f:
        json.dump({"version": 1, "profiles": profiles}, f, indent=2)


def sample_history_lines(build_dir, env):
    """Real history lines: the demo server, and keygate-cli creating a project
    on it (authenticate + create), in a throw-away config/state."""
    work = tempfile.mkdtemp(prefix="keygate-bench-hist-")
    server = None
    try:
        run_env = dict(env)
        run_env["XDG_CONFIG_HOME"] = os.path.join(work, "config")
        run_env["XDG_STATE_HOME"] = os.path.join(work, "state")
        server = subprocess.Popen([os.path.join(build_dir, "src", "demo", "keygate-demo-server"),
                                   "--port", "0"], stdout=subprocess.PIPE, text=True, env=run_env)
        banner = ""
        url = None
        key = None
        deadline = time.monotonic() + 10
        while (url is None or key is None) and time.monotonic() < deadline:
            line = server.stdout.readline()
            if not line:
                break
            banner += line
            m = re.search(r"URL: (http://\S+)", line)
            if m:
                url = m.group(1)
            m = re.search(r"alice\b.*?\b([0-9a-f]{40})\b", line)
            if m:
                key = m.group(1)
        if url is None or key is None:
            raise RuntimeError("the demo server did not print its URL and alice's key:\n" + banner)
        cli = os.path.join(build_dir, "src", "cli", "keygate-cli")
        subprocess.run([cli, "profile", "add", "bench", "--url", url, "--db", "keygate_demo",
                        "--login", "alice"], check=True, env=run_env, stdout=subprocess.DEVNULL)
        subprocess.run([cli, "key", "set", "bench"], input=key, text=True, check=True,
                       env=run_env, stdout=subprocess.DEVNULL)
        subprocess.run([cli, "create-project", "bench", "--name", "Bench project"], check=True,
                       env=run_env, stdout=subprocess.DEVNULL)
        subprocess.run([cli, "key", "forget", "bench"], env=run_env, stdout=subprocess.DEVNULL)
        with open(os.path.join(work, "state", "keygate", "history.jsonl")) as f:
            lines = [l for l in f.read().splitlines() if l.strip()]
        if not lines:
            raise RuntimeError("keygate-cli wrote no history")
        if key in "".join(lines):
            raise RuntimeError("the sample history holds the key: refusing to use it")
        return lines
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


def write_history(state_home, samples, n):
    os.makedirs(os.path.join(state_home, "keygate"), exist_ok=True)
    path = os.path.join(state_home, "keygate", "history.jsonl")
    with open(path, "w") as f:
        for i in range(n):
            entry = json.loads(samples[i % len(samples)])
            if "id" in entry:
                entry["id"] = "%s-%07d" % (str(entry["id"])[:24], i)
            f.write(json.dumps(entry, separators=(",", ":")) + "\n")
    return os.path.getsize(path)


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
    parser.add_argument("--profiles", default="",
                        help="comma-separated connection counts to add cases for (e.g. 20,1000)")
    parser.add_argument("--history", default="",
                        help="comma-separated history sizes; each case has "
                             "--history-profiles connections too (e.g. 100000)")
    parser.add_argument("--history-profiles", type=int, default=20,
                        help="connections in the history cases (20)")
    parser.add_argument("--no-floor", action="store_true", help="do not measure the bare window")
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
    fixtures_dir = tempfile.mkdtemp(prefix="keygate-bench-fixtures-")
    buildtype = "?"
    try:
        with open(os.path.join(build_dir, "meson-info", "intro-buildoptions.json")) as f:
            for opt in json.load(f):
                if opt["name"] == "buildtype":
                    buildtype = opt["value"]
    except (OSError, ValueError):
        pass

    def counts(text):
        return [int(v) for v in text.split(",") if v.strip()]

    # (label, executable, fixture dir or None)
    cases = []
    if not args.no_floor:
        cases.append(("floor", build_floor(fixtures_dir), None))
    cases.append(("empty", app, None))
    for n in counts(args.profiles):
        fixture = os.path.join(fixtures_dir, "profiles-%d" % n)
        write_profiles(os.path.join(fixture, "config"), n)
        os.makedirs(os.path.join(fixture, "state"))
        cases.append(("%d connections" % n, app, fixture))
    history_counts = counts(args.history)
    if history_counts:
        samples = sample_history_lines(build_dir, base_env)
        n_profiles = args.history_profiles
        for n in history_counts:
            fixture = os.path.join(fixtures_dir, "history-%d" % n)
            write_profiles(os.path.join(fixture, "config"), n_profiles)
            size = write_history(os.path.join(fixture, "state"), samples, n)
            cases.append(("%d connections + %d history (%.0f MB)"
                          % (n_profiles, n, size / 1e6), app, fixture))

    print("# Keygate startup: %s (buildtype %s), %d runs per case and mode after 1 warm-up run"
          % (app, buildtype, args.runs))
    print("# %d CPUs, load average %s, GTK_A11Y=%s"
          % (os.cpu_count(), " ".join("%.2f" % v for v in os.getloadavg()),
             os.environ.get("GTK_A11Y", "(default)")))
    rows = []
    try:
        for m in modes:
            env = dict(base_env)
            env.update(mode_env[m])
            floor = None
            for label, exe, fixture in cases:
                warm = run_once(watcher, exe, env, cache_home, 0.2, args.timeout, fixture)
                if args.verbose:
                    print("%-6s %-40s warm-up  frame %7.1f ms" % (m, label, warm["frame"]))
                results = []
                for i in range(args.runs):
                    r = run_once(watcher, exe, env, cache_home, args.settle, args.timeout, fixture)
                    results.append(r)
                    if args.verbose:
                        print("%-6s %-40s run %-2d map %7.1f ms  frame %7.1f ms  CPU %6.1f ms"
                              "  RSS %6.1f MiB  HWM %6.1f MiB"
                              % (m, label, i + 1, r["map"], r["frame"], r["cpu"],
                                 r["rss"] / 1024.0, r["hwm"] / 1024.0))
                frames = [r["frame"] for r in results]
                row = {"mode": m, "case": label, "runs": len(results),
                       "map": statistics.median([r["map"] for r in results]),
                       "frame": statistics.median(frames), "min": min(frames),
                       "max": max(frames),
                       "cpu": statistics.median([r["cpu"] for r in results]),
                       "rss": mib([r["rss"] for r in results]),
                       "hwm": mib([r["hwm"] for r in results]),
                       "pss": mib([r["pss"] for r in results])}
                if label == "floor":
                    floor = row
                row["floor"] = floor
                rows.append(row)
                warnings = sorted({line for r in results for line in r["stderr"].splitlines()
                                   if "WARNING" in line or "CRITICAL" in line})
                for line in warnings[:5]:
                    print("# %s %s: stderr: %s" % (m, label, line))
    finally:
        shutil.rmtree(cache_home, ignore_errors=True)
        shutil.rmtree(fixtures_dir, ignore_errors=True)

    print()
    print("| mode | case | runs | first frame median ms (min–max) | / floor "
          "| app CPU ms | RSS MiB | / floor | HWM MiB | PSS MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        f = r["floor"]
        time_ratio = "%.2f×" % (r["frame"] / f["frame"]) if f and r is not f else "–"
        rss_ratio = "%.2f×" % (r["rss"] / f["rss"]) if f and r is not f else "–"
        print("| %s | %s | %d | %.0f (%.0f–%.0f) | %s | %.0f | %.1f | %s | %.1f | %.1f |"
              % (r["mode"], r["case"], r["runs"], r["frame"], r["min"], r["max"], time_ratio,
                 r["cpu"], r["rss"], rss_ratio, r["hwm"], r["pss"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
