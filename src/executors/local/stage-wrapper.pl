# The local stage wrapper where Perl is installed: the same files as stage-wrapper.sh, one process start less per
# stage (run-local.ts starts it instead of the shell, which would start Perl anyway). Appends its pid to
# PREFIX.starts (one short write per start, never cleared), then runs exact-status.pl in this process, which
# ignores SIGTERM/SIGINT/SIGHUP with a handler, runs the stage and records its exact end in PREFIX.exit.
# Usage: perl stage-wrapper.pl PREFIX PROGRAM [ARG...]
open my $starts, '>>', "$ARGV[0].starts" or exit 125;
print $starts "$$\n";
close $starts;
(my $dir = $0) =~ s{/[^/]*$}{};
do "$dir/../common/exact-status.pl";
exit 125;
