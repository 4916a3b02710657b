#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Accessibility test of the running app (issue 6: "Every control is
reachable by keyboard and has an accessible label").

Starts the built keygate under AT-SPI, adds the Demo connection with the
"Try the Demo" button, then opens every page of the view switcher through
its buttons and checks, on each page, that every showing control (buttons,
toggles, check boxes, entries, combo boxes, spin buttons, ...) has a
non-empty accessible name and is focusable, and that every list row (the
sidebar's connections, History's entries, the Doctor's findings) has an
accessible name. All offenders are listed.

Run with /usr/bin/python3 (Debian's python3-pyatspi) under
.ci/headless-session, through tests/isolated.sh. Needs KEYGATE_BUILD_DIR.
Exit 0 pass, 1 fail, 77 skip (pyatspi missing and CI unset).
"""

import os
import re
import subprocess
import sys
import tempfile
import time

# The test environment makes GLib warnings fatal (G_DEBUG=fatal-warnings),
# which is right for the app and wrong for this script: libatspi warns when
# the app's accessibility cache is not there yet, and a warning in this
# process is not a fault of the app. Before GLib is loaded, run again
# without it; the app still gets it (app_env).
if "fatal-warnings" in os.environ.get("G_DEBUG", "") and "KEYGATE_APP_G_DEBUG" not in os.environ:
    os.environ["KEYGATE_APP_G_DEBUG"] = os.environ["G_DEBUG"]
    os.environ["G_DEBUG"] = ",".join(flag for flag in os.environ["G_DEBUG"].split(",")
                                     if flag != "fatal-warnings")
    os.execv(sys.executable, [sys.executable] + sys.argv)

try:
    import pyatspi
except ImportError as e:  # pragma: no cover - depends on the machine
    if os.environ.get("CI"):
        print(f"FAIL: pyatspi is missing ({e}) and CI is set: "
              "install python3-pyatspi (build-aux/debian-packages.txt)", file=sys.stderr)
        sys.exit(1)
    print(f"SKIP: pyatspi is missing ({e}): install python3-pyatspi", file=sys.stderr)
    sys.exit(77)

STARTUP_TIMEOUT = 30.0
VERBOSE = bool(os.environ.get("KEYGATE_A11Y_VERBOSE"))
STEP_TIMEOUT = 15.0

# Page title in the view switcher -> required? (Token is hidden for
# profiles that cannot use the token module, e.g. JSON-RPC ones.)
PAGES = [
    ("Connection", True),
    ("API Key", True),
    ("Token", False),
    ("Create Project", True),
    ("Requests", True),
    ("History", True),
    ("2FA Doctor", True),
]

# The pages are unlabelled AdwBin subclasses, so GTK 4.8 names them after
# their type. GTK 4.8 keeps an unmapped stack page "visible" with its old
# allocation, so the walk skips the pages that are not the current one.
PAGE_TYPES = {
    "Connection": "KgConnectionPage",
    "API Key": "KgKeyPage",
    "Token": "KgTokenPage",
    "Create Project": "KgCreatePage",
    "Requests": "KgRequestsPage",
    "History": "KgHistoryPage",
    "2FA Doctor": "KgTwoFactorPanel",
}

# Controls inside library widgets that the app cannot label: (role, name,
# description) -> why. Reported, not failed.
LIBRARY_LIMITS = {
    ("push button", "GtkImage", "Show Text"):
        "libadwaita 1.2 AdwPasswordEntryRow: the peek icon is named by its tooltip only",
}

CONTROL_ROLES = {
    pyatspi.ROLE_PUSH_BUTTON,
    pyatspi.ROLE_TOGGLE_BUTTON,
    pyatspi.ROLE_CHECK_BOX,
    pyatspi.ROLE_RADIO_BUTTON,
    pyatspi.ROLE_ENTRY,
    pyatspi.ROLE_TEXT,
    pyatspi.ROLE_PAGE_TAB,
    pyatspi.ROLE_PASSWORD_TEXT,
    pyatspi.ROLE_COMBO_BOX,
    pyatspi.ROLE_SPIN_BUTTON,
}
for extra in ("ROLE_PUSH_BUTTON_MENU", "ROLE_MENU_BUTTON"):
    if hasattr(pyatspi, extra):
        CONTROL_ROLES.add(getattr(pyatspi, extra))


def log(msg):
    print(f"[{time.monotonic() - T0:6.2f}s] {msg}", flush=True)


def plain(name):
    """Accessible name without mnemonic underscores, whitespace squeezed."""
    return " ".join((name or "").replace("_", "").split())


def wait_for(what, fn, timeout=STEP_TIMEOUT, interval=0.1):
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = fn()
        except Exception as e:  # the tree changes under us; retry
            result = None
            last_error = e
        else:
            last_error = None
        if result:
            return result
        if time.monotonic() > deadline:
            extra = f" (last error: {last_error})" if last_error else ""
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}{extra}")
        time.sleep(interval)


def states(acc):
    return acc.getState()


# GTK 4.8 names an unlabelled widget after its type ("GtkMenuButton"):
# for a screen reader user that is no name at all.
TYPE_NAME = re.compile(r"^(Gtk|Adw|Gsk|Kg)[A-Z][A-Za-z]*$")


def is_showing(acc):
    """GTK 4.8 sets STATE_SHOWING on windows only, and STATE_VISIBLE from
    the widget's own "visible" (an unmapped stack page keeps it). A widget
    on screen is visible and has a non-empty allocation."""
    try:
        if not states(acc).contains(pyatspi.STATE_VISIBLE):
            return False
    except Exception:
        return False
    try:
        component = acc.queryComponent()
    except NotImplementedError:
        return True  # not a widget (a GtkStackPage): its child decides
    try:
        e = component.getExtents(pyatspi.WINDOW_COORDS)
    except Exception:
        return False
    return e.width > 0 and e.height > 0


SKIP = {"pages": set(), "paths": set()}


def walk_showing(acc, parent_name="", out=None):
    """All showing descendants of acc as (accessible, parent name) pairs.
    Subtrees that are not showing are skipped, and so are the subtrees in
    SKIP (pages of a stack that are not the visible one)."""
    if out is None:
        out = []
    try:
        n = acc.childCount
    except Exception:
        return out
    try:
        my_name = acc.name or ""
    except Exception:
        my_name = ""
    for i in range(n):
        try:
            child = acc.getChildAtIndex(i)
        except Exception:
            continue
        if child is None or not is_showing(child):
            continue
        try:
            if child.name in SKIP["pages"] or child.path in SKIP["paths"]:
                continue
        except Exception:
            continue
        out.append((child, my_name or parent_name))
        walk_showing(child, my_name or parent_name, out)
    return out


def find_app(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is None:
            continue
        try:
            if app.get_process_id() == pid:
                return app
        except Exception:
            continue
    return None


def main_window(app):
    for i in range(app.childCount):
        w = app.getChildAtIndex(i)
        if w is not None and w.getRole() in (pyatspi.ROLE_FRAME, pyatspi.ROLE_WINDOW) and is_showing(w):
            return w
    return None


def find_showing(root, pred):
    for acc, _parent in walk_showing(root):
        try:
            if pred(acc):
                return acc
        except Exception:
            continue
    return None


def click(acc):
    action = acc.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ("click", "activate", "press", "toggle"):
            return action.doAction(i)
    return action.doAction(0)


def switcher_buttons(win):
    """Showing view-switcher buttons of the main window: page title -> button.
    A switcher button's name is built from its labels ("Connection
    Connection" with GTK 4.8), so match on the page title it contains."""
    found = {}
    for acc, _parent in walk_showing(win):
        try:
            if acc.getRole() != pyatspi.ROLE_PAGE_TAB:
                continue
            name = plain(acc.name)
        except Exception:
            continue
        for title, _required in PAGES:
            if name == title:
                found.setdefault(title, []).append(acc)
    return found


def has_focusable_button_child(acc):
    """A GtkMenuButton is a push button that is not focusable itself: the
    push button inside it takes the focus."""
    try:
        for i in range(acc.childCount):
            c = acc.getChildAtIndex(i)
            if c is not None and c.getRole() == pyatspi.ROLE_PUSH_BUTTON and \
               c.getState().contains(pyatspi.STATE_FOCUSABLE):
                return True
    except Exception:
        pass
    return False


def in_combo_box(acc):
    node = acc.parent
    for _ in range(6):
        if node is None:
            return False
        if node.getRole() == pyatspi.ROLE_COMBO_BOX:
            return True
        node = node.parent
    return False


def check_page(win, page, offenders, seen):
    controls = 0
    for acc, parent_name in walk_showing(win):
        try:
            role = acc.getRole()
        except Exception:
            continue
        if role == pyatspi.ROLE_LIST_ITEM:
            # A list row is read by its name: one without is a blank line.
            # (Not the rows libadwaita's combo rows make for their value.)
            try:
                row_name = (acc.name or "").strip()
                if in_combo_box(acc):
                    continue
            except Exception:
                continue
            if not row_name or TYPE_NAME.match(row_name):
                key = ("row", parent_name, row_name)
                if key not in seen:
                    seen.add(key)
                    chain = []
                    node = acc
                    for _ in range(8):
                        try:
                            node = node.parent
                            chain.append(f"{node.getRoleName()}:{node.name!r}")
                        except Exception:
                            break
                    offenders.append(f"[{page}] list item name={row_name!r} in {parent_name!r}: "
                                     f"no accessible name (in {' < '.join(chain)})")
            continue
        if role not in CONTROL_ROLES:
            continue
        controls += 1
        if VERBOSE:
            try:
                log(f"  {page}: {acc.getRoleName()} {acc.name!r} in {parent_name!r}")
            except Exception:
                pass
        try:
            name = (acc.name or "").strip()
            st = states(acc)
            role_name = acc.getRoleName()
        except Exception as e:
            offenders.append(f"{page}: a control vanished while being checked ({e})")
            continue
        problems = []
        try:
            desc = acc.description or ""
        except Exception:
            desc = ""
        if (role_name, name, desc) in LIBRARY_LIMITS:
            key = ("limit", role_name, name, desc)
            if key not in seen:
                seen.add(key)
                log(f"  known library limitation: {role_name} {name!r} ({desc!r}): "
                    f"{LIBRARY_LIMITS[(role_name, name, desc)]}")
            continue
        if not name or TYPE_NAME.match(name):
            problems.append("no accessible name")
        if not st.contains(pyatspi.STATE_FOCUSABLE) and not has_focusable_button_child(acc):
            problems.append("not focusable")
        if problems:
            key = (role_name, parent_name, name, desc)
            if key in seen:
                continue
            seen.add(key)
            offenders.append(f"[{page}] {role_name} name={name!r} description={desc!r} "
                             f"in {parent_name!r}: {', '.join(problems)}")
    return controls


def app_env(tmp):
    env = dict(os.environ)
    for var in ("GTK_A11Y", "NO_AT_BRIDGE"):
        env.pop(var, None)
    env["GDK_DEBUG"] = "gl-disable"
    if "KEYGATE_APP_G_DEBUG" in env:
        env["G_DEBUG"] = env.pop("KEYGATE_APP_G_DEBUG")
    env["XDG_CONFIG_HOME"] = os.path.join(tmp, "a11y-config")
    env["XDG_STATE_HOME"] = os.path.join(tmp, "a11y-state")
    env["XDG_CACHE_HOME"] = os.path.join(tmp, "a11y-cache")
    for d in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.makedirs(env[d], exist_ok=True)
    if "GSETTINGS_SCHEMA_DIR" not in env:
        env["GSETTINGS_SCHEMA_DIR"] = os.path.join(os.environ["KEYGATE_BUILD_DIR"], "data")
    return env


def quit_app(proc):
    """Quit through the app's own "app.quit" action; kill it if that fails."""
    if proc.poll() is not None:
        return
    try:
        names = subprocess.run(
            ["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
             "--object-path", "/org/freedesktop/DBus", "--method", "org.freedesktop.DBus.ListNames"],
            capture_output=True, text=True, timeout=5).stdout
        for name in names.replace("[", " ").replace("]", " ").replace("(", " ").replace(")", " ").split(","):
            name = name.strip().strip("'")
            if not name.startswith("io.github.keygate."):
                continue
            pid = subprocess.run(
                ["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
                 "--object-path", "/org/freedesktop/DBus",
                 "--method", "org.freedesktop.DBus.GetConnectionUnixProcessID", name],
                capture_output=True, text=True, timeout=5).stdout
            if str(proc.pid) not in pid:
                continue
            subprocess.run(
                ["gdbus", "call", "--session", "--dest", name,
                 "--object-path", "/" + name.replace(".", "/"),
                 "--method", "org.gtk.Actions.Activate", "quit", "[]", "{}"],
                capture_output=True, text=True, timeout=5)
            break
        proc.wait(timeout=10)
        log(f"app quit, exit status {proc.returncode}")
    except Exception as e:
        log(f"app.quit did not end the app ({e}); killing it")
        proc.kill()
        proc.wait()


def run(proc):
    app = wait_for("the app on the AT-SPI bus", lambda: find_app(proc.pid), STARTUP_TIMEOUT)
    log(f"app on the a11y bus: {app.name!r}")
    win = wait_for("the main window", lambda: main_window(app), STARTUP_TIMEOUT)
    log(f"main window: {win.name!r}")

    demo = wait_for("the 'Try the Demo' button", lambda: find_showing(
        win, lambda a: a.getRole() == pyatspi.ROLE_PUSH_BUTTON and "Try the Demo" in plain(a.name)))
    # The empty state stays "visible" in the main GtkStack after it is
    # left: skip the page that holds the demo button from now on.
    empty_page = demo
    while empty_page.parent is not None and empty_page.parent.name != "GtkStackPage":
        empty_page = empty_page.parent
    if empty_page.parent is None:
        raise TimeoutError("the empty state is not in a GtkStack page any more (update the test)")
    click(demo)
    log("clicked 'Try the Demo'")
    SKIP["paths"].add(empty_page.path)

    wait_for("the empty state to go away", lambda: not is_showing(demo) or
             find_showing(win, lambda a: a.name == "KgConnectionPage"))
    required = [t for t, req in PAGES if req]
    buttons = wait_for("the view switcher buttons " + ", ".join(required),
                       lambda: (lambda b: b if all(t in b for t in required) else None)(switcher_buttons(win)))
    log("view switcher shows: " + ", ".join(t for t, _ in PAGES if t in buttons))

    offenders = []
    seen = set()
    failures = []
    for title, _req in PAGES:
        if title not in buttons:
            log(f"page {title!r}: hidden for this profile, skipped")
            continue
        SKIP["pages"] = set()
        candidates = switcher_buttons(win).get(title)
        if not candidates:
            failures.append(f"the switcher button {title!r} went away")
            continue
        # The header's switcher and the bottom bar both have the button;
        # only the one on screen reacts, the other one was mapped before.
        for button in candidates:
            if not button.getState().contains(pyatspi.STATE_SELECTED):
                click(button)
        try:
            wait_for(f"the switcher button {title!r} to be selected",
                     lambda: all(b.getState().contains(pyatspi.STATE_SELECTED)
                                 for b in switcher_buttons(win).get(title, [None])))
        except (TimeoutError, AttributeError) as e:
            failures.append(str(e))
            continue
        time.sleep(0.3)  # let the page's own async content settle
        SKIP["pages"] = {t for k, t in PAGE_TYPES.items() if k != title}
        if find_showing(win, lambda a: a.name == PAGE_TYPES[title]) is None:
            failures.append(f"page {title!r}: its {PAGE_TYPES[title]} is not in the tree "
                            "(was it given a name? update PAGE_TYPES)")
        n = check_page(win, title, offenders, seen)
        log(f"page {title!r}: {n} showing controls checked")
        if n == 0:
            failures.append(f"page {title!r}: no control found at all (the walk is broken)")

    if proc.poll() is not None:
        failures.append(f"the app exited during the test (status {proc.returncode})")
    for f in failures:
        print(f"FAIL: {f}", file=sys.stderr)
    if offenders:
        print(f"FAIL: {len(offenders)} control(s) without an accessible name or not focusable:",
              file=sys.stderr)
        for o in offenders:
            print("  " + o, file=sys.stderr)
    return 1 if (failures or offenders) else 0


def main():
    build = os.environ.get("KEYGATE_BUILD_DIR")
    if not build:
        print("FAIL: KEYGATE_BUILD_DIR is not set", file=sys.stderr)
        return 1
    exe = os.path.join(build, "src", "app", "keygate")
    tmp = os.environ.get("KEYGATE_TEST_TMPDIR") or tempfile.mkdtemp(prefix="keygate-a11y.")
    proc = subprocess.Popen([exe], env=app_env(tmp))
    log(f"started {exe} (pid {proc.pid})")
    try:
        return run(proc)
    except TimeoutError as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1
    finally:
        quit_app(proc)


T0 = time.monotonic()
if __name__ == "__main__":
    sys.exit(main())
