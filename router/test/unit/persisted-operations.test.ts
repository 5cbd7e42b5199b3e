import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '@campus/platform';
import { loadRouterConfig } from '../../src/config';
import { PersistedOperations } from '../../src/persisted-operations';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'router-manifest-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const id = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
function manifestFile(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('PersistedOperations.load', () => {
  it('finds a document by "sha256:<hash>" and by the bare hash (APQ), and recognises its exact text', () => {
    const doc = 'query Me { me { id } }';
    const manifest = PersistedOperations.load(manifestFile('ok.json', { [id(doc)]: doc }));
    expect(manifest.size).toBe(1);
    expect(manifest.get(id(doc))).toBe(doc);
    expect(manifest.get(id(doc).slice('sha256:'.length))).toBe(doc);
    expect(manifest.hasText(doc)).toBe(true);
    expect(manifest.hasText('query Me { me { id fullName } }')).toBe(false);
  });

  it.each([
    ['a missing file', path.join(dir, 'absent.json'), /does not exist/],
    ['not JSON', manifestFile('bad.json', '{'), /not JSON/],
    ['a list', manifestFile('list.json', ['query A { a }']), /expected an object/],
    [
      'an id that is not the sha256 of its document',
      manifestFile('id.json', { [id('query A { a }')]: 'query B { b }' }),
      /not the sha256/,
    ],
    ['a document that does not parse', manifestFile('parse.json', { [id('query {')]: 'query {' }), /Syntax Error/],
  ])('refuses %s with a ConfigError naming PERSISTED_OPERATIONS_FILE', (_label, file, message) => {
    const error = (() => {
      try {
        PersistedOperations.load(file);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as ConfigError).message)).toMatch(/PERSISTED_OPERATIONS_FILE/);
    expect(String((error as ConfigError).message)).toMatch(message);
  });
});

describe('trusted documents configuration', () => {
  it('accepts automatic persisted queries in development, not in production or while enforcing', () => {
    const file = manifestFile('config.json', {});
    expect(loadRouterConfig({ PERSISTED_OPERATIONS_FILE: file }).persistedOperations).toEqual({
      file,
      only: false,
      automatic: true,
      warmUp: false,
    });
    expect(
      loadRouterConfig({ NODE_ENV: 'production', PERSISTED_OPERATIONS_FILE: file }).persistedOperations.automatic,
    ).toBe(false);
    expect(
      loadRouterConfig({
        PERSISTED_OPERATIONS_FILE: file,
        ONLY_PERSISTED_OPERATIONS: 'true',
        AUTOMATIC_PERSISTED_QUERIES: 'true',
      }).persistedOperations,
    ).toEqual({ file, only: true, automatic: false, warmUp: false });
  });

  it('plans the known operations at start in production, elsewhere when asked', () => {
    const file = manifestFile('warm.json', {});
    const warmUp = (env: Record<string, string>) =>
      loadRouterConfig({ PERSISTED_OPERATIONS_FILE: file, ...env }).persistedOperations.warmUp;
    expect(warmUp({ NODE_ENV: 'production' })).toBe(true);
    expect(warmUp({ NODE_ENV: 'production', QUERY_PLAN_WARMUP: 'false' })).toBe(false);
    expect(warmUp({})).toBe(false);
    expect(warmUp({ QUERY_PLAN_WARMUP: 'true' })).toBe(true);
  });
});
