import type { Backend } from '../backend.ts';
import { createLocalExecutor } from './run-local.ts';

// Stages as process groups on the controller's own machine; nothing to install.
export const localBackend: Backend = {
  kind: 'local',
  remote: false,
  create: createLocalExecutor,
  whyUnavailable: () => undefined,
};
