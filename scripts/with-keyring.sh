#!/usr/bin/env bash
# Runs a command with a real OS keychain available: on Linux, inside a private D-Bus session with a
# throwaway gnome-keyring unlocked by a random password (ARCHITECTURE.md, Tests). The keyring file keeps
# the password it was first unlocked with, so every run gets a fresh HOME; nothing touches the
# user's own keyring. Elsewhere (macOS, Windows, Linux without these tools) the command runs as is.
set -euo pipefail

if [ "$(uname -s)" != "Linux" ] || ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  exec "$@"
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home" "$scratch/data" "$scratch/runtime"
chmod 700 "$scratch/runtime"
export WS_KEYRING_SCRATCH="$scratch"
export WS_KEYRING_PASSWORD="$(head -c 24 /dev/urandom | base64)"

# Inside the session: start the daemon with the secrets component, unlocked, then run the command.
dbus-run-session -- bash -c '
  export HOME="$WS_KEYRING_SCRATCH/home" XDG_DATA_HOME="$WS_KEYRING_SCRATCH/data" XDG_RUNTIME_DIR="$WS_KEYRING_SCRATCH/runtime"
  eval "$(printf "%s" "$WS_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
  export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
  unset WS_KEYRING_PASSWORD
  exec "$@"
' bash "$@"
