// Diagnostics computed while the web server is still waiting for files it asked the client for
// are provisional: an include that is not read yet looks missing ("No such file or directory").
// They are held back until the reads are answered; the answers make the files depending on them
// analysed again (published at once, since nothing is awaited any more), and what is still held
// a moment later goes out as it was. A hold never lasts longer than `maxHoldMs`.

export interface HoldOptions<P> {
  send: (p: P) => void;
  /** Reads are outstanding. */
  busy: () => boolean;
  /** After the reads are answered: time for the analysis they start to publish first. */
  settleMs?: number;
  maxHoldMs?: number;
}

export class HeldPublications<P extends { uri: string }> {
  private readonly held = new Map<string, P>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private since: number | undefined;

  constructor(private readonly o: HoldOptions<P>) {}

  publish(p: P): void {
    const now = Date.now();
    if (this.o.busy() && (this.since === undefined || now - this.since < (this.o.maxHoldMs ?? 3000))) {
      this.since ??= now;
      this.held.set(p.uri, p);
      this.schedule(this.o.maxHoldMs ?? 3000);
      return;
    }
    this.held.delete(p.uri); // a newer one supersedes what was held
    this.o.send(p);
    if (!this.held.size) this.since = undefined;
  }

  /** The reads were answered. */
  idle(): void {
    if (this.held.size) this.schedule(this.o.settleMs ?? 400);
  }

  /** Held publications, by URI (for tests). */
  get pending(): string[] {
    return [...this.held.keys()];
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), ms);
  }

  private flush(): void {
    this.timer = undefined;
    const all = [...this.held.values()];
    this.held.clear();
    this.since = undefined;
    for (const p of all) this.o.send(p);
  }
}
