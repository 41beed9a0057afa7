// Ray's job states (PENDING, RUNNING, STOPPED, SUCCEEDED, FAILED): the first two may still run, the stage is
// followed on.
export function isActiveRayState(status: string): boolean {
  return status === 'PENDING' || status === 'RUNNING';
}
