import type { AuditEntry, ChangeRecord } from './flag-store';

/** One line of an environment's change log: a committed change, its audit entries, its idempotency key. */
export interface LogRecord {
  change: Omit<ChangeRecord, 'patchJson'>;
  audit: AuditEntry[];
  idempotencyKey?: string;
}

/** The log line's content for a commit; `patchJson` is not stored since it is `JSON.stringify(patch)`. */
export function toLogRecord(
  change: ChangeRecord,
  audit: AuditEntry[],
  idempotencyKey: string | undefined,
): LogRecord {
  const { patchJson: _patchJson, ...stored } = change;
  return idempotencyKey === undefined
    ? { change: stored, audit }
    : { change: stored, audit, idempotencyKey };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isVersion = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * Checks the shape of a decoded log line (its checksum already matched) and rebuilds the
 * change record. Re-stringifying the parsed patch yields the bytes first sent: JSON.parse
 * keeps key order and JSON.stringify's number output round-trips.
 */
export function fromLogRecord(
  value: unknown,
): { record: LogRecord; change: ChangeRecord } | undefined {
  if (!isObject(value) || !isObject(value.change) || !Array.isArray(value.audit)) return undefined;
  const change = value.change;
  if (
    typeof change.environment !== 'string' ||
    !isVersion(change.version) ||
    !isVersion(change.from)
  )
    return undefined;
  if (!isObject(change.patch) || typeof change.committedAt !== 'string') return undefined;
  if (value.idempotencyKey !== undefined && typeof value.idempotencyKey !== 'string') {
    return undefined;
  }
  const record = value as unknown as LogRecord;
  return { record, change: { ...record.change, patchJson: JSON.stringify(record.change.patch) } };
}
