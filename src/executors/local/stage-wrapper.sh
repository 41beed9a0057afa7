#!/bin/sh
# Runs one stage attempt and records, next to the stage's log, the wrapper's pid (one line appended to
# PREFIX.starts at each start) and the stage's exit status (PREFIX.exit). The controller can then die (crash,
# kill -9, reboot of the controller only) while the stage goes on, and a resumed controller collects the result
# instead of rerunning it. Shell built-ins only, and Perl (exact-status.pl) to tell a signal from an exit code.
# Usage: stage-wrapper.sh PREFIX PROGRAM [ARG...]
prefix=$1
shift
# One short append (a single write) per start, never cleared: the last line is the live wrapper's pid, the line
# count is how many times the stage really started.
echo $$ >> "$prefix.starts"
# A handler (not an ignore, which the stage would inherit): on SIGTERM/SIGINT/SIGHUP to the group the stage gets the
# signal too, and the wrapper stays to record how the stage ended.
trap ':' TERM INT HUP
# The exit file is read only once the wrapper has exited (collect-after-exit), so no reader sees it half-written.
# Perl, where there is one, records it exactly: a shell's $? is 128+N both for signal N and for `exit 128+N`.
if command -v perl >/dev/null 2>&1; then
  perl "${0%/*}/../common/exact-status.pl" "$prefix" "$@"
  code=$?
else
  "$@"
  code=$?
  echo "$code" > "$prefix.exit"
fi
exit "$code"
