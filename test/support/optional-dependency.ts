import { describe, it } from 'vitest';

// Tests of parts that need something outside npm (Slurm, sshd, Chromium, PyTorch): they run where it is present,
// are skipped with the reason where it is not, and fail in CI (LOOP_TEST_STRICT=1, set by .ci/run), which installs
// and starts everything, so CI can never pass by skipping.
export function describeWith(what: string, available: boolean | string, body: () => void): void {
  const missing = available === true ? null : available === false ? `${what} is not available` : available;
  if (missing === null) {
    describe(what, body);
  } else if (process.env.LOOP_TEST_STRICT === '1') {
    describe(what, () => {
      it('is available (LOOP_TEST_STRICT=1: .ci/setup/ should have installed and started it)', () => {
        throw new Error(missing);
      });
    });
  } else {
    describe.skip(`${what} (skipped: ${missing})`, body);
  }
}
