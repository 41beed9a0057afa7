// Why loop ended a stage itself: its time limit passed, or it was cancelled (a pause, a stop).
export type TerminationReason = 'timeout' | 'cancel';

/** How long a stage may take to exit after SIGTERM before its group gets SIGKILL, on every backend. */
export const DEFAULT_GRACE_SECONDS = 10;
