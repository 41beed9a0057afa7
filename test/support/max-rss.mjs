// Loaded with `node --import` into a process whose peak memory a test measures (the controller, run as a user runs
// it): writes the process's peak resident set size in KiB (getrusage's ru_maxrss) to $LOOP_TEST_MAX_RSS_FILE on exit.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.LOOP_TEST_MAX_RSS_FILE) writeFileSync(process.env.LOOP_TEST_MAX_RSS_FILE, String(process.resourceUsage().maxRSS));
});
