/**
 * Why a store cannot serve: `STORE_CORRUPT` (files damaged beyond a torn tail; it refuses to
 * start), `STORE_LOCKED` (another relay uses the data dir), `STORE_FAILED` (a write or fsync
 * failed; durability is unknown, so it refuses further writes until restarted),
 * `STORE_CLOSED` (used after close or before open).
 */
export type StoreErrorCode = 'STORE_CORRUPT' | 'STORE_LOCKED' | 'STORE_FAILED' | 'STORE_CLOSED';

/** A store failure that is not a refusal of one change (those are UpdateResult values). */
export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What stores log through: pino's `(object, message)` call shape, so a pino logger fits as is. */
export interface StoreLogger {
  info(detail: object, message: string): void;
  warn(detail: object, message: string): void;
  error(detail: object, message: string): void;
}

/** A logger that drops everything (the default in tests). */
export const silentStoreLogger: StoreLogger = { info: () => {}, warn: () => {}, error: () => {} };
