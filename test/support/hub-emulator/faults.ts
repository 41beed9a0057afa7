import type { IncomingMessage } from 'node:http';

// A failure the emulator plays on matching requests, `times` times, then answers normally: a status code (401,
// 404, 409, 500…) or a connection dropped mid-request.
export interface Fault {
  method?: string;
  /** A substring of the request path (before the query). */
  path: string;
  status?: number;
  drop?: boolean;
  times: number;
}

// Finds the first armed fault matching a request and counts it down.
export function takeFault(faults: Fault[], req: IncomingMessage, pathname: string): Fault | undefined {
  const fault = faults.find((f) => f.times > 0 && (!f.method || f.method === req.method) && pathname.includes(f.path));
  if (fault) fault.times -= 1;
  return fault;
}
