// Generators of hostile inputs: each builds a layout in a folder and says what to check.
// Used by test/hostile.test.ts (the CLI as a process) and by `npm run bench` (in-process figures).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';

import { prng as rng } from '../util/prng';
export { rng };

export interface HostileCase {
  name: string;
  /** What the layout holds, for the report. */
  what: string;
  /** Writes the layout into `dir`; returns the path (relative to dir) to give to `check`. */
  build(dir: string, rand: () => number): string;
  /** A pattern one message of the CLI's findings must match: the finding that says what happened. */
  expect: RegExp;
  /** A pattern no line of the CLI's output may match. */
  absent?: RegExp;
  /** The layout depends on the seed: run it with a fresh seed too. */
  seeded?: boolean;
}

const write = (dir: string, rel: string, text: string) => {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
};

/** `n` copies of one character, with a little noise (whitespace) so the shape varies per seed. */
function flood(ch: string, n: number, rand: () => number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(ch);
    if (rand() < 0.01) out.push(rand() < 0.5 ? ' ' : '\n');
  }
  return out.join('');
}

const MAIN_HEAD = 'events {}\nhttp {\n';

/** A server with a WebSocket location and one typo the check reports. */
function server(i: number): string {
  return [
    '    server {',
    `        listen ${10000 + (i % 50000)};`,
    `        server_name s${i}.example.test;`,
    '        location /ws/ {',
    `            proxy_pass http://127.0.0.1:${8000 + (i % 1000)};`,
    '            proxy_http_version 1.1;',
    '            proxy_set_header Upgrade $http_upgrade;',
    '            proxy_set_header Connection "upgrade";',
    '        }',
    `        proxy_bufer_size 4k;`,
    '    }',
  ].join('\n');
}

export const HOSTILE: HostileCase[] = [
  ...[';', '}', '"', '{', "'"].map((ch): HostileCase => ({
    name: `flood-${ {';': 'semicolon', '}': 'rbrace', '"': 'dquote', '{': 'lbrace', "'": 'squote' }[ch]}`,
    what: `250,000 × ${ch}`,
    build: (dir, rand) => { write(dir, 'nginx.conf', flood(ch, 250_000, rand)); return 'nginx.conf'; },
    expect: /^unexpected/,
  })),
  {
    name: 'flood-2mb-semicolon',
    what: '2 MB of ; (2 million syntax errors)',
    build: (dir) => { write(dir, 'nginx.conf', ';'.repeat(2 * 1024 * 1024)); return 'nginx.conf'; },
    expect: /more syntax errors in this file from here on are not listed/,
  },
  {
    name: 'flood-mixed',
    what: '250,000 characters drawn from ; } { " \' and spaces',
    seeded: true,
    build: (dir, rand) => {
      const chars = ';}{"\' \n';
      const out: string[] = [];
      for (let i = 0; i < 250_000; i++) out.push(chars[Math.floor(rand() * chars.length)]);
      write(dir, 'nginx.conf', out.join(''));
      return 'nginx.conf';
    },
    expect: /unexpected|unexpected end of file/,
  },
  {
    name: 'one-line-5mb',
    what: '5 MB config on a single line (servers with typos)',
    build: (dir) => {
      const parts: string[] = ['events {} http {'];
      let size = 0;
      for (let i = 0; size < 5 * 1024 * 1024; i++) {
        const s = server(i).replace(/\n\s*/g, ' ');
        parts.push(s);
        size += s.length + 1;
      }
      parts.push('}');
      write(dir, 'nginx.conf', parts.join(' ') + '\n');
      return 'nginx.conf';
    },
    expect: /unknown directive "proxy_bufer_size"/,
  },
  {
    name: 'servers-8000',
    what: '8,000 servers in one file',
    build: (dir) => {
      const parts = [MAIN_HEAD];
      for (let i = 0; i < 8000; i++) parts.push(server(i));
      parts.push('}\n');
      write(dir, 'nginx.conf', parts.join('\n'));
      return 'nginx.conf';
    },
    expect: /unknown directive "proxy_bufer_size"/,
  },
  {
    name: 'unknown-vars-40000',
    what: '40,000 unknown variables',
    seeded: true,
    build: (dir, rand) => {
      const lines = [MAIN_HEAD, '    server {', '        listen 8080;', '        location / {'];
      const tag = Math.floor(rand() * 1e6);
      for (let i = 0; i < 40_000; i++) lines.push(`            add_header X-${i} $u${tag}_${i};`);
      lines.push('        }', '    }', '}', '');
      write(dir, 'nginx.conf', lines.join('\n'));
      return 'nginx.conf';
    },
    expect: /unknown "u\d+_39999" variable/,
  },
  {
    name: 'include-diamond-22',
    what: 'include diamond of depth 22 (each file includes the next twice)',
    build: (dir) => {
      write(dir, 'nginx.conf', 'events {}\nhttp {\n    include d/f00.conf;\n}\n');
      for (let i = 0; i < 22; i++) {
        const next = `d/f${String(i + 1).padStart(2, '0')}.conf`;
        write(dir, `d/f${String(i).padStart(2, '0')}.conf`, `include ${next};\ninclude ${next};\n`);
      }
      write(dir, 'd/f22.conf', 'server { listen 8080; }\n');
      return 'nginx.conf';
    },
    expect: /include budget|not expanded/,
  },
  {
    name: 'glob-self',
    what: 'glob where each of 30 files includes the glob again',
    build: (dir) => {
      write(dir, 'nginx.conf', 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n');
      for (let i = 0; i < 30; i++) write(dir, `conf.d/s${String(i).padStart(2, '0')}.conf`, `include conf.d/*.conf;\n# ${i}\n`);
      return 'nginx.conf';
    },
    expect: /include cycle|not expanded/,
  },
  {
    name: 'include-dev-zero',
    what: 'include /dev/zero',
    build: (dir) => { write(dir, 'nginx.conf', 'events {}\nhttp {\n    include /dev/zero;\n}\n'); return 'nginx.conf'; },
    expect: /not a regular file/,
  },
  {
    name: 'fifo-config',
    what: 'conf.d/x.conf is a FIFO, included by a glob',
    build: (dir) => {
      write(dir, 'nginx.conf', 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n');
      write(dir, 'conf.d/a.conf', 'server { listen 8080; }\n');
      execFileSync('mkfifo', [path.join(dir, 'conf.d/x.conf')]);
      return 'nginx.conf';
    },
    expect: /x\.conf: .*not a regular file/,
  },
  {
    name: 'fifo-named',
    what: 'a FIFO named on the command line',
    build: (dir) => { execFileSync('mkfifo', [path.join(dir, 'nginx.conf')]); return 'nginx.conf'; },
    expect: /not a regular file/,
  },
  {
    name: 'invalid-glob-range',
    what: 'include [z-a].conf (an invalid range)',
    build: (dir) => {
      write(dir, 'nginx.conf', 'events {}\nhttp {\n    include [z-a].conf;\n    include conf.d/*.conf;\n}\n');
      write(dir, 'conf.d/a.conf', 'server { listen 8080; bogus_directive on; }\n');
      return 'nginx.conf';
    },
    expect: /unknown directive "bogus_directive"/,
  },
  {
    name: 'deep-nest-includes',
    what: '63 files included in each other, each 120 blocks deep at the include',
    build: (dir) => {
      write(dir, 'nginx.conf', 'events {}\nhttp {\n    server {\n        include n/f00.conf;\n    }\n}\n');
      for (let i = 0; i < 63; i++) {
        const inner = i < 62 ? `include n/f${String(i + 1).padStart(2, '0')}.conf;` : 'return 200 "deep";';
        write(dir, `n/f${String(i).padStart(2, '0')}.conf`, `${'location /a { '.repeat(120)}${inner} proxy_bufer_size 4k; ${'} '.repeat(120)}\n`);
      }
      return 'nginx.conf';
    },
    expect: /unknown directive "proxy_bufer_size"/,
  },
  {
    name: 'outside-text',
    what: 'an absolute include of a file outside the workspace with an unknown directive',
    seeded: true,
    build: (dir, rand) => {
      const secret = `token_${Math.floor(rand() * 1e9).toString(36)}`;
      write(dir, 'elsewhere/secret.conf', `${secret} on;\nadd_header X-Key $${secret};\n`);
      write(dir, 'ws/nginx.conf', `events {}\nhttp {\n    include ${path.join(dir, 'elsewhere/secret.conf')};\n}\n`);
      write(dir, 'SECRET', secret);
      return 'ws/nginx.conf';
    },
    expect: /1 problem in ".*secret\.conf", outside the workspace: not shown/,
    absent: /token_/,
  },
];
