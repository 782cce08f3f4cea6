# Sourced by side-by-side.sh and side-by-side-inference.sh: what both need besides their own measurements.

# install_missing PACKAGE...: installs the named Debian packages (none: nothing to do), with sudo unless root.
install_missing() {
  [ $# -gt 0 ] || return 0
  echo "Installing $* ..."
  local sudo_cmd
  sudo_cmd=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@" >/dev/null
}

# median NUMBER...: the median of the numbers (the mean of the middle two for an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
