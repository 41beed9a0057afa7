#!/bin/sh
# Runs one stage attempt and records, next to the stage's log, the wrapper's pid (one line appended to
# PREFIX.starts at each start) and the stage's exit status (PREFIX.exit). The controller can then die (crash,
# kill -9, reboot of the controller only) while the stage goes on, and a resumed controller collects the result
# instead of rerunning it. Shell built-ins only: no process is started besides the stage itself.
# Usage: stage-wrapper.sh PREFIX PROGRAM [ARG...]
prefix=$1
shift
# One short append (a single write) per start, never cleared: the last line is the live wrapper's pid, the line
# count is how many times the stage really started.
echo $$ >> "$prefix.starts"
# A handler (not an ignore, which the stage would inherit): on SIGTERM/SIGINT/SIGHUP to the group the stage gets the
# signal too, and the wrapper stays to record how the stage ended.
trap ':' TERM INT HUP
"$@"
code=$?
# Read only once the wrapper has exited (collect-after-exit), so no reader sees this file half-written.
echo "$code" > "$prefix.exit"
exit "$code"
