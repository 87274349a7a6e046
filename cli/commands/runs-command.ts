/** `layerloom runs`: list training runs from the store. */
import { openDb, type Db } from '../../engine/store/db.js';
import { defaultDataDir } from '../../engine/store/data-dir.js';
import { RunStore } from '../../engine/store/runs.js';
import type { CliValues } from '../options.js';
import { DiskError } from '../../engine/util/disk-errors.js';
import { printableLine } from '../../engine/util/printable.js';

/**
 * Opens the store to read the history; on a full or read-only disk (which the normal open
 * needs to write its journal) it reads the file read-only instead and says so on stderr.
 */
function openForListing(dataDir: string): Db {
  try {
    return openDb(dataDir);
  } catch (e) {
    if (!(e instanceof DiskError)) throw e;
    const db = openDb(dataDir, { readonly: true });
    process.stderr.write(`warning: ${printableLine(e.message)}; listing the runs read-only\n`);
    return db;
  }
}

/** Lists runs newest first (JSON with --json). */
export async function runsCommand(values: CliValues): Promise<number> {
  const db = openForListing(values['data-dir'] ?? defaultDataDir());
  try {
    const runs = new RunStore(db).list();
    if (values.json) {
      process.stdout.write(`${JSON.stringify(runs.map(({ graph: _g, ...r }) => r))}\n`);
      return 0;
    }
    for (const r of runs) {
      const acc = r.final?.valAccuracy ?? r.best?.valAccuracy;
      process.stdout.write(
        `${r.id}  ${new Date(r.createdAt).toISOString().slice(0, 19)}  ${r.status.padEnd(13)} ${r.project.padEnd(22)} epochs ${r.epochsDone}${acc !== undefined ? `  valAccuracy ${acc.toFixed(4)}` : ''}\n`,
      );
    }
    return 0;
  } finally {
    db.close();
  }
}
