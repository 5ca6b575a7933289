import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DigestCredential, Extension, Store } from '../store/index.js';
import { ExtensionDirectory, type DirectorySnapshot } from './extension-directory.js';

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
const HA1_1001 = md5('1001:atende.local:s3cret-1001');
const HA1_1002 = md5('1002:atende.local:s3cret-1002');
const SHA_1001 = createHash('sha256').update('1001:atende.local:s3cret-1001').digest('hex');

/** Only what reload reads: the extensions and their credentials. */
function fakeStore(extensions: Array<Pick<Extension, 'number' | 'name' | 'recording'>>, credentials: Array<DigestCredential & { number: string }>): Store {
  const rows: Extension[] = extensions.map((e) => ({ ...e, email: null, createdAt: 0, updatedAt: 0 }));
  const store = { extensions: { list: async () => rows, listCredentials: async () => credentials } };
  return store as unknown as Store;
}

function expectSame(copy: ExtensionDirectory): void {
  expect(copy.size).toBe(2);
  expect(copy.has('1001')).toBe(true);
  expect(copy.has('1002')).toBe(true);
  expect(copy.has('1003')).toBe(false);
  expect(copy.displayName('1001')).toBe('Alice');
  expect(copy.displayName('1002')).toBe('Bob');
  expect(copy.recording('1001')).toBe('always');
  expect(copy.recording('1002')).toBe('onDemand');
  expect(copy.recording('1003')).toBe('never');
  expect(copy.ha1('1001', 'atende.local', 'MD5')).toBe(HA1_1001);
  expect(copy.ha1('1001', 'atende.local', 'SHA-256')).toBe(SHA_1001);
  expect(copy.ha1('1002', 'atende.local', 'MD5')).toBe(HA1_1002);
  expect(copy.ha1('1002', 'atende.local', 'SHA-256')).toBeUndefined();
  expect(copy.ha1('1001', 'other.realm', 'MD5')).toBeUndefined();
}

describe('ExtensionDirectory snapshot', () => {
  it('carries a reloaded directory to a store-less copy', async () => {
    const source = new ExtensionDirectory(
      fakeStore(
        [
          { number: '1001', name: 'Alice', recording: 'always' },
          { number: '1002', name: 'Bob', recording: 'onDemand' },
        ],
        [
          { number: '1001', algorithm: 'MD5', realm: 'atende.local', ha1: HA1_1001 },
          { number: '1001', algorithm: 'SHA-256', realm: 'atende.local', ha1: SHA_1001 },
          { number: '1002', algorithm: 'MD5', realm: 'atende.local', ha1: HA1_1002 },
          // A credential of an extension that is gone is not kept.
          { number: '1999', algorithm: 'MD5', realm: 'atende.local', ha1: md5('x') },
        ],
      ),
    );
    await source.reload();
    const copy = new ExtensionDirectory();
    // Through structured clone, as on the way to the registrar thread.
    copy.restore(structuredClone(source.snapshot()));
    expectSame(copy);
    expect(copy.snapshot()).toEqual(source.snapshot());
    // A store-less copy keeps what it was given.
    await copy.reload();
    expectSame(copy);
  });

  it('restores a snapshot written by hand and gives it back unchanged', () => {
    const snapshot: DirectorySnapshot = [
      ['1001', 'Alice', 'always', [[`MD5\u0000atende.local`, HA1_1001], [`SHA-256\u0000atende.local`, SHA_1001]]],
      ['1002', 'Bob', 'onDemand', [[`MD5\u0000atende.local`, HA1_1002]]],
    ];
    const copy = new ExtensionDirectory();
    copy.restore(snapshot);
    expectSame(copy);
    expect(copy.snapshot()).toEqual(snapshot);
  });

  it('replaces every entry on restore', () => {
    const copy = new ExtensionDirectory();
    copy.restore([['1001', 'Alice', 'always', [[`MD5\u0000atende.local`, HA1_1001]]]]);
    copy.restore([['1002', 'Bob', 'never', []]]);
    expect(copy.has('1001')).toBe(false);
    expect(copy.ha1('1001', 'atende.local', 'MD5')).toBeUndefined();
    expect(copy.displayName('1002')).toBe('Bob');
    expect(copy.size).toBe(1);
  });
});
