/**
 * Runs `visit` over `items` a slice at a time, yielding to the event loop between slices,
 * so touching every connection (heartbeats, pings) never stalls other work (PERF-NOTES).
 */
export function forEachSliced<T>(
  items: readonly T[],
  visit: (item: T) => void,
  sliceSize = 1000,
): void {
  const run = (start: number): void => {
    const end = Math.min(items.length, start + sliceSize);
    for (let i = start; i < end; i++) visit(items[i]!);
    if (end < items.length) setImmediate(run, end);
  };
  run(0);
}
