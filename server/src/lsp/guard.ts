// A handler that throws must cost one request, never the server: log it and answer with a fallback.
import type { Connection } from 'vscode-languageserver';

export type Guard = <A extends unknown[], R>(name: string, fallback: R, fn: (...args: A) => R | Promise<R>) => (...args: A) => Promise<R>;

export function makeGuard(connection: Connection): Guard {
  return (name, fallback, fn) => async (...args) => {
    try {
      return await fn(...args);
    } catch (e) {
      connection.console.error(`${name} failed: ${(e as Error)?.stack ?? String(e)}`);
      return fallback;
    }
  };
}

/** Last line of defence for errors thrown outside any handler (timers, promises nobody awaits). */
export function logUncaught(connection: Connection): void {
  process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? e}`));
  process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${(e as Error)?.stack ?? String(e)}`));
}
