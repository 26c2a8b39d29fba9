#!/usr/bin/env node
// Generates server/src/core/data/reference.json from @nginx/reference-lib (dev time only; the
// output is committed): each directive's syntax lines and full description, each variable's
// description, in Markdown, for the hover, completion and signature help. The facts nginx checks
// (contexts, argument counts, defaults) stay in directives.json. Run with `npm run gen:reference`.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { getDirectives, getVariables, Format } from '@nginx/reference-lib';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = join(here, '..', 'server/src/core/data/reference.json');
const normModule = (m) => (m === 'Core functionality' ? 'ngx_core_module' : m);

const directives = {};
for (const d of [...getDirectives(Format.Markdown)].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
  (directives[d.name] ??= []).push({ m: normModule(d.module), s: d.syntax, d: d.description.trim() });
}
const variables = {};
for (const v of [...getVariables(Format.Markdown)].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
  (variables[v.name.replace(/^\$/, '')] ??= []).push({ m: normModule(v.module), d: v.description.trim() });
}
const version = JSON.parse(readPkg()).version;
const text = JSON.stringify({ source: `@nginx/reference-lib ${version}`, directives, variables });
writeFileSync(OUT, text + '\n');
console.log(`wrote ${OUT}: ${Object.keys(directives).length} directives, ${Object.keys(variables).length} variables, ${(text.length / 1024).toFixed(1)} KB`);

function readPkg() {
  const require = createRequire(import.meta.url);
  return require('node:fs').readFileSync(require.resolve('@nginx/reference-lib/package.json'), 'utf8');
}
