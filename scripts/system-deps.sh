#!/usr/bin/env bash
# The system libraries Qt needs on Linux, installed if missing.
#   scripts/system-deps.sh test   what the tests need (Qt's offscreen platform, and
#                                 the library QtTextToSpeech needs to import: its mock
#                                 engine is all the tests use)
#                                 and PostgreSQL (Debian's postgresql package): the
#                                 office tests start a throwaway cluster of their own
#   scripts/system-deps.sh run    that, plus what a window on X11 needs, plus real
#                                 speech for "Listen": speech-dispatcher (Qt's speechd
#                                 engine) and one voice (espeak-ng), unless a voice
#                                 module is there already, and pactl (pulseaudio-utils)
#                                 for audio mode's headphone detection
# As root (or with password-less sudo) it runs apt-get; otherwise it prints the
# exact command and fails. Each library is looked up by its file, not its
# package name, so it works across Debian and Ubuntu releases.
#   scripts/system-deps.sh python what creating the virtual environment needs
set -euo pipefail
mode=${1:-run}
python=${PYTHON:-python3}

if [ "$mode" = python ]; then
  if ! command -v "$python" >/dev/null; then
    echo "The kiosk needs Python 3.11 or newer, and '$python' is not installed. Install it, or run make with PYTHON=/path/to/python3.11 (or newer)." >&2
    exit 1
  fi
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "The kiosk needs Python 3.11 or newer; '$python' is $("$python" --version 2>&1). Run make with PYTHON=python3.11 (or newer)." >&2
    exit 1
  fi
  "$python" -c 'import ensurepip, venv' 2>/dev/null && exit 0
  # Debian and Ubuntu split venv off into python3-venv.
  set -- "python3-venv"
else
  set --
fi
[ "$(uname -s)" = Linux ] || exit 0

# soname package
test_libs=(
  "libEGL.so.1 libegl1" "libGL.so.1 libgl1" "libOpenGL.so.0 libopengl0"
  "libfontconfig.so.1 libfontconfig1" "libfreetype.so.6 libfreetype6"
  "libxkbcommon.so.0 libxkbcommon0" "libdbus-1.so.3 libdbus-1-3"
  "libglib-2.0.so.0 libglib2.0-0"
  # QtTextToSpeech links QtMultimedia, which links PulseAudio's client library:
  # without it "import PySide6.QtTextToSpeech" fails, even for the mock engine.
  "libpulse.so.0 libpulse0"
)
run_libs=(
  "libxcb-cursor.so.0 libxcb-cursor0" "libxcb-icccm.so.4 libxcb-icccm4"
  "libxcb-keysyms.so.1 libxcb-keysyms1" "libxkbcommon-x11.so.0 libxkbcommon-x11-0"
  "libxcb-image.so.0 libxcb-image0" "libxcb-render-util.so.0 libxcb-render-util0"
  "libxcb-shape.so.0 libxcb-shape0" "libxcb-xinerama.so.0 libxcb-xinerama0"
  "libxcb-randr.so.0 libxcb-randr0" "libxcb-xfixes.so.0 libxcb-xfixes0"
  "libxcb-xkb.so.1 libxcb-xkb1" "libX11-xcb.so.1 libx11-xcb1"
  # Qt's speechd engine plugin; without it "Listen" is hidden (and the log says so).
  "libspeechd.so.2 libspeechd2"
)
missing=("$@")
if [ "$mode" != python ]; then
  libs=("${test_libs[@]}")
  [ "$mode" = run ] && libs+=("${run_libs[@]}")
  known=$(/sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null || true)
  for pair in "${libs[@]}"; do
    soname=${pair%% *}; package=${pair##* }
    grep -q "$soname" <<<"$known" || missing+=("$package")
  done
  fonts=$(fc-list 2>/dev/null | head -n 1 || true)
  [ -n "$fonts" ] || missing+=(fonts-dejavu-core fontconfig)
fi
if [ "$mode" = test ]; then
  # initdb and pg_ctl live in /usr/lib/postgresql/<version>/bin (not on PATH).
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
fi
if [ "$mode" = run ]; then
  # The speech daemon (started on demand by libspeechd) and a voice: with
  # --no-install-recommends, speech-dispatcher alone has only its dummy module,
  # which says "speech synthesizer not available" instead of the page.
  command -v speech-dispatcher >/dev/null || missing+=(speech-dispatcher)
  voices=$(find /usr/lib/*/speech-dispatcher-modules /usr/lib/speech-dispatcher-modules \
    -name 'sd_*' ! -name sd_dummy ! -name sd_generic 2>/dev/null | head -n 1 || true)
  [ -n "$voices" ] || missing+=(speech-dispatcher-espeak-ng)
  # Audio mode hears headphones plugged in through `pactl subscribe` (PulseAudio,
  # or PipeWire's pipewire-pulse); the tests use a fake pactl of their own.
  command -v pactl >/dev/null || missing+=(pulseaudio-utils)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "These system packages are needed (Debian names): ${missing[*]}; install them with your package manager." >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then sudo=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"
else
  echo "System packages are needed. Run: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
