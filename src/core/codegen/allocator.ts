// Static activation arena: liveness-based buffer packing. Every layer output that is neither the caller's
// input nor the caller's output gets an offset in one arena; two buffers may share bytes only when their
// lifetimes (from the step that writes one to the last step that reads it) are disjoint. Offsets are
// chosen greedily (largest buffer first, or in step order where that is smaller; lowest offset that fits),
// then `checkPacking` re-proves the result
// independently so a bug in the packer cannot produce overlapping live buffers.

export interface BufferRequest {
  name: string;
  /** Size in elements of the model number type. */
  size: number;
  /** Step that writes the buffer. */
  first: number;
  /** Last step that reads it (≥ first). */
  last: number;
}

export interface Placement extends BufferRequest { offset: number }

export interface ArenaPlan {
  placements: Placement[];
  /** Arena size in elements. */
  size: number;
  /** What separate buffers would need (sum of all sizes), for the report. */
  unpackedSize: number;
  /** No packing can use less: the most elements live at one step (`liveLowerBound`). */
  lowerBound: number;
}

/** The largest sum of sizes of buffers live at the same step: a lower bound of every valid packing. */
export function liveLowerBound(requests: BufferRequest[]): number {
  let bound = 0;
  const steps = new Set(requests.flatMap((r) => [r.first, r.last]));
  // The live set only grows at a buffer's first step, so those steps are enough to find the maximum.
  for (const step of steps) bound = Math.max(bound, requests.filter((r) => r.first <= step && step <= r.last).reduce((sum, r) => sum + r.size, 0));
  return bound;
}

function overlapsInTime(a: BufferRequest, b: BufferRequest): boolean {
  return a.first <= b.last && b.first <= a.last;
}

function overlapsInSpace(a: Placement, b: Placement): boolean {
  return a.offset < b.offset + b.size && b.offset < a.offset + a.size;
}

/** Placement of the buffers in the given order, each in the lowest gap it fits: at the gap's start, or with
 * `top` at its end (a small buffer then leaves the gap's start to a large one that comes later). */
function placeInOrder(order: BufferRequest[], align: number, top = false): Placement[] {
  const placed: Placement[] = [];
  for (const request of order) {
    const conflicts = placed.filter((p) => overlapsInTime(p, request)).sort((a, b) => a.offset - b.offset);
    let offset = 0;
    let gapEnd: number | undefined;
    for (const other of conflicts) {
      if (offset + request.size <= other.offset) {
        gapEnd = other.offset;
        break;
      }
      const end = other.offset + other.size;
      if (end > offset) offset = Math.ceil(end / align) * align;
    }
    if (top && gapEnd !== undefined) offset = Math.max(offset, Math.floor((gapEnd - request.size) / align) * align);
    placed.push({ ...request, offset });
  }
  return placed;
}

const extent = (placed: Placement[]) => placed.reduce((max, p) => Math.max(max, p.offset + p.size), 0);

/**
 * `align` is in elements (offsets are multiples of it). Largest buffer first; when that leaves the arena
 * above the lower bound, the buffers in the order they are written and each gap filled from its end are
 * tried too (a chain of layers whose small buffer sits between two large ones reaches the bound that way),
 * and the smallest arena is kept.
 */
export function packBuffers(requests: BufferRequest[], align = 1): ArenaPlan {
  const bySize = [...requests].sort((a, b) => b.size - a.size || a.first - b.first || a.name.localeCompare(b.name));
  let placed = placeInOrder(bySize, align);
  const lowerBound = liveLowerBound(requests);
  if (extent(placed) > lowerBound) {
    const byStep = [...requests].sort((a, b) => a.first - b.first || b.size - a.size || a.name.localeCompare(b.name));
    for (const other of [placeInOrder(byStep, align), placeInOrder(bySize, align, true), placeInOrder(byStep, align, true)]) {
      if (extent(other) < extent(placed)) placed = other;
    }
  }
  const byStep = requests.map((r) => placed.find((p) => p.name === r.name)!);
  const plan: ArenaPlan = {
    placements: byStep,
    size: extent(placed),
    unpackedSize: requests.reduce((sum, r) => sum + r.size, 0),
    lowerBound,
  };
  checkPacking(plan, align);
  return plan;
}

/** Throws if two buffers that are live at the same step share an element, or one leaves the arena. */
export function checkPacking(plan: ArenaPlan, align = 1): void {
  for (const [i, a] of plan.placements.entries()) {
    if (a.offset < 0 || a.offset + a.size > plan.size || a.offset % align !== 0) throw new Error(`internal: arena buffer '${a.name}' is outside the arena or misaligned`);
    for (const b of plan.placements.slice(i + 1)) {
      if (overlapsInTime(a, b) && overlapsInSpace(a, b)) throw new Error(`internal: arena buffers '${a.name}' and '${b.name}' are live together and overlap`);
    }
  }
}
