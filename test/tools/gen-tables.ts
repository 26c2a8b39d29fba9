// `npm run gen:tables`: rewrites the generated parts of package.json (the settings schema and
// restrictedConfigurations), docs/rules/README.md and README.md from the code registry and the
// options table. test/generated.test.ts fails while any of them is stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED, REPO, readRepo } from './tables';

for (const { file, render } of GENERATED) {
  const current = readRepo(file);
  const next = render(current);
  if (next === current) { console.log(`${file}: up to date`); continue; }
  writeFileSync(join(REPO, file), next);
  console.log(`${file}: regenerated`);
}
