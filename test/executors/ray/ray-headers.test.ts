import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rayHeaders } from '../../../src/executors/ray/ray-headers.ts';

describe('rayHeaders', () => {
  it('sends no header when the environment names no credentials', () => {
    expect(rayHeaders({})).toEqual({ headers: {} });
  });

  it('turns RAY_AUTH_TOKEN, or the file RAY_AUTH_TOKEN_PATH names, into a Bearer token', () => {
    expect(rayHeaders({ RAY_AUTH_TOKEN: 'tok1\n' })).toEqual({ headers: { Authorization: 'Bearer tok1' } });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'loop-ray-token-')), 'token');
    writeFileSync(file, 'tok2\n');
    expect(rayHeaders({ RAY_AUTH_TOKEN_PATH: file })).toEqual({ headers: { Authorization: 'Bearer tok2' } });
  });

  it('adds RAY_JOB_HEADERS, whose Authorization wins over a token', () => {
    expect(rayHeaders({ RAY_JOB_HEADERS: '{"X-Proxy": "a", "authorization": "Basic b"}', RAY_AUTH_TOKEN: 'tok' })).toEqual({
      headers: { 'X-Proxy': 'a', authorization: 'Basic b' },
    });
  });

  it('names the variable at fault without echoing its value', () => {
    const bad = rayHeaders({ RAY_JOB_HEADERS: '{"Authorization": secret-value' });
    expect(bad).toEqual({ error: expect.stringContaining('RAY_JOB_HEADERS must be a JSON object') });
    expect(JSON.stringify(bad)).not.toContain('secret-value');
    expect(rayHeaders({ RAY_AUTH_TOKEN_PATH: '/nonexistent/token' })).toEqual({ error: expect.stringContaining('(ENOENT)') });
  });
});
