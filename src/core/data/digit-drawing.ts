// A digit drawn by hand (strokes of pointer positions, any scale) as a sample of the built-in digits dataset.
// The digits are UCI optdigits: each 32 × 32 black-and-white bitmap of a size-normalised digit was cut into
// 4 × 4 blocks and the set pixels of each block counted, giving 8 × 8 values 0..16. A drawing is prepared the
// same way: its bounding box is scaled (aspect kept) and centred into the 32 × 32 box, its strokes are drawn
// with a pen about as thick as optdigits' writing (a stroke is about 1.5 of the 8 columns wide), and the
// 4 × 4 blocks are counted.

export interface Point { x: number; y: number }
/** One pen-down-to-pen-up line: the positions the pointer passed, in any unit (canvas pixels). */
export type Stroke = readonly Point[];

export interface DigitDrawingOptions {
  /** Side of the bitmap (optdigits: 32). */
  bitmap?: number;
  /** Side of one counted block (optdigits: 4); the sample is bitmap / block values wide. */
  block?: number;
  /** Pen radius in bitmap pixels. */
  penRadius?: number;
}

/** The bitmap pixels within `radius` of the polylines (each pixel judged at its centre). */
export function rasterizeStrokes(strokes: readonly Stroke[], side: number, radius: number): Uint8Array {
  const bitmap = new Uint8Array(side * side);
  const points = strokes.flat();
  if (points.length === 0) return bitmap;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const p of points) { minX = Math.min(minX, p.x); maxX = Math.max(maxX, p.x); minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y); }
  // The longer side of the drawing spans the box less the pen (so that the ink just touches the edges).
  const span = Math.max(maxX - minX, maxY - minY);
  const room = side - 2 * radius;
  const scale = span > 0 ? room / span : 0;
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const map = (p: Point): Point => ({ x: side / 2 + (p.x - cx) * scale, y: side / 2 + (p.y - cy) * scale });
  const segments: [Point, Point][] = [];
  for (const stroke of strokes) {
    const mapped = stroke.map(map);
    if (mapped.length === 1) segments.push([mapped[0], mapped[0]]);
    for (let i = 1; i < mapped.length; i++) segments.push([mapped[i - 1], mapped[i]]);
  }
  const r2 = radius * radius;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const px = x + 0.5, py = y + 0.5;
      for (const [a, b] of segments) {
        const dx = b.x - a.x, dy = b.y - a.y;
        const length2 = dx * dx + dy * dy;
        const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / length2));
        const ex = a.x + t * dx - px, ey = a.y + t * dy - py;
        if (ex * ex + ey * ey <= r2) { bitmap[y * side + x] = 1; break; }
      }
    }
  }
  return bitmap;
}

/** Set pixels counted per block: (side / block)² values from 0 to block². */
export function countBlocks(bitmap: Uint8Array, side: number, block: number): Float32Array {
  const cells = side / block;
  if (!Number.isInteger(cells)) throw new Error(`a ${side}-pixel bitmap does not split into ${block}-pixel blocks`);
  const out = new Float32Array(cells * cells);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) out[Math.floor(y / block) * cells + Math.floor(x / block)] += bitmap[y * side + x];
  return out;
}

/** The drawing as the built-in digits' 8 × 8 sample (values 0..16, row after row); all zeros when nothing is drawn. */
export function drawingToDigit(strokes: readonly Stroke[], options: DigitDrawingOptions = {}): Float32Array {
  const side = options.bitmap ?? 32;
  const block = options.block ?? 4;
  return countBlocks(rasterizeStrokes(strokes, side, options.penRadius ?? 3), side, block);
}
