import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

/** Resident set size of process `pid` in bytes (Linux /proc), or NaN when unreadable. */
export function rssBytes(pid: number): number {
  return statusField(pid, 'VmRSS');
}

/** Peak resident set size (high-water mark) of process `pid` in bytes, or NaN. */
export function peakRssBytes(pid: number): number {
  return statusField(pid, 'VmHWM');
}

function statusField(pid: number, field: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match === null ? NaN : Number(match[1]) * 1024;
  } catch {
    return NaN;
  }
}

/** User + system CPU time of process `pid` in ms (10 ms resolution), or NaN. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** Samples RSS of `pid` every `everyMs` until stopped; answers the peak seen. */
export function sampleRss(pid: () => number, everyMs = 50): { stop(): number; peak(): number } {
  let peak = 0;
  const take = (): void => {
    const rss = rssBytes(pid());
    if (rss > peak) peak = rss;
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    peak: () => peak,
    stop: () => {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}
