// Progress on the terminal: a redrawn bar on a TTY, a line every few seconds otherwise (CI logs).

export interface ProgressUpdate {
  stage: string; // 'train', 'import', 'evaluate', …
  done: number;
  total: number;
  detail?: string; // 'loss 0.31 acc 0.91'
}

export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr): { update(p: ProgressUpdate): void; end(): void } {
  const started = new Map<string, number>();
  let lastLine = 0;
  let drawn = false;
  return {
    update(p) {
      const now = Date.now();
      if (!started.has(p.stage)) started.set(p.stage, now);
      const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
      const elapsed = (now - (started.get(p.stage) ?? now)) / 1000;
      const eta = fraction > 0 && fraction < 1 ? ` ETA ${formatSeconds((elapsed / fraction) * (1 - fraction))}` : '';
      const text = `${p.stage} ${p.done}/${p.total}${eta}${p.detail ? ` ${p.detail}` : ''}`;
      if (stream.isTTY) {
        const width = 24;
        const filled = Math.round(fraction * width);
        stream.write(`\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}`);
        drawn = true;
      } else if (now - lastLine > 5000 || p.done === p.total) {
        stream.write(`${text}\n`);
        lastLine = now;
      }
    },
    end() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.ceil(s - m * 60)).padStart(2, '0')}s`;
}
