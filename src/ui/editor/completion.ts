// Key and `kind` completion for Qualia experiments: structural keys come from Qualia's schema (per section),
// kind names and their parameters from the registries through src/core/catalog.ts, so a new kind appears
// here as soon as its area registers it.
import type { CompletionContext, CompletionResult, Completion } from '@codemirror/autocomplete';
import type { KindArea, KindInfo } from '../../core/base/kinds';

type KindTable = Readonly<Record<string, KindInfo<unknown>>>;
interface CatalogModule { defaultCatalog(): Readonly<Record<KindArea, KindTable>> }

const catalogModules = import.meta.glob<CatalogModule>('../../core/catalog.ts', { eager: true });
const catalog = Object.values(catalogModules)[0]?.defaultCatalog();

const KIND_AND_PARAMS = ['kind', 'params'];
const MODEL_KEYS = ['kind', 'params', 'epochs', 'batch_size', 'load', 'train', 'evaluate', 'optimizer', 'update'];

/** Keys Qualia's schema allows in each table (qualia-reference §2.1); '' is the top level. */
export const SECTION_KEYS: Record<string, string[]> = {
  '': ['bench', 'learningframework', 'dataset', 'experimenttracking', 'preprocessing', 'data_augmentation', 'postprocessing', 'model_template', 'model', 'deploy', 'includes'],
  bench: ['name', 'seed', 'first_run', 'last_run', 'plugins', 'use_test_as_valid'],
  learningframework: KIND_AND_PARAMS,
  dataset: KIND_AND_PARAMS,
  experimenttracking: KIND_AND_PARAMS,
  preprocessing: KIND_AND_PARAMS,
  data_augmentation: KIND_AND_PARAMS,
  postprocessing: [...KIND_AND_PARAMS, 'export'],
  model_template: MODEL_KEYS,
  model: [...MODEL_KEYS, 'name', 'disabled'],
  deploy: ['target', 'converter', 'deployer', 'evaluator', 'quantize', 'optimize', 'compress', 'limit'],
};

const SECTION_AREA: Record<string, KindArea> = {
  learningframework: 'learningframework', dataset: 'dataset', experimenttracking: 'experimenttracking',
  preprocessing: 'preprocessing', data_augmentation: 'data_augmentation', postprocessing: 'postprocessing',
  model_template: 'model', model: 'model',
};

/** The `[table]` or `[[array]]` header above `line` (0-based index into `lines`), with its text. */
function sectionAt(lines: string[], line: number): { name: string; start: number } {
  for (let i = line; i >= 0; i--) {
    const header = /^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?/.exec(lines[i]);
    if (header) return { name: header[1], start: i };
  }
  return { name: '', start: 0 };
}

/** The `kind` written in the section that starts at `start`, if any. */
function kindIn(lines: string[], start: number, keyPrefix = ''): string | undefined {
  for (let i = start + 1; i < lines.length && !/^\s*\[/.test(lines[i]); i++) {
    const match = new RegExp(`^\\s*${keyPrefix.replace('.', '\\.')}kind\\s*=\\s*["']([^"']+)["']`).exec(lines[i]);
    if (match) return match[1];
  }
  return undefined;
}

function kindsOf(area: KindArea): Completion[] {
  return Object.values(catalog?.[area] ?? {}).map((k) => ({ label: k.kind, type: 'enum', detail: k.summary, apply: k.kind }));
}

function paramsOf(area: KindArea, kind: string | undefined): Completion[] {
  const info = kind ? catalog?.[area]?.[kind] : undefined;
  const shape = (info?.params as { shape?: Record<string, { expected: string }> } | undefined)?.shape;
  return Object.entries(shape ?? {}).map(([key, schema]) => ({ label: key, type: 'property', detail: schema.expected }));
}

export function qualiaCompletion(context: CompletionContext): CompletionResult | null {
  const { state, pos } = context;
  const line = state.doc.lineAt(pos);
  const before = line.text.slice(0, pos - line.from);
  const lines = state.doc.toString().split('\n');
  const section = sectionAt(lines, line.number - 2);

  // Inside a header: `[dep` → section names.
  const header = /^\s*\[\[?\s*([A-Za-z0-9_.]*)$/.exec(before);
  if (header) {
    return { from: pos - header[1].length, options: SECTION_KEYS[''].map((k) => ({ label: k, type: 'class' })), validFor: /^[A-Za-z0-9_]*$/ };
  }

  // A kind value: `kind = "Mo` or `converter.kind = "`, `target = "`.
  const value = /^\s*([A-Za-z0-9_.]+)\s*=\s*["']([A-Za-z0-9_]*)$/.exec(before);
  if (value) {
    const [, key, typed] = value;
    let area: KindArea | undefined;
    if (key === 'kind') area = SECTION_AREA[section.name];
    if (section.name === 'deploy' && key === 'converter.kind') area = 'converter';
    if (section.name === 'deploy' && key === 'target') area = 'target';
    if (section.name === 'deploy.converter' && key === 'kind') area = 'converter';
    if (!area) return null;
    return { from: pos - typed.length, options: kindsOf(area), validFor: /^[A-Za-z0-9_]*$/ };
  }

  // A key at the start of a line: `ep` → epochs; `params.fil` → the kind's parameters.
  const key = /^\s*([A-Za-z0-9_]*(?:\.[A-Za-z0-9_]*)*)$/.exec(before);
  if (!key || (!context.explicit && key[1] === '')) return null;
  const typed = key[1];
  const dot = typed.lastIndexOf('.');
  const prefix = dot >= 0 ? typed.slice(0, dot + 1) : '';
  const from = pos - (typed.length - prefix.length);
  const area = SECTION_AREA[section.name];
  let options: Completion[] = [];
  if (prefix === 'params.' && area) options = paramsOf(area, kindIn(lines, section.start));
  else if (section.name.endsWith('.params') && area === undefined) {
    const parent = section.name.slice(0, -'.params'.length);
    if (SECTION_AREA[parent]) options = paramsOf(SECTION_AREA[parent], kindIn(lines, sectionAt(lines, section.start - 1).start));
  } else if (section.name === 'deploy' && prefix === 'converter.') options = KIND_AND_PARAMS.map((k) => ({ label: k, type: 'property' }));
  else if (prefix === '') options = (SECTION_KEYS[section.name] ?? []).map((k) => ({ label: k, type: 'property' }));
  if (options.length === 0) return null;
  return { from, options, validFor: /^[A-Za-z0-9_]*$/ };
}
