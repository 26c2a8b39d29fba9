// A small expander for VS Code snippet bodies, used by tests to turn a snippet into the text
// the editor would insert when the user accepts every default.
//
// Grammar (the subset VS Code documents):
//   tabstop     $1  ${1}
//   placeholder ${1:default}          (default may contain nested tabstops/placeholders)
//   choice      ${1|one,two|}         (first choice is the default)
//   variable    $NAME  ${NAME}  ${NAME:default}
//   transform   ${1/regex/format/flags}  ${NAME/regex/format/flags}
//   escapes     \$ \} \\ in text, \, \| \\ inside choices; any other backslash is literal.
//
// Expansion: every occurrence of a tabstop index gets the text of the first placeholder or
// choice with that index (so "$2" mirrors "${2:example.com}"), $0 becomes empty. Known
// VS Code variables resolve to fixed sample values. An unknown variable is inserted as its
// own name, which is what VS Code does, and is reported in `unknownVariables`: for nginx
// this is the tell-tale sign of a forgotten backslash before `$host`.

export type SnippetNode =
  | { kind: 'text'; value: string }
  | { kind: 'tabstop'; index: number; transform?: Transform }
  | { kind: 'placeholder'; index: number; children: SnippetNode[] }
  | { kind: 'choice'; index: number; options: string[] }
  | { kind: 'variable'; name: string; children?: SnippetNode[]; transform?: Transform };

export interface Transform {
  regex: string;
  format: string;
  flags: string;
}

export interface Expansion {
  text: string;
  /** Tab stop indices in order of first appearance ($0 included when present). */
  tabstops: number[];
  /** Variables VS Code does not know, e.g. an nginx `$host` whose `$` was not escaped. */
  unknownVariables: string[];
}

const KNOWN_VARIABLES: Record<string, string> = {
  TM_SELECTED_TEXT: '',
  TM_CURRENT_LINE: '',
  TM_CURRENT_WORD: '',
  TM_LINE_INDEX: '0',
  TM_LINE_NUMBER: '1',
  TM_FILENAME: 'nginx.conf',
  TM_FILENAME_BASE: 'nginx',
  TM_DIRECTORY: '/etc/nginx',
  TM_FILEPATH: '/etc/nginx/nginx.conf',
  RELATIVE_FILEPATH: 'nginx.conf',
  CLIPBOARD: '',
  WORKSPACE_NAME: 'workspace',
  WORKSPACE_FOLDER: '/workspace',
  CURSOR_INDEX: '0',
  CURSOR_NUMBER: '1',
  CURRENT_YEAR: '2024',
  CURRENT_YEAR_SHORT: '24',
  CURRENT_MONTH: '01',
  CURRENT_MONTH_NAME: 'January',
  CURRENT_MONTH_NAME_SHORT: 'Jan',
  CURRENT_DATE: '01',
  CURRENT_DAY_NAME: 'Monday',
  CURRENT_DAY_NAME_SHORT: 'Mon',
  CURRENT_HOUR: '00',
  CURRENT_MINUTE: '00',
  CURRENT_SECOND: '00',
  CURRENT_SECONDS_UNIX: '0',
  CURRENT_TIMEZONE_OFFSET: '+00:00',
  RANDOM: '000000',
  RANDOM_HEX: '000000',
  UUID: '00000000-0000-0000-0000-000000000000',
  BLOCK_COMMENT_START: '',
  BLOCK_COMMENT_END: '',
  LINE_COMMENT: '#',
};

/** Joins a snippet body (string or array of lines) the way VS Code does. */
export function bodyText(body: string | string[]): string {
  return Array.isArray(body) ? body.join('\n') : body;
}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  /** Parses until end of input, or (when nested) until an unescaped `}`. */
  parse(nested: boolean): SnippetNode[] {
    const out: SnippetNode[] = [];
    let text = '';
    const flush = (): void => {
      if (text) out.push({ kind: 'text', value: text });
      text = '';
    };
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '\\') {
        const next = this.src[this.pos + 1];
        if (next === '$' || next === '}' || next === '\\') {
          text += next;
          this.pos += 2;
        } else {
          text += c;
          this.pos += 1;
        }
        continue;
      }
      if (nested && c === '}') break;
      if (c === '$') {
        const node = this.parseDollar();
        if (node) {
          flush();
          out.push(node);
          continue;
        }
        text += c;
        this.pos += 1;
        continue;
      }
      text += c;
      this.pos += 1;
    }
    flush();
    return out;
  }

  /** At a `$`: returns a node and advances, or returns undefined and leaves pos untouched. */
  private parseDollar(): SnippetNode | undefined {
    const start = this.pos;
    const rest = this.src.slice(this.pos + 1);
    let m = /^\d+/.exec(rest);
    if (m) {
      this.pos += 1 + m[0].length;
      return { kind: 'tabstop', index: Number(m[0]) };
    }
    m = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(rest);
    if (m) {
      this.pos += 1 + m[0].length;
      return { kind: 'variable', name: m[0] };
    }
    if (rest[0] !== '{') return undefined;
    this.pos += 2;
    const idx = /^\d+/.exec(this.src.slice(this.pos));
    if (idx) {
      const index = Number(idx[0]);
      this.pos += idx[0].length;
      const c = this.src[this.pos];
      if (c === '}') {
        this.pos += 1;
        return { kind: 'tabstop', index };
      }
      if (c === ':') {
        this.pos += 1;
        const children = this.parse(true);
        if (this.src[this.pos] === '}') {
          this.pos += 1;
          return { kind: 'placeholder', index, children };
        }
      } else if (c === '|') {
        this.pos += 1;
        const options = this.parseChoiceOptions();
        if (options) return { kind: 'choice', index, options };
      } else if (c === '/') {
        const transform = this.parseTransform();
        if (transform) return { kind: 'tabstop', index, transform };
      }
      this.pos = start;
      return undefined;
    }
    const name = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(this.src.slice(this.pos));
    if (name) {
      this.pos += name[0].length;
      const c = this.src[this.pos];
      if (c === '}') {
        this.pos += 1;
        return { kind: 'variable', name: name[0] };
      }
      if (c === ':') {
        this.pos += 1;
        const children = this.parse(true);
        if (this.src[this.pos] === '}') {
          this.pos += 1;
          return { kind: 'variable', name: name[0], children };
        }
      } else if (c === '/') {
        const transform = this.parseTransform();
        if (transform) return { kind: 'variable', name: name[0], transform };
      }
    }
    this.pos = start;
    return undefined;
  }

  /** After `${1|`: reads `a,b|}`. */
  private parseChoiceOptions(): string[] | undefined {
    const options: string[] = [];
    let cur = '';
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '\\' && /[,|\\]/.test(this.src[this.pos + 1] ?? '')) {
        cur += this.src[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (c === ',') {
        options.push(cur);
        cur = '';
        this.pos += 1;
        continue;
      }
      if (c === '|' && this.src[this.pos + 1] === '}') {
        options.push(cur);
        this.pos += 2;
        return options;
      }
      cur += c;
      this.pos += 1;
    }
    return undefined;
  }

  /** At the `/` of `${1/regex/format/flags}`. */
  private parseTransform(): Transform | undefined {
    const parts: string[] = [];
    let cur = '';
    this.pos += 1;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '\\' && parts.length < 2) {
        // keep the escape for the regex; in the format only \/ and \\ matter
        const next = this.src[this.pos + 1] ?? '';
        cur += parts.length === 0 && next !== '/' ? c + next : next;
        this.pos += 2;
        continue;
      }
      if (parts.length === 1 && c === '$' && this.src[this.pos + 1] === '{') {
        // a format item such as ${1:/upcase} may itself contain "/"
        const close = this.src.indexOf('}', this.pos);
        if (close < 0) return undefined;
        cur += this.src.slice(this.pos, close + 1);
        this.pos = close + 1;
        continue;
      }
      if (c === '/' && parts.length < 2) {
        parts.push(cur);
        cur = '';
        this.pos += 1;
        continue;
      }
      if (c === '}' && parts.length === 2) {
        this.pos += 1;
        return { regex: parts[0], format: parts[1], flags: cur };
      }
      cur += c;
      this.pos += 1;
    }
    return undefined;
  }
}

export function parseSnippet(body: string | string[]): SnippetNode[] {
  return new Parser(bodyText(body)).parse(false);
}

function applyTransform(value: string, t: Transform): string {
  const re = new RegExp(t.regex, t.flags.replace(/[^gimsuy]/g, ''));
  return value.replace(re, (...args: unknown[]) => {
    // args: match, group 1..n, offset, input[, named groups]
    const last = args[args.length - 1];
    const end = typeof last === 'object' && last !== null ? args.length - 3 : args.length - 2;
    const groups = args.slice(0, end);
    const group = (n: number): string => (typeof groups[n] === 'string' ? (groups[n] as string) : '');
    return t.format.replace(
      /\$(\d+)|\$\{(\d+)(?::(\/upcase|\/downcase|\/capitalize|\+[^}]*|-[^}]*|\?[^:}]*:[^}]*|[^}]*))?\}/g,
      (_m, a: string | undefined, b: string | undefined, mod: string | undefined) => {
        const v = group(Number(a ?? b));
        if (mod === undefined) return v;
        if (mod === '/upcase') return v.toUpperCase();
        if (mod === '/downcase') return v.toLowerCase();
        if (mod === '/capitalize') return v.charAt(0).toUpperCase() + v.slice(1);
        if (mod.startsWith('+')) return v ? mod.slice(1) : '';
        if (mod.startsWith('?')) {
          const [ifText, elseText] = mod.slice(1).split(':');
          return v ? ifText : elseText;
        }
        return v || (mod.startsWith('-') ? mod.slice(1) : mod);
      },
    );
  });
}

/** Expands a snippet body with every default accepted. */
export function expandSnippet(body: string | string[]): Expansion {
  const nodes = parseSnippet(body);
  const defaults = new Map<number, SnippetNode[] | string>();
  const order: number[] = [];
  const unknown: string[] = [];

  const collect = (list: SnippetNode[]): void => {
    for (const n of list) {
      if (n.kind === 'tabstop' || n.kind === 'placeholder' || n.kind === 'choice') {
        if (!order.includes(n.index)) order.push(n.index);
      }
      if (n.kind === 'placeholder') {
        if (!defaults.has(n.index)) defaults.set(n.index, n.children);
        collect(n.children);
      } else if (n.kind === 'choice') {
        if (!defaults.has(n.index)) defaults.set(n.index, n.options[0] ?? '');
      } else if (n.kind === 'variable' && n.children) {
        collect(n.children);
      }
    }
  };
  collect(nodes);

  const stack: number[] = [];
  const valueOf = (index: number): string => {
    if (index === 0) return '';
    const d = defaults.get(index);
    if (d === undefined) return '';
    if (typeof d === 'string') return d;
    if (stack.includes(index)) throw new Error(`snippet placeholder $${index} contains itself`);
    stack.push(index);
    try {
      return render(d);
    } finally {
      stack.pop();
    }
  };
  const render = (list: SnippetNode[]): string => {
    let s = '';
    for (const n of list) {
      switch (n.kind) {
        case 'text':
          s += n.value;
          break;
        case 'tabstop':
          s += n.transform ? applyTransform(valueOf(n.index), n.transform) : valueOf(n.index);
          break;
        case 'placeholder':
        case 'choice':
          s += valueOf(n.index);
          break;
        case 'variable': {
          let v: string;
          if (Object.prototype.hasOwnProperty.call(KNOWN_VARIABLES, n.name)) {
            v = KNOWN_VARIABLES[n.name];
            if (!v && n.children) v = render(n.children);
          } else if (n.children) {
            v = render(n.children);
          } else {
            if (!unknown.includes(n.name)) unknown.push(n.name);
            v = n.name;
          }
          s += n.transform ? applyTransform(v, n.transform) : v;
          break;
        }
      }
    }
    return s;
  };

  return { text: render(nodes), tabstops: order, unknownVariables: unknown };
}
