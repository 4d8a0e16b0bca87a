import 'fake-indexeddb/auto';
import { forceCloseDatabase } from 'fake-indexeddb';
import { openDB, unwrap } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JobGraph } from '../../engine/job/types';
import { DB_NAME, DB_VERSION, LibraryError, openDesignerDb, openJobsLibrary, type JobsLibrary } from './jobsLibrary';

let dbCounter = 0;
const opened: JobsLibrary[] = [];

function job(name: string, operators = 2): JobGraph {
  return {
    sluice: 'job/1',
    name,
    operators: Array.from({ length: operators }, (_, i) => ({
      id: `op${i}`, kind: i === 0 ? 'datagen' : 'collect', name: `Op ${i}`, parallelism: 1,
    })),
    edges: operators > 1 ? [{ from: 'op0', to: 'op1', partitioner: 'forward' }] : [],
  };
}

/** A library on a fresh database with a manual clock and predictable ids. */
async function freshLibrary() {
  const clock = { t: 1_000 };
  let ids = 0;
  const dbName = `jobs-test-${++dbCounter}`;
  const library = await openJobsLibrary({ dbName, now: () => clock.t, newId: () => `id-${++ids}` });
  opened.push(library);
  return { library, clock, dbName };
}

async function expectLibraryError(promise: Promise<unknown>, code: string): Promise<LibraryError> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(LibraryError);
  expect((error as LibraryError).code).toBe(code);
  return error as LibraryError;
}

afterEach(() => {
  vi.restoreAllMocks();
  while (opened.length) opened.pop()?.close();
});

describe('jobs library: saving and listing', () => {
  it('uses the documented database name and version', () => {
    expect(DB_NAME).toBe('sluice-designer');
    expect(DB_VERSION).toBe(1);
  });

  it('saves a new job under a fresh id with matching timestamps and operator count', async () => {
    const { library } = await freshLibrary();
    const saved = await library.save(job('Word count', 3));
    expect(saved).toMatchObject({ id: 'id-1', name: 'Word count', createdAt: 1_000, updatedAt: 1_000, operators: 3 });
    expect(await library.get('id-1')).toEqual(saved);
  });

  it('overwrites an existing id, keeping createdAt and moving updatedAt', async () => {
    const { library, clock } = await freshLibrary();
    const first = await library.save(job('A'));
    clock.t = 5_000;
    const second = await library.save(job('A, edited', 1), first.id);
    expect(second).toMatchObject({ id: first.id, name: 'A, edited', createdAt: 1_000, updatedAt: 5_000, operators: 1 });
    expect(await library.list()).toHaveLength(1);
  });

  it('saves under a caller-chosen id that does not exist yet', async () => {
    const { library } = await freshLibrary();
    const saved = await library.save(job('Imported'), 'chosen');
    expect(saved).toMatchObject({ id: 'chosen', createdAt: 1_000 });
  });

  it('hands back a copy: editing the job after saving does not change what was saved', async () => {
    const { library } = await freshLibrary();
    const draft = job('Draft');
    const saved = await library.save(draft);
    draft.name = 'changed later';
    saved.job.operators.length = 0;
    const again = await library.get(saved.id);
    expect(again?.job.name).toBe('Draft');
    expect(again?.job.operators).toHaveLength(2);
  });

  it('names a job with a blank name "Untitled job" in the list but stores the job as given', async () => {
    const { library } = await freshLibrary();
    const saved = await library.save(job('  '));
    expect(saved.name).toBe('Untitled job');
    expect(saved.job.name).toBe('  ');
  });

  it('lists summaries newest first, without the job bodies', async () => {
    const { library, clock } = await freshLibrary();
    await library.save(job('old'));
    clock.t = 3_000;
    await library.save(job('newest'));
    clock.t = 2_000;
    await library.save(job('middle'));
    const list = await library.list();
    expect(list.map((s) => s.name)).toEqual(['newest', 'middle', 'old']);
    expect(list[0]).toEqual({ id: 'id-2', name: 'newest', createdAt: 3_000, updatedAt: 3_000, operators: 2 });
    expect(list[0]).not.toHaveProperty('job');
  });

  it('mostRecent returns the newest job, and agrees with list on ties', async () => {
    const { library, clock } = await freshLibrary();
    expect(await library.mostRecent()).toBeUndefined();
    await library.save(job('a'));
    await library.save(job('b'));
    clock.t = 500;
    await library.save(job('older'));
    const list = await library.list();
    const recent = await library.mostRecent();
    expect(recent?.id).toBe(list[0]?.id);
    expect(recent?.job.sluice).toBe('job/1');
  });

  it('get of an unknown id is undefined', async () => {
    const { library } = await freshLibrary();
    expect(await library.get('nope')).toBeUndefined();
  });

  it('keeps jobs across connections', async () => {
    const { library, dbName } = await freshLibrary();
    const saved = await library.save(job('persisted'));
    library.close();
    const reopened = await openJobsLibrary({ dbName });
    opened.push(reopened);
    expect(await reopened.get(saved.id)).toEqual(saved);
  });

  it('makes distinct default ids', async () => {
    const library = await openJobsLibrary({ dbName: `jobs-test-${++dbCounter}` });
    opened.push(library);
    const a = await library.save(job('a'));
    const b = await library.save(job('b'));
    expect(a.id).not.toBe(b.id);
    expect(a.id).toMatch(/^job-[0-9a-f]{24}$/);
  });
});

describe('jobs library: rename and remove', () => {
  it('rename sets the name and job.name, moves updatedAt, keeps createdAt', async () => {
    const { library, clock } = await freshLibrary();
    const saved = await library.save(job('before'));
    clock.t = 9_000;
    const renamed = await library.rename(saved.id, 'after');
    expect(renamed).toMatchObject({ id: saved.id, name: 'after', createdAt: 1_000, updatedAt: 9_000 });
    expect(renamed.job.name).toBe('after');
    expect((await library.get(saved.id))?.job.name).toBe('after');
  });

  it('rename of a missing job fails with library.not-found', async () => {
    const { library } = await freshLibrary();
    const error = await expectLibraryError(library.rename('ghost', 'x'), 'library.not-found');
    expect(error.message).toMatch(/Save the job again/);
  });

  it('rename to an empty name fails with library.invalid-name and changes nothing', async () => {
    const { library } = await freshLibrary();
    const saved = await library.save(job('kept'));
    await expectLibraryError(library.rename(saved.id, '   '), 'library.invalid-name');
    expect((await library.get(saved.id))?.name).toBe('kept');
  });

  it('remove deletes a job; removing it again is fine', async () => {
    const { library } = await freshLibrary();
    const saved = await library.save(job('doomed'));
    await library.remove(saved.id);
    await library.remove(saved.id);
    expect(await library.get(saved.id)).toBeUndefined();
    expect(await library.list()).toEqual([]);
  });
});

describe('jobs library: failures never report success and never lose the previous version', () => {
  async function withPreviousVersion() {
    const fixture = await freshLibrary();
    const previous = await fixture.library.save(job('good version'));
    fixture.clock.t = 2_000;
    return { ...fixture, previous };
  }

  async function expectUnchanged(library: JobsLibrary, previous: Awaited<ReturnType<JobsLibrary['save']>>) {
    vi.restoreAllMocks();
    expect(await library.get(previous.id)).toEqual(previous);
    expect(await library.list()).toEqual([
      { id: previous.id, name: previous.name, createdAt: previous.createdAt, updatedAt: previous.updatedAt, operators: previous.operators },
    ]);
  }

  it('a put that throws QuotaExceededError becomes library.quota-exceeded', async () => {
    const { library, previous } = await withPreviousVersion();
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const error = await expectLibraryError(library.save(job('bigger version'), previous.id), 'library.quota-exceeded');
    expect(error.operation).toBe('save');
    expect(error.message).toMatch(/storage for this site is full/);
    expect(error.message).toMatch(/previously saved version.*unchanged/);
    expect(error.message).toMatch(/Export/);
    await expectUnchanged(library, previous);
  });

  it('a transaction aborted with QuotaExceededError (requests see AbortError) becomes library.quota-exceeded', async () => {
    const { library, previous } = await withPreviousVersion();
    const realPut = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      const request = realPut.apply(this, args);
      // What browsers do when the commit runs out of quota: abort the transaction with the
      // quota error as `transaction.error`; pending requests fail with a plain AbortError.
      (this.transaction as unknown as { _abort(name: string): void })._abort('QuotaExceededError');
      return request;
    });
    await expectLibraryError(library.save(job('bigger version'), previous.id), 'library.quota-exceeded');
    await expectUnchanged(library, previous);
  });

  it('a commit that fails after the put itself succeeded is still a failure, not a success', async () => {
    const { library, previous } = await withPreviousVersion();
    const realPut = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      const request = realPut.apply(this, args);
      const tx = this.transaction as unknown as { _abort(name: string): void };
      request.addEventListener('success', () => tx._abort('QuotaExceededError'));
      return request;
    });
    await expectLibraryError(library.save(job('bigger version'), previous.id), 'library.quota-exceeded');
    await expectUnchanged(library, previous);
  });

  it('an AbortError that names the quota in its message becomes library.quota-exceeded', async () => {
    const { library, previous } = await withPreviousVersion();
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('Transaction aborted: QuotaExceededError', 'AbortError');
    });
    await expectLibraryError(library.save(job('bigger version'), previous.id), 'library.quota-exceeded');
    await expectUnchanged(library, previous);
  });

  it('an unknown storage error becomes library.storage-failed naming the cause', async () => {
    const { library, previous } = await withPreviousVersion();
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('disk I/O failed', 'UnknownError');
    });
    const error = await expectLibraryError(library.save(job('v2'), previous.id), 'library.storage-failed');
    expect(error.message).toMatch(/UnknownError: disk I\/O failed/);
    expect(error.cause).toBeInstanceOf(DOMException);
    await expectUnchanged(library, previous);
  });

  it('a failed rename leaves the saved version as it was', async () => {
    const { library, previous } = await withPreviousVersion();
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    const error = await expectLibraryError(library.rename(previous.id, 'new name'), 'library.quota-exceeded');
    expect(error.message).toMatch(/not renamed/);
    await expectUnchanged(library, previous);
  });

  it('a job holding something unstorable fails with library.invalid-job', async () => {
    const { library, previous } = await withPreviousVersion();
    const bad = job('bad');
    bad.operators[0]!.config = { fn: () => 1 };
    await expectLibraryError(library.save(bad, previous.id), 'library.invalid-job');
    await expectUnchanged(library, previous);
  });
});

describe('jobs library: connection trouble', () => {
  it('calls after close() fail with library.closed', async () => {
    const { library } = await freshLibrary();
    library.close();
    const error = await expectLibraryError(library.list(), 'library.closed');
    expect(error.message).toMatch(/Reload this page/);
    await expectLibraryError(library.save(job('x')), 'library.closed');
  });

  it('steps aside when a newer version opens in another tab, then reports library.closed', async () => {
    const { library, dbName } = await freshLibrary();
    const newer = await openDB(dbName, DB_VERSION + 1);
    await expectLibraryError(library.list(), 'library.closed');
    newer.close();
  });

  it('reports library.closed after the browser terminates the connection', async () => {
    const onClosed = vi.fn();
    const db = await openDesignerDb(`jobs-test-${++dbCounter}`, DB_VERSION, { onClosed });
    // fake-indexeddb's typing asks for the class; it takes the connection.
    forceCloseDatabase(unwrap(db) as unknown as Parameters<typeof forceCloseDatabase>[0]);
    await vi.waitFor(() => expect(onClosed).toHaveBeenCalled());
  });

  it('an open blocked by an older connection in another tab fails with library.blocked', async () => {
    const dbName = `jobs-test-${++dbCounter}`;
    const stubborn = await openDB(dbName, 1); // never closes on versionchange
    const error = await expectLibraryError(
      openDesignerDb(dbName, 2, { onClosed: () => undefined }, 20),
      'library.blocked',
    );
    expect(error.message).toMatch(/Close or reload the other Sluice tabs/);
    stubborn.close(); // the late connection that now opens is closed by the library itself
  });

  it('a database written by a newer Sluice fails with library.version', async () => {
    const dbName = `jobs-test-${++dbCounter}`;
    (await openDB(dbName, DB_VERSION + 5)).close();
    await expectLibraryError(openJobsLibrary({ dbName }), 'library.version');
  });

  it('a browser without IndexedDB fails with library.unavailable', async () => {
    vi.stubGlobal('indexedDB', undefined);
    try {
      await expectLibraryError(openJobsLibrary({ dbName: 'none' }), 'library.unavailable');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
