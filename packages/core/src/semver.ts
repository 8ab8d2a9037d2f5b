/** A parsed SemVer 2.0.0 version; numeric parts are kept as digit strings (no precision limit). */
export interface SemVer {
  major: string;
  minor: string;
  patch: string;
  prerelease: string[];
}

const NUMERIC = /^(?:0|[1-9]\d*)$/;
// Prerelease identifiers: a number without leading zeros, or alphanumerics and hyphens with a
// letter or hyphen among them. Build metadata is matched and ignored.
const VERSION =
  /^(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:\.(0|[1-9]\d*))?(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/**
 * Parses a SemVer 2.0.0 version where minor and patch may be omitted (`2` = `2.0.0`,
 * `2-rc` = `2.0.0-rc`). No `v` prefix, no leading zeros, no fourth component; build
 * metadata is accepted and ignored. Returns undefined when `text` is not a version.
 */
export function parseSemVer(text: string): SemVer | undefined {
  const match = text.length > 256 ? null : VERSION.exec(text);
  if (match === null) return undefined;
  const prerelease = match[4]?.split('.') ?? [];
  return { major: match[1]!, minor: match[2] ?? '0', patch: match[3] ?? '0', prerelease };
}

function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareIdentifiers(a: string, b: string): number {
  const aNumeric = NUMERIC.test(a);
  const bNumeric = NUMERIC.test(b);
  if (aNumeric && bNumeric) return compareDigits(a, b);
  if (aNumeric) return -1;
  if (bNumeric) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SemVer 2.0.0 precedence: negative, zero or positive. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  const core =
    compareDigits(a.major, b.major) ||
    compareDigits(a.minor, b.minor) ||
    compareDigits(a.patch, b.patch);
  if (core !== 0) return core;
  const ap = a.prerelease;
  const bp = b.prerelease;
  if (ap.length === 0 || bp.length === 0) return bp.length - ap.length;
  const shared = Math.min(ap.length, bp.length);
  for (let i = 0; i < shared; i++) {
    const order = compareIdentifiers(ap[i]!, bp[i]!);
    if (order !== 0) return order;
  }
  return ap.length - bp.length;
}
