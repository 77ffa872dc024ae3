/**
 * The embedded XDMS's documents: a directory of `*.xml` group documents, loaded once and kept in
 * memory, with every write persisted before it becomes visible.
 */
import { randomUUID } from 'node:crypto';
import { access, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strongEntityTag } from './conditional-request.ts';
import { parseGroupDocument } from './group-document.ts';
import { decodeUtf8 } from './strict-xml.ts';
import { XdmGroupsDirError } from './xdm-errors.ts';

export interface StoredGroup {
  readonly uri: string;
  /** Served exactly as stored, so the ETag is a hash of what the client receives. */
  readonly bytes: Buffer;
  readonly etag: string;
  /** Name of its file in the groups directory. */
  readonly file: string;
}

/** Decides, against the current document (if any), whether a write may go ahead. */
export type WriteCondition = (current: StoredGroup | undefined) => boolean;

export type PutOutcome = { kind: 'stored'; group: StoredGroup; created: boolean } | { kind: 'refused' };
export type DeleteOutcome = { kind: 'deleted' } | { kind: 'absent' } | { kind: 'refused' };

export class GroupStore {
  private readonly groups = new Map<string, StoredGroup>();
  /** Writes run one at a time, so a condition is checked against the state the write replaces. */
  private lastWrite: Promise<unknown> = Promise.resolve();

  private constructor(private readonly dir: string) {}

  /**
   * Loads every `*.xml` file of `dir` (not recursing). The group URI of each is its
   * `<list-service uri>`, whatever the file is called.
   *
   * @throws {XdmGroupsDirError} when `dir` cannot be read, a file is not a group document, or two
   * files hold the same group URI: serving a guess would answer for the wrong group.
   */
  static async open(dir: string): Promise<GroupStore> {
    const store = new GroupStore(dir);
    let names: string[];
    try {
      names = (await readdir(dir)).filter((name) => name.endsWith('.xml')).sort();
    } catch (err) {
      throw new XdmGroupsDirError(`groupsDir '${dir}' cannot be read: pass an existing directory`, { cause: err });
    }
    for (const file of names) {
      const bytes = await readFile(join(dir, file));
      let uri: string;
      try {
        uri = parseGroupDocument(decodeUtf8(bytes)).uri;
      } catch (err) {
        throw new XdmGroupsDirError(`${join(dir, file)} is not a usable group document: ${String(err)}`, { cause: err });
      }
      const twin = store.groups.get(uri);
      if (twin !== undefined) {
        throw new XdmGroupsDirError(`${file} and ${twin.file} in '${dir}' both define ${uri}: remove one`);
      }
      store.groups.set(uri, { uri, bytes, etag: strongEntityTag(bytes), file });
    }
    return store;
  }

  get(uri: string): StoredGroup | undefined {
    return this.groups.get(uri);
  }

  /** Creates or replaces `uri`'s document with `bytes` (already validated) if `condition` holds. */
  put(uri: string, bytes: Buffer, condition: WriteCondition): Promise<PutOutcome> {
    return this.serialized(async () => {
      const current = this.groups.get(uri);
      if (!condition(current)) return { kind: 'refused' };
      const file = current?.file ?? (await this.freeFileName(uri));
      await writeAtomically(join(this.dir, file), bytes);
      const group = { uri, bytes, etag: strongEntityTag(bytes), file };
      this.groups.set(uri, group);
      return { kind: 'stored', group, created: current === undefined };
    });
  }

  /** Removes `uri`'s document and its file if `condition` holds. */
  delete(uri: string, condition: WriteCondition): Promise<DeleteOutcome> {
    return this.serialized(async () => {
      const current = this.groups.get(uri);
      if (current === undefined) return { kind: 'absent' };
      if (!condition(current)) return { kind: 'refused' };
      await rm(join(this.dir, current.file), { force: true });
      this.groups.delete(uri);
      return { kind: 'deleted' };
    });
  }

  private serialized<T>(write: () => Promise<T>): Promise<T> {
    const result = this.lastWrite.then(write);
    // A failed write must not block the next one; its caller sees the failure through `result`.
    this.lastWrite = result.catch(() => undefined);
    return result;
  }

  /**
   * A readable file name for a new group (`sip_friends@cpm.example.net.xml`), made unique when
   * another group or a file written behind the store's back already has it.
   */
  private async freeFileName(uri: string): Promise<string> {
    const readable = uri.replace(/[^A-Za-z0-9._@+-]/g, '_');
    const taken = [...this.groups.values()].some((g) => g.file === `${readable}.xml`);
    if (!taken && !(await exists(join(this.dir, `${readable}.xml`)))) return `${readable}.xml`;
    return `${readable}-${randomUUID()}.xml`;
  }
}

/** Temp file then rename (atomic within a file system), so a crash never leaves half a document. */
async function writeAtomically(path: string, bytes: Buffer): Promise<void> {
  // The `.tmp` suffix keeps a leftover from a crash out of the next start's `*.xml`.
  const temp = `${path}.${randomUUID()}.tmp`;
  try {
    await writeFile(temp, bytes, { flag: 'wx' });
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
