// How fast a stream delivers readings, measured on the host from arrival times. USB delivers lines in bursts
// (several per packet, same arrival time), so the rate is taken over a sliding span of a couple of seconds
// rather than between two readings. Edge Impulse's forwarder counts lines in one second; a longer span gives
// a steadier figure at low rates.

export const RATE_SPAN_MS = 2000;
/** A window whose measured rate differs from its dataset's by more than this share is refused. */
export const RATE_TOLERANCE = 0.15;

export class RateMeter {
  private times: number[] = [];

  constructor(private readonly spanMs = RATE_SPAN_MS) {}

  add(time: number, count = 1): void {
    for (let i = 0; i < count; i++) this.times.push(time);
    const oldest = time - this.spanMs;
    let drop = 0;
    while (drop < this.times.length - 2 && this.times[drop] < oldest) drop++;
    if (drop) this.times.splice(0, drop);
  }

  /** Readings per second over the span, or null until at least half a span of readings has arrived. */
  rate(now?: number): number | null {
    const n = this.times.length;
    if (n < 3) return null;
    const first = this.times[0];
    const last = this.times[n - 1];
    if (now !== undefined && now - last > this.spanMs) return 0;
    const span = last - first;
    if (span < this.spanMs / 4) return null;
    return ((n - 1) * 1000) / span;
  }

  reset(): void {
    this.times = [];
  }
}

/** "100 /s", "12.5 /s", "0.8 /s": rates as the app shows them. */
export function describeRate(hz: number): string {
  return `${hz >= 20 ? Math.round(hz) : hz >= 2 ? hz.toFixed(1).replace(/\.0$/, '') : hz.toFixed(2)} /s`;
}

/** Why a measured rate does not fit a dataset recorded at `expected`, or undefined when it does. */
export function rateMismatch(measured: number, expected: number, tolerance = RATE_TOLERANCE): string | undefined {
  if (Math.abs(measured / expected - 1) <= tolerance) return undefined;
  return `${describeRate(measured)} instead of the dataset's ${describeRate(expected)}`;
}
