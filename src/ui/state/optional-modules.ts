// Other areas' modules that the app uses by their documented names, loaded lazily. A module another engineer
// has not written yet is reported as missing, so the app shows "not available yet" instead of failing to
// build or faking a result. Vite's glob import resolves at build time: an absent file yields no entry.

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

export interface ConfigLoadModule {
  loadExperiment(text: string, options: { file: string }): { experiment?: unknown; diagnostics: Diagnostic[] };
  formatDiagnostic(diagnostic: Diagnostic): string;
}

export interface ShareModule {
  encodeShareLink(toml: string, appUrl: string): string | Promise<string>;
  decodeShareFragment(hash: string): string | Promise<string>;
}

const configLoad = import.meta.glob<ConfigLoadModule>('../../core/config/load.ts');
const share = import.meta.glob<ShareModule>('../../core/config/share.ts');
const trainingClient = import.meta.glob<Record<string, unknown>>('../../workers/training-client.ts');

async function first<T>(modules: Record<string, () => Promise<T>>): Promise<T | undefined> {
  const load = Object.values(modules)[0];
  return load ? load() : undefined;
}

export const optionalModules = {
  configLoad: () => first(configLoad),
  share: () => first(share),
  trainingClient: () => first(trainingClient),
};

/**
 * The default experiment, shipped with the app (conf/ belongs to the datasets area): the digits CNN on the
 * runtime route (converter MoteRuntime on the Wasm board), so the first Run needs no compiler and works offline.
 */
const defaultExperiments = import.meta.glob<string>('../../../conf/digits/cnn_int8_runtime.toml', { query: '?raw', import: 'default', eager: true });
export const defaultExperiment: { file: string; toml: string } | undefined = Object.entries(defaultExperiments)
  .map(([path, toml]) => ({ file: path.replace(/^(\.\.\/)+/, ''), toml }))[0];
