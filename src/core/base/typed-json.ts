// JSON that keeps typed arrays (quantization outcomes hold Int8/Int16/Int32/Float32 arrays), for the
// artefacts the pipeline hands from one action to the next (`train` → `prepare_deploy` may run in two
// separate `mote` invocations). Arrays are stored as base64 of their little-endian bytes.

const TYPED = {
  Float32Array, Float64Array, Int8Array, Int16Array, Int32Array, Uint8Array, Uint16Array, Uint32Array,
} as const;
type TypedName = keyof typeof TYPED;
const MARK = '$typed';

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function stringifyTyped(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const name = v.constructor.name as TypedName;
      if (!(name in TYPED)) throw new Error(`internal: cannot store a ${name} in typed JSON`);
      return { [MARK]: name, data: toBase64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
    }
    return v;
  });
}

export function parseTyped<T = unknown>(text: string): T {
  return JSON.parse(text, (_key, v) => {
    if (v && typeof v === 'object' && typeof v[MARK] === 'string') {
      const Ctor = TYPED[v[MARK] as TypedName];
      if (!Ctor) throw new Error(`typed JSON names an unknown array type '${v[MARK]}'`);
      const bytes = fromBase64(v.data);
      return new Ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
    }
    return v;
  }) as T;
}
