// What the shared server code uses from Node's globals and a Worker lacks. Called first by the
// web entry (web/server.ts), before any handler runs.
export function installShims(): void {
  const g = globalThis as { setImmediate?: unknown };
  if (typeof g.setImmediate !== 'function') {
    // a macrotask, as in Node: the event loop (and incoming messages) get their turn first
    g.setImmediate = (fn: (...args: unknown[]) => void, ...args: unknown[]) => setTimeout(fn, 0, ...args);
  }
}
