// The experiment text after an .onnx file is imported into it: its model becomes `[model_template] kind =
// "ONNX"` reading the file (kept with the experiment, src/core/experiments/store.ts), with the weights kept
// as trained elsewhere. Only the model tables change — [model_template] (and its subtables) and every
// [[model]] — and the new ones take the place of the first of them; every other line stays as typed.

/** `[name]` or `[[name]]` at the start of a line (after spaces), with an optional comment after it. */
const HEADER = /^\s*(\[\[?)\s*([A-Za-z0-9_.\-"' ]+?)\s*\]\]?\s*(#.*)?$/;

function isModelTable(name: string): boolean {
  const key = name.replace(/["'\s]/g, '');
  return key === 'model_template' || key.startsWith('model_template.') || key === 'model' || key.startsWith('model.');
}

/** The name a file gives its [[model]]: letters, digits, `_` and `-`, starting with a letter. */
export function modelNameOf(fileName: string): string {
  const stem = fileName.replace(/^.*[\\/]/, '').replace(/\.onnx$/i, '').replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^[^A-Za-z]+/, '');
  return stem.slice(0, 60) || 'imported';
}

/** Where the imported file is kept: `models/<name>.onnx`, the path its runs read (params.path). */
export function onnxModelPath(fileName: string): string {
  return `models/${modelNameOf(fileName)}.onnx`;
}

/** `toml` with its model tables replaced by an ONNX model reading `path`. */
export function withOnnxModel(toml: string, fileName: string): string {
  const name = modelNameOf(fileName);
  const block = [
    '[model_template]',
    `kind   = "ONNX"     # imported from ${fileName.replace(/[\r\n]/g, ' ')}; kept with this experiment`,
    'train  = false      # keep the weights as trained elsewhere',
    'epochs = 0',
    '',
    '[[model]]',
    `name        = "${name}"`,
    `params.path = "${onnxModelPath(fileName)}"`,
  ];
  const lines = toml.split('\n');
  const out: string[] = [];
  let skipping = false;
  let placed = false;
  let multiline: string | null = null;
  for (const line of lines) {
    if (multiline === null) {
      const header = HEADER.exec(line);
      if (header) {
        skipping = isModelTable(header[2]);
        if (skipping && !placed) { out.push(...block, ''); placed = true; }
      }
    }
    // A table ends at the next header outside a multi-line string.
    for (const quote of line.match(/"""|'''/g) ?? []) multiline = multiline === null ? quote : multiline === quote ? null : multiline;
    if (!skipping) out.push(line);
  }
  if (!placed) {
    while (out.length && out[out.length - 1].trim() === '') out.pop();
    out.push('', ...block, '');
  }
  return out.join('\n');
}
