// What the views need to know of each deploy target kind, read from the target registry (loaded lazily: the
// registry pulls in the firmware templates): its name for people and, for a physical board, what a model must
// fit in and the clock it runs at. The registry's kinds declare these themselves (`title`, `capacity`); a kind
// that does not, or whose memory is unbounded (the host, a Wasm board), has no capacity here.

/** A board's memory and clock as the Results view draws a model against them. */
export interface BoardCapacity {
  /** The board as people call it. */
  readonly name: string;
  readonly flashBytes: number;
  readonly ramBytes: number;
  /** Core clock in Hz; null when the board has no meaningful clock. */
  readonly clockHz: number | null;
}

export interface TargetFacts {
  title: string;
  capacity?: BoardCapacity;
}

interface DeclaredFacts {
  title?: string;
  capacity?: { name?: string; flashBytes?: number | null; ramBytes?: number | null; clockHz?: number | null };
}

const positive = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value > 0;

/** One kind's facts from what it declares; exported for tests. */
export function factsOf(kind: string, declared: DeclaredFacts): TargetFacts {
  const title = declared.title ?? declared.capacity?.name ?? kind;
  const c = declared.capacity;
  if (!c || !positive(c.flashBytes) || !positive(c.ramBytes)) return { title };
  return { title, capacity: { name: c.name ?? title, flashBytes: c.flashBytes, ramBytes: c.ramBytes, clockHz: positive(c.clockHz) ? c.clockHz : null } };
}

let facts: Promise<Record<string, TargetFacts>> | undefined;

export function targetFacts(): Promise<Record<string, TargetFacts>> {
  facts ??= import('../../core/deploy/registry').then(({ targetKinds }) => Object.fromEntries(Object.entries(targetKinds).map(([kind, info]) => [kind, factsOf(kind, info as DeclaredFacts)])));
  return facts;
}

/** The target's name for people; unknown kinds keep their own name. */
export function targetTitle(all: Record<string, TargetFacts>, kind: string): string {
  return all[kind]?.title ?? kind;
}
