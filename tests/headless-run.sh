#!/bin/sh
# Runs one test program in a private world, so `meson test` needs nothing
# from the desktop it was started in and leaves nothing behind:
#   - a fresh HOME and XDG dirs (nothing of the user's config is read or written),
#   - a private TMPDIR (nothing the test or the app writes there meets other
#     builds' files, and test-key-trace can look at all of it),
#   - an Xvfb display for tests that open windows,
#   - a private D-Bus session with gnome-keyring unlocked by a test password,
#     so libsecret talks to a real Secret Service and never shows a prompt.
set -eu

world=$(mktemp -d "${TMPDIR:-/tmp}/cr-test.XXXXXX")
xvfb_pid=
status=1
cleanup () {
  set +e
  [ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null
  # GTK's clipboard can start the document portal, which mounts a FUSE
  # folder in the runtime dir: unmount it, or rm cannot remove it.
  for fm in fusermount3 fusermount; do
    command -v $fm >/dev/null 2>&1 && $fm -u -z "$world/run/doc" 2>/dev/null
  done
  rm -rf "$world" 2>/dev/null
  return 0
}
# The test's own exit status is the wrapper's, whatever cleanup meets.
trap 'cleanup; exit $status' EXIT
trap 'exit 130' INT TERM

export HOME="$world/home"
export XDG_RUNTIME_DIR="$world/run"
export XDG_CONFIG_HOME="$HOME/.config"
export XDG_DATA_HOME="$HOME/.local/share"
export XDG_CACHE_HOME="$HOME/.cache"
export XDG_STATE_HOME="$HOME/.local/state"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
mkdir -m 700 "$XDG_RUNTIME_DIR"
export TMPDIR="$world/tmp"
mkdir -m 700 "$TMPDIR"
export CR_TEST_WORLD="$world"

# -displayfd lets Xvfb pick a free display itself: no race between tests
# running in parallel, unlike xvfb-run -a.
if [ -z "${CR_TEST_NO_DISPLAY:-}" ] && command -v Xvfb >/dev/null 2>&1; then
  Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp -noreset \
    3>"$world/display" 2>"$world/xvfb.log" &
  xvfb_pid=$!
  tries=0
  while [ ! -s "$world/display" ] && [ $tries -lt 100 ]; do
    sleep 0.05; tries=$((tries + 1))
  done
  [ -s "$world/display" ] || { echo "Xvfb did not start:" >&2; cat "$world/xvfb.log" >&2; exit 1; }
  DISPLAY=":$(cat "$world/display")"
  export DISPLAY
fi
unset WAYLAND_DISPLAY
# No GL, also for scripts that run a program here without meson's test
# environment: the tests need none, and Mesa's DRI drivers leak inside
# gdk_display_prepare_gl where they are installed. CR_TEST_GL=1 (the
# startup benchmark: users have GL) keeps GL on; meson can only empty
# variables, not unset them, so empty ones go.
if [ -n "${CR_TEST_GL:-}" ]; then
  [ -n "${GSK_RENDERER:-}" ] || unset GSK_RENDERER
  [ -n "${GDK_DEBUG:-}" ] || unset GDK_DEBUG
else
  export GSK_RENDERER="${GSK_RENDERER:-cairo}"
  case ",${GDK_DEBUG:-}," in
    *,gl-disable,*) ;;
    *) export GDK_DEBUG="${GDK_DEBUG:+$GDK_DEBUG,}gl-disable" ;;
  esac
fi

# Inside the private bus: unlock (and so create) the login keyring first.
# The tests' G_DEBUG=fatal-warnings is for our code only: gnome-keyring-daemon
# warns when an item is replaced, and must not abort over it. So the bus (and
# what it activates) and the daemon run without it; the test gets it back.
# No prompter answers in here: an unlock prompt is dismissed at once, as if
# the person pressed Cancel, instead of a window waiting on Xvfb forever.
# Tests that lock the keyring unlock it again with the password.
export CR_TEST_KEYRING_PASSWORD=pw
export GNOME_KEYRING_TEST_PROMPTER=com.crazyrouter.SetupAssistant.NoPrompter
export CR_TEST_G_DEBUG="${G_DEBUG-}"
# The bus and the services it starts (the accessibility registry says
# hello on stdout) write to stderr: stdout is the test's alone (TAP).
status=0
env -u G_DEBUG dbus-run-session -- sh -c '
  printf %s "$CR_TEST_KEYRING_PASSWORD" |
    gnome-keyring-daemon --replace --unlock --components=secrets >/dev/null 2>&1
  [ -z "$CR_TEST_G_DEBUG" ] || export G_DEBUG="$CR_TEST_G_DEBUG"
  unset CR_TEST_G_DEBUG
  exec "$@" >&3 3>&-' sh "$@" 3>&1 >&2 || status=$?
