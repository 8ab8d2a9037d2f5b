/** The longest pattern a `matches` clause may use. */
export const MAX_PATTERN_LENGTH = 1024;

/**
 * One token of a pattern, in UTF-16 code units: an escape with its body (`\u{...}`, `\p{...}`,
 * `\uXXXX`, `\xXX`, `\cX`), a class, a group opening with its head (`(?:`, `(?=`, `(?<name>`...),
 * a quantifier with its lazy `?`, or any other character.
 */
const TOKEN =
  /\\(?:[upP]\{[^}]*\}|u[^]{4}|x[^]{2}|c[^]|[^])|\[(?:\\[^]|[^\\\]])*\]|\((?:\?(?:[:=!]|<(?:[=!]|[^>]*>)))?|(?:[*+?]|\{\d+(?:,\d*)?\})\??|[^]/g;

/** A group being read. */
interface Group {
  /** The first atom of each branch so far (null: none yet); a class, dot or group is `*`. */
  starts: (string | null)[];
  /** Whether anything inside repeats (`*`, `+`, `{n,}`, `{n,m}` with m > 1). */
  repeats: boolean;
}

/**
 * Two branches of a repeated group that may start the same way make backtracking explode: an
 * empty branch, a `*` start (it may overlap with anything), or two branches starting alike.
 */
const hasAmbiguousBranches = ({ starts }: Group): boolean =>
  starts.length > 1 &&
  (starts.includes(null) || starts.includes('*') || new Set(starts).size < starts.length);

/**
 * Checks a `matches` pattern (DESIGN §2): valid ECMAScript with the `u` flag, within what
 * RE2 accepts (no backreferences, no lookaround), and free of the shapes that backtrack
 * catastrophically (a repeated group that itself repeats, or whose branches overlap).
 * Answers the reason it is refused, or undefined when it is safe.
 */
export function whyRegexIsUnsafe(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `is longer than ${MAX_PATTERN_LENGTH} characters`;
  }
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    return `is not a valid regular expression: ${(error as Error).message}`;
  }

  const enclosing: Group[] = [];
  let group: Group = { starts: [null], repeats: false };
  // What a quantifier here repeats: the group just closed, another atom, or nothing.
  let last: Group | 'atom' | undefined;
  const note = (start: string): void => {
    group.starts[group.starts.length - 1] ??= start;
  };

  for (const [token] of pattern.matchAll(TOKEN)) {
    const first = token[0]!;
    if (first === '\\') {
      const escaped = token[1] ?? '';
      if (/[1-9]/.test(escaped)) return 'uses a backreference, which RE2 does not support';
      if (escaped === 'k') return 'uses a named backreference, which RE2 does not support';
      note(/[dDwWsSbBpP]/.test(escaped) ? '*' : `\\${escaped}`);
      last = 'atom';
    } else if (first === '[') {
      note('*');
      last = 'atom';
    } else if (first === '(') {
      if (token === '(?=' || token === '(?!') return 'uses a lookahead, which RE2 does not support';
      if (token === '(?<=' || token === '(?<!')
        return 'uses a lookbehind, which RE2 does not support';
      note('*');
      enclosing.push(group);
      group = { starts: [null], repeats: false };
      last = undefined;
    } else if (first === ')') {
      const closed = group;
      group = enclosing.pop()!;
      if (closed.repeats) group.repeats = true;
      last = closed;
    } else if (first === '|') {
      group.starts.push(null);
      last = undefined;
    } else if (last !== undefined && (/^[*+?]/.test(token) || token.length > 1)) {
      // A quantifier (with nothing before it to repeat, as in `(?i:`, it is read as an atom).
      // It repeats unless it is `?`, `{0}`, `{1}`, or `{n,m}` with m at most 1.
      const upper = /(\d*)\}/.exec(token)?.[1];
      const repeating =
        first === '*' ||
        first === '+' ||
        (upper !== undefined && (upper === '' || Number(upper) > 1));
      if (repeating && last !== 'atom') {
        if (last.repeats)
          return 'nests a repeated group inside a repetition, which can backtrack catastrophically';
        if (hasAmbiguousBranches(last))
          return 'repeats a group whose alternatives can match the same text, which can backtrack catastrophically';
      }
      if (repeating) group.repeats = true;
      last = undefined;
    } else {
      note(first === '.' ? '*' : first === '^' || first === '$' ? '' : first);
      last = 'atom';
    }
  }
  return undefined;
}
