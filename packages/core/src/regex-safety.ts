/** The longest pattern a `matches` clause may use. */
export const MAX_PATTERN_LENGTH = 1024;

interface GroupFrame {
  /** First atom of each finished branch: a literal character, or `*` for anything else. */
  branchStarts: (string | null)[];
  currentStart: string | null;
  currentEmpty: boolean;
  /** Whether anything inside repeats (`*`, `+`, `{n,}`, `{n,m}` with m > 1). */
  repeats: boolean;
}

const newFrame = (): GroupFrame => ({
  branchStarts: [],
  currentStart: null,
  currentEmpty: true,
  repeats: false,
});

/** Two branches of a repeated group that may start the same way make backtracking explode. */
function hasAmbiguousBranches(frame: GroupFrame): boolean {
  const starts = [...frame.branchStarts, frame.currentEmpty ? null : frame.currentStart];
  if (starts.length < 2) return false;
  if (starts.some((start) => start === null)) return true; // an empty branch
  const seen = new Set<string>();
  for (const start of starts) {
    // A class, a dot or a group may overlap with anything: be conservative.
    if (start === '*' && seen.size > 0) return true;
    if (seen.has(start!) || seen.has('*')) return true;
    seen.add(start!);
  }
  return false;
}

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

  const stack: GroupFrame[] = [newFrame()];
  let lastAtom: { kind: 'char' | 'group'; frame?: GroupFrame } | null = null;
  const top = (): GroupFrame => stack[stack.length - 1]!;
  const noteAtom = (start: string): void => {
    const frame = top();
    if (frame.currentEmpty) frame.currentStart = start;
    frame.currentEmpty = false;
  };

  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next)) return 'uses a backreference, which RE2 does not support';
      if (next === 'k') return 'uses a named backreference, which RE2 does not support';
      // Skip the escape's body: \u{...}, \p{...}, \P{...}, \uXXXX, \xXX, \cX, or one character.
      if ((next === 'u' || next === 'p' || next === 'P') && pattern[i + 2] === '{') {
        i = pattern.indexOf('}', i + 2);
      } else if (next === 'u') {
        i += 5;
      } else if (next === 'x') {
        i += 3;
      } else if (next === 'c') {
        i += 2;
      } else {
        i += 1;
      }
      const literal = /[dDwWsSbBpP]/.test(next) ? '*' : `\\${next}`;
      noteAtom(literal);
      lastAtom = { kind: 'char' };
      continue;
    }
    if (ch === '[') {
      // Skip the class, honouring escapes inside it.
      let j = i + 1;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      i = j;
      noteAtom('*');
      lastAtom = { kind: 'char' };
      continue;
    }
    if (ch === '(') {
      if (pattern.startsWith('(?=', i) || pattern.startsWith('(?!', i)) {
        return 'uses a lookahead, which RE2 does not support';
      }
      if (pattern.startsWith('(?<=', i) || pattern.startsWith('(?<!', i)) {
        return 'uses a lookbehind, which RE2 does not support';
      }
      if (pattern.startsWith('(?:', i)) i += 2;
      else if (pattern.startsWith('(?<', i)) i = pattern.indexOf('>', i);
      noteAtom('*');
      stack.push(newFrame());
      lastAtom = null;
      continue;
    }
    if (ch === ')') {
      const frame = stack.pop()!;
      const parent = top();
      if (frame.repeats) parent.repeats = true;
      lastAtom = { kind: 'group', frame };
      continue;
    }
    if (ch === '|') {
      const frame = top();
      frame.branchStarts.push(frame.currentEmpty ? null : frame.currentStart);
      frame.currentStart = null;
      frame.currentEmpty = true;
      lastAtom = null;
      continue;
    }
    const quantifier = /^(?:[*+?]|\{(\d+)(,(\d*))?\})/.exec(pattern.slice(i));
    if (quantifier !== null && lastAtom !== null) {
      const text = quantifier[0];
      const upper = quantifier[2] === undefined ? quantifier[1] : quantifier[3];
      const repeating =
        text === '*' ||
        text === '+' ||
        (text.startsWith('{') && (upper === '' || Number(upper) > 1));
      if (repeating && lastAtom.kind === 'group' && lastAtom.frame !== undefined) {
        if (lastAtom.frame.repeats) {
          return 'nests a repeated group inside a repetition, which can backtrack catastrophically';
        }
        if (hasAmbiguousBranches(lastAtom.frame)) {
          return 'repeats a group whose alternatives can match the same text, which can backtrack catastrophically';
        }
      }
      if (repeating) top().repeats = true;
      i += text.length - 1;
      if (pattern[i + 1] === '?') i++; // lazy marker
      lastAtom = null;
      continue;
    }
    noteAtom(ch === '.' ? '*' : ch === '^' || ch === '$' ? '' : ch);
    lastAtom = { kind: 'char' };
  }
  return undefined;
}
