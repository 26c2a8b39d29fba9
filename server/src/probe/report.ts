// Turns a ProbeReport into text for people (the editor's output channel and the CLI).
import type { ProbeReport } from './probe';
import { RULE_TITLES, ruleDocUrl } from './symptoms';

const OK = '✓';
const BAD = '✗';
const SECRET_HEADERS = /^(authorization|proxy-authorization|cookie):/i;

function indent(text: string, prefix: string): string[] {
  return text
    .replace(/\r\n$/, '')
    .split(/\r?\n/)
    .map((l) => prefix + l);
}

function redact(line: string): string {
  return SECRET_HEADERS.test(line) ? line.replace(/:.*/, ': <hidden>') : line;
}

function ms(n: number): string {
  return n < 10 ? `${n} ms` : `${Math.round(n)} ms`;
}

export function formatReport(r: ProbeReport): string {
  const out: string[] = [];
  out.push(`WebSocket probe of ${r.url}`);
  out.push(`Verdict: ${r.ok ? 'OK' : `FAILED (${r.verdict})`} — ${r.summary}`);

  if (r.target) {
    const t = r.target;
    const host = t.host.includes(':') ? `[${t.host}]` : t.host;
    out.push('');
    out.push(`Target: ${host}:${t.port} over ${t.scheme === 'wss' ? 'TLS (wss://)' : 'plain TCP (ws://)'}, path ${t.path}`);
  }
  if (r.tls) {
    const t = r.tls;
    const cert = [t.subject && `subject ${t.subject}`, t.issuer && `issuer ${t.issuer}`, t.validTo && `valid until ${t.validTo}`]
      .filter(Boolean)
      .join('; ');
    if (t.verification) {
      out.push(
        t.authorized
          ? `TLS: ${t.protocol ?? 'connected'}, certificate verified${t.servername ? ` for ${t.servername}` : ''}${cert ? ` (${cert})` : ''}`
          : `TLS: certificate verification failed: ${t.authorizationError ?? 'unknown error'}${cert ? ` (${cert})` : ''}`,
      );
    } else {
      out.push(
        `TLS: ${t.protocol ? t.protocol + '; ' : ''}certificate verification was OFF (insecure mode)` +
          (t.authorized ? '; the certificate would have been trusted' : `; it would have failed: ${t.authorizationError ?? 'not trusted'}`) +
          (cert ? ` (${cert})` : ''),
      );
    }
  } else if (r.tlsVerificationRelaxed) {
    out.push('TLS: certificate verification was OFF (insecure mode)');
  }

  if (r.request) {
    out.push('', 'Sent:');
    out.push(...indent(r.request, '  > ').map(redact).filter((l) => l !== '  > '));
  }
  if (r.response) {
    out.push('', 'Received:');
    out.push(`  < ${r.response.statusLine}`);
    for (const [n, v] of r.response.headers) out.push(`  < ${n}: ${v}`);
    if (r.response.body) {
      const body = r.response.body.trim().split(/\r?\n/).slice(0, 8);
      out.push('  < ');
      out.push(...body.map((l) => `  < ${l.length > 160 ? l.slice(0, 160) + '…' : l}`));
    }
  }

  const checks: string[] = [];
  for (const c of r.checks) checks.push(`  ${c.ok ? OK : BAD} ${c.message}`);
  if (r.echo) {
    checks.push(
      r.echo.ok
        ? `  ${OK} echo: ${JSON.stringify(r.echo.sent)} came back${r.echo.ms !== undefined ? ` in ${ms(r.echo.ms)}` : ''}`
        : `  ${BAD} echo: ${JSON.stringify(r.echo.sent)} did not come back`,
    );
    if (r.echo.otherMessages.length) {
      const shown = r.echo.otherMessages.slice(0, 3).map((m) => JSON.stringify(m.length > 80 ? m.slice(0, 80) + '…' : m));
      const count = r.echo.otherCount ?? r.echo.otherMessages.length;
      checks.push(`    other messages received: ${shown.join(', ')}${count > 3 ? `, … (${count} in all, ${r.echo.otherBytes ?? 0} bytes)` : ''}`);
    }
  }
  if (r.idle) {
    const secs = (n: number) => `${Math.round(n / 100) / 10} s`;
    checks.push(
      r.idle.survived
        ? `  ${OK} still open after ${secs(r.idle.ms)} without traffic from the client${r.idle.serverMessages ? ` (the server sent ${r.idle.serverMessages} message${r.idle.serverMessages === 1 ? '' : 's'} meanwhile, which counts as traffic)` : ''}`
        : `  ${BAD} closed after ${secs(r.idle.closedAfterMs ?? 0)} idle (of ${secs(r.idle.ms)})`,
    );
  }
  if (r.ping) checks.push(r.ping.ok ? `  ${OK} pong received${r.ping.ms !== undefined ? ` in ${ms(r.ping.ms)}` : ''}` : `  ${BAD} no pong`);
  if (r.close) {
    const good = r.close.code === 1000 || r.close.code === 1001;
    const by =
      r.close.initiatedBy === 'client'
        ? 'after the probe closed with 1000'
        : r.close.initiatedBy === 'server'
          ? 'closed by the server'
          : 'connection ended without a close frame';
    checks.push(
      `  ${good ? OK : BAD} close: ${r.close.code} ${r.close.name}${r.close.reason ? ` ("${r.close.reason}")` : ''} — ${by}`,
    );
    checks.push(`    ${r.close.meaning}`);
  }
  if (r.dropped) checks.push(`    ${r.dropped.messages} more messages (${r.dropped.bytes} bytes) arrived while no step waited for them: counted, not kept`);
  if (checks.length) out.push('', 'Checks:', ...checks);

  if (r.timings.length) {
    const steps = r.timings.map((t) => `${t.step} ${ms(t.ms)}${t.ok ? '' : ' (failed)'}`).join(', ');
    out.push('', `Timings: ${steps}; total ${ms(r.totalMs)}`);
  }

  const d = r.diagnosis;
  if (d) {
    out.push('');
    out.push(d.number ? `Symptom ${d.number} of 3: ${d.title}` : `Problem: ${d.title}`);
    out.push(`  A browser console shows: ${d.browserMessage}`);
    if (d.causes.length) {
      out.push('Likely causes:');
      for (const c of d.causes) out.push(`  - ${c}`);
    }
    if (d.rules.length) {
      out.push('nginx rules that explain the proxy side:');
      for (const id of d.rules) {
        out.push(`  - ${id}: ${RULE_TITLES[id]}`);
        out.push(`    ${ruleDocUrl(id)}`);
      }
    }
    if (d.advice.length) {
      out.push('What to try:');
      for (const a of d.advice) out.push(`  - ${a}`);
    }
  } else if (r.error && !r.ok) {
    out.push('', `Error (${r.error.stage}): ${r.error.message}`);
  }
  return sanitize(out.join('\n')) + '\n';
}

/**
 * Characters a terminal or an output channel would act on instead of showing: C0 and C1
 * controls (ESC starts the sequences that recolour, move the cursor or retitle a terminal;
 * CSI is one character in C1), DEL, and the bidirectional overrides that reorder a line.
 * Line feeds and tabs stay. The report holds text the server sent (status line, headers,
 * body, messages, close reason, certificate names).
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Text with every unsafe character written as a visible escape (ESC becomes `\x1b`). */
export function sanitize(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const n = c.charCodeAt(0);
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/** The report as JSON, safe to print: JSON escapes C0 controls itself, not C1 ones or overrides. */
export function reportJson(r: ProbeReport): string {
  return JSON.stringify(r, null, 2).replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Process exit code for a report: 0 success, 2 unusable URL/options, 1 any other failure. */
export function exitCodeFor(r: ProbeReport): number {
  if (r.ok) return 0;
  return r.verdict === 'invalid-url' ? 2 : 1;
}
