import { LoopError } from '../errors/loop-error.ts';

// Thrown when the artifact store cannot do what was asked (Hub refused or unreachable, a path that escapes its
// folder); exit code 8. Messages never carry the token: redactSecrets runs on every one.
export class StoreError extends LoopError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_STORE', message, options);
    this.name = 'StoreError';
  }
}

// Removes secrets from a text that may end up in a message or a file.
export function redactSecrets(text: string, secrets: Array<string | undefined>): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out.replace(/\bhf_[A-Za-z0-9]{6,}\b/g, 'hf_[redacted]');
}
