// The directive arguments nginx takes as literal text, where `$name` is no variable (header
// names, file paths read at start-up, MIME type lists…). Probed against the real nginx by
// `npm run gen:literal-args` into literalArgs.json; checked by test/variables.test.ts.
import data from './literalArgs.json';

interface LiteralData {
  source: string;
  /** Lists whose every position from the last probed one on is literal. */
  fromLastOn: string[];
  /** Directive → its literal argument positions (0-based). */
  literal: Record<string, number[]>;
}

const raw = data as LiteralData;
const fromLastOn = new Set(raw.fromLastOn);
const tests = new Map<string, (position: number) => boolean>();
for (const [name, positions] of Object.entries(raw.literal)) {
  const last = positions[positions.length - 1];
  const set = new Set(positions);
  const rest = fromLastOn.has(name);
  tests.set(name, (i) => set.has(i) || (rest && i >= last));
}

/** For a directive with literal arguments: whether argument `position` (0-based) is one. */
export function literalArgs(name: string): ((position: number) => boolean) | undefined {
  return tests.get(name);
}
