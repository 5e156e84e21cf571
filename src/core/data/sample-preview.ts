// One sample as people recognise it, in plain data the UI can draw: an image as RGBA bytes (scaled to its own
// min..max), a time series as [steps, channels] values, anything else as a vector. Used by the data worker's
// previews and by the Results view's misclassified samples alike.
import type { DataSet } from './bundle';

export interface SamplePreview {
  set: string;
  label: string;
  kind: 'image' | 'series' | 'vector';
  /** image: [height, width]; series: [steps, channels]; vector: [features]. */
  shape: number[];
  /** image: RGBA bytes; series and vector: the values. */
  data: Uint8ClampedArray | Float32Array;
}

export function samplePreview(set: Pick<DataSet, 'x' | 'shape' | 'labels'>, index: number, setName: string, classNames: string[]): SamplePreview {
  const size = set.shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from(set.x.subarray(index * size, (index + 1) * size));
  const label = classNames[set.labels[index]] ?? String(set.labels[index]);
  const [h, w, c] = set.shape;
  if (set.shape.length === 3 && (c === 1 || c === 3)) {
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) { if (v < min) min = v; if (v > max) max = v; }
    const scale = max > min ? 255 / (max - min) : 0;
    const rgba = new Uint8ClampedArray(h * w * 4);
    for (let p = 0; p < h * w; p++) {
      for (let k = 0; k < 3; k++) rgba[p * 4 + k] = (values[p * c + (c === 3 ? k : 0)] - min) * scale;
      rgba[p * 4 + 3] = 255;
    }
    return { set: setName, label, kind: 'image', shape: [h, w], data: rgba };
  }
  if (set.shape.length === 2) return { set: setName, label, kind: 'series', shape: [...set.shape], data: values };
  return { set: setName, label, kind: 'vector', shape: [size], data: values };
}
