#!/bin/sh
# Runs one stage attempt and records, next to the stage's log, the wrapper's pid (PREFIX.pid) and the stage's exit
# status (PREFIX.exit), each written atomically. The controller can then die (crash, kill -9, reboot of the
# controller only) while the stage goes on, and a resumed controller collects the result instead of rerunning it.
# Usage: stage-wrapper.sh PREFIX PROGRAM [ARG...]
prefix=$1
shift
echo $$ > "$prefix.pid.tmp" && mv "$prefix.pid.tmp" "$prefix.pid"
# One line per start of this attempt, never cleared: how many times the stage really ran.
echo $$ >> "$prefix.starts"
# A handler (not an ignore, which the stage would inherit): on SIGTERM/SIGINT/SIGHUP to the group the stage gets the
# signal too, and the wrapper stays to record how the stage ended.
trap ':' TERM INT HUP
"$@"
code=$?
echo "$code" > "$prefix.exit.tmp" && mv "$prefix.exit.tmp" "$prefix.exit"
exit "$code"
