import { describe, expect, it } from 'vitest';
import { resolveRayAddress } from '../../../src/executors/ray/ray-address.ts';
import { redactAddress } from '../../../src/recipe/redact-address.ts';

const spec = (address?: string) => ({ kind: 'ray' as const, address, metadata: {}, sharedFilesystem: true as const });

describe('resolveRayAddress', () => {
  it('takes executor.address first, then RAY_ADDRESS, then the local dashboard, as `ray job` does', () => {
    expect(resolveRayAddress(spec('http://head:8265/'), { RAY_ADDRESS: 'http://other:8265' })).toEqual({ url: 'http://head:8265' });
    expect(resolveRayAddress(spec(), { RAY_ADDRESS: 'https://ray.example.com' })).toEqual({ url: 'https://ray.example.com' });
    expect(resolveRayAddress(spec(), {})).toEqual({ url: 'http://127.0.0.1:8265' });
  });

  it('refuses a GCS or ray:// address, naming where it came from and the fix', () => {
    const fromEnv = resolveRayAddress(spec(), { RAY_ADDRESS: '10.0.0.1:6379' });
    expect(fromEnv).toEqual({
      error: expect.stringMatching(/^RAY_ADDRESS is "10.0.0.1:6379", not the dashboard's http\(s\) URL; .*RAY_ADDRESS=http:\/\/HEAD:8265/),
    });
    expect(resolveRayAddress(spec('ray://head:10001'), {})).toEqual({
      error: expect.stringMatching(/^executor.address is "ray:\/\/head:10001"/),
    });
  });
});

describe('redactAddress', () => {
  it('hides a password in the URL and leaves the rest', () => {
    expect(redactAddress('https://me:s3cret@ray.example.com:443/x')).toBe('https://me:***@ray.example.com:443/x');
    expect(redactAddress('http://127.0.0.1:8265')).toBe('http://127.0.0.1:8265');
  });
});
