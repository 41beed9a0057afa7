// Job states (squeue, scontrol, sacct) in which the job may still run: the stage is followed on.
// REQUEUED and REQUEUE_HOLD come after `scontrol requeue` or a node failure with --requeue: the same job runs again.
const ACTIVE = new Set([
  'PENDING',
  'CONFIGURING',
  'RUNNING',
  'COMPLETING',
  'SUSPENDED',
  'REQUEUED',
  'REQUEUE_FED',
  'REQUEUE_HOLD',
  'RESIZING',
  'SIGNALING',
  'STAGE_OUT',
  'STOPPED',
  'RESV_DEL_HOLD',
]);

// Whether a job in this state has not ended yet.
export function isActiveState(state: string): boolean {
  return ACTIVE.has(state);
}

// States after which a new attempt may well succeed (the node, not the stage, failed): a sentence for the record.
export const RETRYABLE_STATES: Record<string, string> = {
  NODE_FAIL: 'its node failed (NODE_FAIL)',
  PREEMPTED: 'it was preempted by a higher-priority job (PREEMPTED)',
  BOOT_FAIL: 'its node failed to boot (BOOT_FAIL)',
};
