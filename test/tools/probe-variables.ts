// `npm run gen:literal-args`: asks the real nginx (nginx-light 1.22) which directive arguments
// are literal text, where `$name` is not a variable, and writes
// server/src/core/data/literalArgs.json for the unknown-variable check. The oracle test
// (test/variables.test.ts) runs the same sweep against the analysis.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nginxVersion } from '../util/nginx';
import { MAX_POSITION, pool, positionVerdicts, probes, verdictOf } from '../util/variable-sweep';

async function main() {
  const all = probes();
  const verdicts = await pool(all, 4, verdictOf);
  /** name → its literal argument positions (0-based); `fromOn`: every position from the last one on. */
  const literal: Record<string, number[]> = {};
  const fromOn: string[] = [];
  for (const [name, byPos] of positionVerdicts(all, verdicts)) {
    const positions = [...byPos].filter(([, v]) => v === 'literal').map(([p]) => p).sort((a, b) => a - b);
    if (!positions.length) continue;
    literal[name] = positions;
    // a list probed up to the last position, literal there: the rest of the list is too
    if (byPos.get(MAX_POSITION - 1) === 'literal') fromOn.push(name);
  }
  const file = join(__dirname, '../../../server/src/core/data/literalArgs.json');
  const lines = Object.entries(literal).map(([name, positions]) => `  ${JSON.stringify(name)}: ${JSON.stringify(positions)}`);
  const source = `probed with ${nginxVersion() ?? 'nginx'} (nginx-light): "$x" in each argument position; accepted means literal`;
  writeFileSync(file, `{\n "source": ${JSON.stringify(source)},\n "fromLastOn": ${JSON.stringify(fromOn)},\n "literal": {\n${lines.join(',\n')}\n }\n}\n`);
  const count = (v: string) => verdicts.filter((x) => x === v).length;
  console.log(`${all.length} probes: ${count('accepted')} accepted, ${count('quoted')} quoted, ${count('compiled')} compiled, ${count('unclear')} unclear; ${Object.keys(literal).length} directives with literal arguments -> ${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
