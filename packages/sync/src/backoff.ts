/** Options of the reconnect backoff. */
export interface BackoffOptions {
  /** First delay ceiling. Default 1000 ms. */
  initialMs?: number;
  /** Largest delay ceiling. Default 30000 ms. */
  maxMs?: number;
  /** A connection healthy this long resets the sequence. Default 60000 ms. */
  resetAfterMs?: number;
}

/**
 * Exponential backoff with full jitter: the n-th retry waits a random time in
 * [0, min(max, initial * 2^n)). Time and randomness are injected; a connection that stayed
 * healthy for `resetAfterMs` starts the sequence again.
 */
export class Backoff {
  #attempt = 0;
  #healthySince: number | undefined;
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #resetAfterMs: number;
  readonly #random: () => number;

  constructor(options: BackoffOptions, random: () => number) {
    this.#random = random;
    this.#initialMs = options.initialMs ?? 1000;
    this.#maxMs = options.maxMs ?? 30_000;
    this.#resetAfterMs = options.resetAfterMs ?? 60_000;
    if (!(this.#initialMs > 0) || !(this.#maxMs >= this.#initialMs)) {
      throw new RangeError('backoff: initialMs must be > 0 and maxMs >= initialMs');
    }
  }

  /** Call when a connection succeeds. */
  success(now: number): void {
    this.#healthySince = now;
  }

  /** Starts the sequence again (a connection that worked, then ended, is not a failed attempt). */
  reset(): void {
    this.#attempt = 0;
    this.#healthySince = undefined;
  }

  /** Call when a connection fails: answers how long to wait before the next attempt. */
  fail(now: number): number {
    if (this.#healthySince !== undefined && now - this.#healthySince >= this.#resetAfterMs)
      this.#attempt = 0;
    this.#healthySince = undefined;
    const ceiling = Math.min(this.#maxMs, this.#initialMs * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    return Math.floor(this.#random() * ceiling);
  }
}
