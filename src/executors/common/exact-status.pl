# Runs a stage and records its exact end in PREFIX.exit (usage: perl exact-status.pl PREFIX PROGRAM [ARG...]).
# A shell sees 128+N both for a stage killed by signal N and for one that ran `exit 128+N`; the wait status tells
# them apart. Written: the exit code, 128+N for signal N, or 256+C for an exit code C above 128 (decodeExitStatus).
# Like the shell wrapper, it stays to record the end when the process group gets SIGTERM, SIGINT or SIGHUP.
$SIG{$_} = sub {} for qw(TERM INT HUP);
my $prefix = shift;
my $pid = fork;
exit 126 unless defined $pid;
if ($pid == 0) {
  $SIG{$_} = 'DEFAULT' for qw(TERM INT HUP);
  exec { $ARGV[0] } @ARGV;
  exit 127;
}
1 while waitpid($pid, 0) == -1 && $! == 4; # EINTR (by number: %! would load Errno.pm at every start)
my $code = $? >> 8;
my $sig = $? & 127;
open my $f, '>', "$prefix.exit" or exit 125;
print $f ($sig ? 128 + $sig : $code > 128 ? 256 + $code : $code), "\n";
close $f;
exit($sig ? 128 + $sig : $code);
