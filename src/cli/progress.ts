// A progress line on stderr for long reads on a terminal: rewritten in place, at most 4 times a second.

const INTERVAL_MS = 250;

export class Progress {
  private last = 0;
  private shown = false;

  constructor(private readonly out: NodeJS.WriteStream) {}

  update(file: string, done: number, total: number | null, messages: number): void {
    const now = Date.now();
    if (now - this.last < INTERVAL_MS) return;
    this.last = now;
    const mb = (done / 1e6).toFixed(1);
    const pct = total !== null && total > 0 ? ` ${Math.min(100, Math.floor((done * 100) / total))}% of ${(total / 1e6).toFixed(1)} MB` : '';
    const line = `bgpcap: ${file}: ${mb} MB${pct}, ${messages.toLocaleString('en-US')} messages`;
    const width = this.out.columns ?? 100;
    this.out.write(`\r${line.slice(0, width - 1)}\x1b[K`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.out.write('\r\x1b[K');
    this.shown = false;
  }
}
