// Deterministic generators for benchmark inputs: a large realistic config and an include tree.

/** A config of roughly `bytes` size: http with many servers, proxies, WebSocket locations, maps, comments. */
export function bigConfig(bytes: number): string {
  const out: string[] = [];
  out.push('# generated benchmark config', 'worker_processes auto;', 'events { worker_connections 1024; }', 'http {');
  out.push('    map $http_upgrade $connection_upgrade {', '        default upgrade;', "        '' close;", '    }');
  out.push('    log_format main \'$remote_addr - $remote_user [$time_local] "$request" \'', '                    \'$status $body_bytes_sent "$http_referer"\';');
  let size = out.join('\n').length;
  let i = 0;
  while (size < bytes) {
    const block = [
      `    upstream app${i} {`,
      `        server 127.0.0.1:${8000 + (i % 1000)};`,
      `        keepalive 16;`,
      `    }`,
      `    # site ${i}: app with a websocket endpoint`,
      `    server {`,
      `        listen ${10000 + (i % 50000)};`,
      `        server_name site${i}.example.test www.site${i}.example.test;`,
      `        root /srv/site${i}/public;`,
      `        client_max_body_size 10m;`,
      `        location / {`,
      `            try_files $uri $uri/ @app;`,
      `        }`,
      `        location @app {`,
      `            proxy_pass http://app${i};`,
      `            proxy_http_version 1.1;`,
      `            proxy_set_header Host $host;`,
      `            proxy_set_header X-Real-IP $remote_addr;`,
      `            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`,
      `            proxy_set_header Connection "";`,
      `        }`,
      `        location /ws/ {`,
      `            proxy_pass http://app${i};`,
      `            proxy_http_version 1.1;`,
      `            proxy_set_header Upgrade $http_upgrade;`,
      `            proxy_set_header Connection $connection_upgrade;`,
      `            proxy_set_header Host $host;`,
      `            proxy_read_timeout 600s;`,
      `        }`,
      `        location ~* \\.(png|jpg|css|js)$ {`,
      `            expires 30d;`,
      `            add_header Cache-Control "public";`,
      `        }`,
      `    }`,
    ].join('\n');
    out.push(block);
    size += block.length + 1;
    i++;
  }
  out.push('}', '');
  return out.join('\n');
}

/** A main nginx.conf including `n` conf.d files, each one server with a WebSocket location. */
export function includeTree(n: number): Map<string, string> {
  const files = new Map<string, string>();
  files.set('nginx.conf', ['events {}', 'http {', '    map $http_upgrade $connection_upgrade { default upgrade; \'\' close; }', '    include conf.d/*.conf;', '}', ''].join('\n'));
  for (let i = 0; i < n; i++) {
    files.set(`conf.d/site${String(i).padStart(4, '0')}.conf`, [
      'server {',
      `    listen ${20000 + i};`,
      `    server_name s${i}.example.test;`,
      '    location / { proxy_pass http://127.0.0.1:8080; }',
      '    location /ws/ {',
      '        proxy_pass http://127.0.0.1:8080;',
      '        proxy_http_version 1.1;',
      '        proxy_set_header Upgrade $http_upgrade;',
      '        proxy_set_header Connection $connection_upgrade;',
      '        proxy_read_timeout 600s;',
      '    }',
      '}',
      '',
    ].join('\n'));
  }
  return files;
}

/** The line each injected finding is: a misspelt directive nginx reports as unknown. */
export const TYPO_LINE = '        proxy_bufer_size 4k;';

/**
 * bigConfig of `bytes` size (the same size whatever `typos`) with `typos` misspelt
 * directives spread over its servers, one `unknown directive` finding each.
 */
export function findingsConfig(bytes: number, typos: number): string {
  const lines = bigConfig(bytes - typos * (TYPO_LINE.length + 1)).split('\n');
  const roots: number[] = [];
  lines.forEach((l, i) => { if (/^ {8}root \/srv\/site\d+\/public;$/.test(l)) roots.push(i); });
  const per = new Map<number, number>();
  for (let k = 0; k < typos; k++) per.set(roots[k % roots.length], (per.get(roots[k % roots.length]) ?? 0) + 1);
  const out: string[] = [];
  lines.forEach((l, i) => {
    out.push(l);
    for (let k = per.get(i) ?? 0; k > 0; k--) out.push(TYPO_LINE);
  });
  return out.join('\n');
}
