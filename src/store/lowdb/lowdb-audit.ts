/**
 * The audit log in the embedded store: JSON Lines, one append-only file per local day under
 * DATA_DIR/audit/ (day-files.ts: 0600, serialised per day, torn lines skipped).
 */
import path from 'node:path';
import { AuditEntry, type AuditLog } from '../audit';
import { createDayFiles } from './day-files';

export async function createLowdbAuditLog(dataDir: string): Promise<AuditLog> {
  const files = await createDayFiles(path.join(dataDir, 'audit'), AuditEntry);
  return {
    append: async (entry) => files.append(entry.day, [JSON.stringify(AuditEntry.parse(entry))]),
    read: (days) => files.read(days),
    days: () => files.days(),
    removeDay: (day) => files.removeDay(day),
  };
}
