// Post-processing off the page's thread: the default Run (conf/digits/cnn_int8_runtime.toml: FuseBatchNorm,
// then int8 PTQ calibration) fuses and calibrates in the training worker. The page never starts a tfjs
// backend nor fetches tfjs' WebAssembly; the worker does. The Run still completes every stage, bit-exact, with
// the post-processing step's progress shown on the train stage; and the CLI's own post-processing of the
// model the app trained (the same engine in Node, `load = true, train = false`) writes the very same int8
// model blob and activation ranges — so calibration in the worker is the CLI's, byte for byte.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { launchBrowser } from './browser';
import { TINY_TOML, goTo, importExperiment, openApp, pageErrors } from './app-helpers';
import { nodeWorkspace } from '../src/core/base/workspace.node';
import { loadExperiment } from '../src/core/config/load';
import type { DataBundle } from '../src/core/data/bundle';
import { runPipeline } from '../src/core/pipeline/engine';
import { nodePipelineEnvironment } from '../src/core/pipeline/environment.node';
import { preprocessData, summarizeBundle } from '../src/core/pipeline/prepare-data';

const TOML = readFileSync('conf/digits/cnn_int8_runtime.toml', 'utf8');
const TFJS_WASM = /tfjs-backend-wasm[^/]*\.wasm$/;
/** What post-processing and prepare_deploy write that depends on calibration: the ranges and the int8 blob. */
const COMPARED = /^out\/(deploy\/Wasm\/[^/]+\/model\.mtb|learningmodel\/[^/]+_activations_range\.txt)$/;

let browser: { context: BrowserContext; close: () => Promise<void> };
let workdir: string;
beforeAll(async () => {
  browser = await launchBrowser();
  workdir = mkdtempSync(join(tmpdir(), 'mote-postprocessing-'));
  // On every page, before its scripts: when tfjs-core creates its global engine (globalThis._tfengine), note
  // each backend it starts and each kernel it runs, with the stages running at that moment. (The finished
  // Run's "Try it live" panel may start one afterwards, for its single drawings: not during the Run.)
  await browser.context.addInitScript(() => {
    type Engine = { initializeBackend(name: string): unknown; runKernel(name: string, ...rest: unknown[]): unknown };
    const log: { what: string; during: string[] }[] = [];
    const during = () => [...document.querySelectorAll('[data-testid="stages"] [data-status="running"]')].map((stage) => stage.getAttribute('data-stage') ?? '?');
    (window as unknown as { tfjsOnPage: typeof log }).tfjsOnPage = log;
    let engine: Engine | undefined;
    Object.defineProperty(globalThis, '_tfengine', {
      configurable: true,
      get: () => engine,
      set(value: Engine) {
        engine = value;
        const initializeBackend = value.initializeBackend.bind(value);
        const runKernel = value.runKernel.bind(value);
        value.initializeBackend = (name) => { log.push({ what: `backend ${name}`, during: during() }); return initializeBackend(name); };
        value.runKernel = (name, ...rest) => { log.push({ what: `kernel ${name}`, during: during() }); return runKernel(name, ...rest); };
      },
    });
  });
});
afterAll(async () => {
  await browser?.close();
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

/** What the latest run wrote (IndexedDB, the test's view): artifact name → bytes, for names matching `pattern`. */
async function latestArtifacts(page: Page, pattern: string): Promise<Record<string, Uint8Array>> {
  const files = await page.evaluate(async (source) => {
    const match = new RegExp(source);
    const db = await new Promise<IDBDatabase>((resolve, reject) => { const r = indexedDB.open('mote'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const all = <T,>(store: string) => new Promise<T[]>((resolve, reject) => { const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => resolve(r.result as T[]); r.onerror = () => reject(r.error); });
    try {
      const runs = (await all<{ id: string; startedAt: string }>('runs')).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
      const artifacts = (await all<{ id: string; runId: string; name: string }>('artifacts')).filter((a) => a.runId === runs[0].id && match.test(a.name));
      const out: Record<string, number[]> = {};
      for (const artifact of artifacts) {
        const data = await new Promise<{ bytes: Uint8Array }>((resolve, reject) => { const r = db.transaction('artifactData').objectStore('artifactData').get(artifact.id); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
        out[artifact.name] = Array.from(data.bytes);
      }
      return out;
    } finally { db.close(); }
  }, pattern);
  return Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, Uint8Array.from(bytes)]));
}

/** The tfjs backends a realm has started (tfjs-core's global engine keeps them in `registry`), and its WebAssembly fetches. */
const tfjsState = () => {
  const engine = (globalThis as { _tfengine?: { registry: Record<string, unknown>; backendName: string | null } })._tfengine;
  return {
    backends: Object.keys(engine?.registry ?? {}),
    wasmFetched: performance.getEntriesByType('resource').map((e) => e.name).filter((name) => /tfjs-backend-wasm[^/]*\.wasm$/.test(name)),
  };
};

test('the default Run fuses and calibrates in the training worker, never on the page, with the CLI\'s result', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  // The page's long tasks (the figure in bench/RESULTS.md), when its stages ran, and every message the train stage shows.
  await page.evaluate(() => {
    const scope = window as unknown as { longTasks: { start: number; duration: number }[]; trainMessages: string[]; runStart?: number; runEnd?: number };
    scope.longTasks = [];
    scope.trainMessages = [];
    new PerformanceObserver((list) => { for (const entry of list.getEntries()) scope.longTasks.push({ start: entry.startTime, duration: entry.duration }); }).observe({ type: 'longtask' });
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="stages"] [data-stage="train"] .message')?.textContent ?? '';
      if (text && scope.trainMessages[scope.trainMessages.length - 1] !== text) scope.trainMessages.push(text);
      const running = document.querySelector('[data-testid="stages"] [data-status="running"]') !== null;
      if (running) scope.runStart ??= performance.now();
      else if (scope.runStart !== undefined) scope.runEnd ??= performance.now();
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  expect(await page.evaluate(() => (window as unknown as { tfjsOnPage: unknown[] }).tfjsOnPage)).toEqual([]);
  await page.getByTestId('run-button').click();
  await expect.poll(() => page.getByTestId('run-button').isEnabled(), { timeout: 170_000, interval: 500 }).toBe(true);
  const stages = page.getByTestId('stages');
  const status = (id: string) => stages.locator(`[data-stage="${id}"]`).getAttribute('data-status');
  const message = (id: string) => stages.locator(`[data-stage="${id}"] .message`).textContent();
  for (const id of ['check', 'preprocess_data', 'train', 'prepare_deploy', 'deploy_and_evaluate']) expect(await status(id), `${id}: ${await message(id)}`).toBe('completed');
  expect(await message('deploy_and_evaluate')).toMatch(/^\S+ int8 on the Wasm board: accuracy [\d.]+ % \(reference [\d.]+ %\), bit-exact, 100 vectors$/);

  // The page's thread: no tfjs backend started and no tfjs kernel ran while a stage was running, and tfjs'
  // WebAssembly was never fetched (nor started, at any time).
  const onPage = await page.evaluate(() => (window as unknown as { tfjsOnPage: { what: string; during: string[] }[] }).tfjsOnPage);
  const duringRun = onPage.filter((use) => use.during.length > 0);
  expect(duringRun.slice(0, 5), `${duringRun.length} uses of tfjs on the page during the Run`).toEqual([]);
  const pageState = await page.evaluate(tfjsState);
  expect(pageState.wasmFetched).toEqual([]);
  expect(pageState.backends).not.toContain('wasm');
  // The training worker started WASM (training and post-processing ran there).
  const trainingWorker = page.workers().find((worker) => /training/.test(worker.url()));
  expect(trainingWorker, page.workers().map((w) => w.url()).join('\n')).toBeDefined();
  const inWorker = await trainingWorker!.evaluate(tfjsState);
  expect(inWorker.backends).toContain('wasm');
  expect(inWorker.wasmFetched.length).toBeGreaterThan(0);
  // The post-processing steps reported their progress on the train stage.
  const { trainMessages, longTasks } = await page.evaluate(() => {
    const scope = window as unknown as { longTasks: { start: number; duration: number }[]; trainMessages: string[]; runStart?: number; runEnd?: number };
    const inRun = scope.longTasks.filter((task) => task.start >= (scope.runStart ?? 0) && task.start <= (scope.runEnd ?? Infinity)).map((task) => task.duration);
    return { trainMessages: scope.trainMessages, longTasks: inRun };
  });
  expect(trainMessages).toContain('postprocessing[1] QuantizationAwareTraining');
  console.log(`page long tasks (> 50 ms) while the Run's stages ran: ${longTasks.length}, ${Math.round(longTasks.reduce((a, b) => a + b, 0))} ms in all, longest ${Math.round(Math.max(0, ...longTasks))} ms`);
  expect(pageErrors(page)).toEqual([]);

  // The CLI's post-processing of the model the app trained: the same engine in Node, from the app's weights.
  const trained = await latestArtifacts(page, '^out/learningmodel/digits_cnn_r1\\.mote$');
  const app = await latestArtifacts(page, COMPARED.source);
  await page.close();
  expect(Object.keys(trained)).toEqual(['out/learningmodel/digits_cnn_r1.mote']);
  for (const [name, bytes] of Object.entries(trained)) {
    await mkdir(join(workdir, dirname(name)), { recursive: true });
    await writeFile(join(workdir, name), bytes);
  }
  const loaded = loadExperiment(TOML.replace(/^disabled = false$/m, 'disabled = false\nload     = true\ntrain    = false'), { file: 'cnn_int8_runtime.toml' });
  expect(loaded.experiment, JSON.stringify(loaded.diagnostics)).toBeDefined();
  let kept: DataBundle | undefined;
  const env = {
    ...nodePipelineEnvironment({ configPath: 'cnn_int8_runtime.toml', workspace: nodeWorkspace(workdir) }),
    // The data in memory (the CLI caches it in ./out/data/, which is the repository here).
    data: {
      async preprocess(e: NonNullable<typeof loaded.experiment>) { kept = await preprocessData({ dataset: e.dataset, preprocessing: e.preprocessing, seed: e.bench.seed }, undefined); return summarizeBundle(kept); },
      async load() { return kept!; },
    },
  };
  await runPipeline(loaded.experiment!, ['preprocess_data', 'train', 'prepare_deploy'], env);
  const cli: Record<string, Uint8Array> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(workdir, dir), { withFileTypes: true })) {
      const name = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(name);
      else if (COMPARED.test(name)) cli[name] = readFileSync(join(workdir, name));
    }
  };
  walk('out');
  expect(Object.keys(app).sort()).toEqual(Object.keys(cli).sort());
  expect(Object.keys(app).filter((name) => name.endsWith('/model.mtb'))).toHaveLength(1);
  for (const name of Object.keys(app)) expect(Buffer.from(app[name]).equals(Buffer.from(cli[name])), `${name} differs between the app and the CLI`).toBe(true);
});

/** The tiny MLP experiment (e2e/samples/tiny.toml) with one int8 QuantizationAwareTraining step of `epochs` epochs and `bits` bits. */
const withQat = (name: string, epochs: number, bits = 8) => TINY_TOML.replace('e2e_tiny', name) + `
[[postprocessing]]
kind   = "QuantizationAwareTraining"
export = true
params.epochs     = ${epochs}
params.batch_size = 32
params.model.params.quant_params.bits          = ${bits}
params.model.params.quant_params.quantype      = "fxp"
params.model.params.quant_params.roundtype     = "nearest"
params.model.params.quant_params.range_setting = "minmax"
params.model.params.quant_params.LSQ           = false
`;

test('Cancel during post-processing ends the training worker at once; an error there reads in words; the next Run post-processes in a fresh worker', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  const workers: Worker[] = [];
  const closed = new Set<Worker>();
  page.on('worker', (worker) => { if (/training/.test(worker.url())) { workers.push(worker); worker.on('close', () => closed.add(worker)); } });
  const stages = page.getByTestId('stages');
  const train = stages.locator('[data-stage="train"]');
  const runAndWait = async () => {
    await page.getByTestId('run-button').click();
    await expect.poll(() => page.getByTestId('run-button').isEnabled(), { timeout: 170_000, interval: 500 }).toBe(true);
  };

  // 1. A long QAT (300 epochs): cancelled once its progress shows on the train stage.
  await importExperiment(page, 'qat-long.toml', withQat('e2e_qat_long', 300));
  await goTo(page, 'Train');
  await page.getByTestId('run-button').click();
  await train.locator('.message', { hasText: 'postprocessing[0] QuantizationAwareTraining' }).waitFor({ timeout: 120_000 });
  await train.locator('progress').waitFor();
  expect(workers).toHaveLength(1);
  const cancelledAt = Date.now();
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect.poll(() => train.getAttribute('data-status'), { timeout: 30_000 }).toBe('cancelled');
  await page.getByTestId('run-status').filter({ hasText: 'cancelled' }).waitFor();
  // The worker was ended (a calibration or QAT pass never waits for a message), not left computing.
  await expect.poll(() => closed.has(workers[0]), { timeout: 10_000 }).toBe(true);
  const cancelSeconds = (Date.now() - cancelledAt) / 1000;
  console.log(`Cancel during QAT: the train stage said cancelled and the worker had ended ${cancelSeconds.toFixed(1)} s after the click`);
  expect(cancelSeconds).toBeLessThan(10);
  expect(await train.locator('.message').textContent()).toBe('cancelled by you');
  expect(await stages.locator('[data-stage="prepare_deploy"]').getAttribute('data-status')).toBe('skipped');
  // The float model trained before post-processing was kept.
  expect(Object.keys(await latestArtifacts(page, '^out/learningmodel/e2e_mlp_r1\\.mote$'))).toEqual(['out/learningmodel/e2e_mlp_r1.mote']);

  // 2. A step that fails in the worker (4-bit weights cannot become C: quantizeGraph refuses before QAT trains)
  // fails the train stage with the step's own words, not a worker or structured-clone message.
  await importExperiment(page, 'qat-4bit.toml', withQat('e2e_qat_4bit', 1, 4));
  await goTo(page, 'Train');
  await runAndWait();
  expect(await train.getAttribute('data-status')).toBe('failed');
  expect(await train.locator('.message').textContent()).toMatch(/^quant_params\.bits = 4: the C generator emits int8 or int16 only/);
  expect(workers.length).toBe(2);

  // 3. Calibration only: completes in the worker, its ranges written.
  await importExperiment(page, 'qat-calibrate.toml', withQat('e2e_qat_calibrate', 0));
  await goTo(page, 'Train');
  await runAndWait();
  expect(await train.getAttribute('data-status'), await train.locator('.message').textContent() ?? '').toBe('completed');
  expect(Object.keys(await latestArtifacts(page, '_activations_range\\.txt$'))).toHaveLength(1);
  const onPage = await page.evaluate(() => (window as unknown as { tfjsOnPage: { what: string; during: string[] }[] }).tfjsOnPage);
  expect(onPage.filter((use) => use.during.length > 0).slice(0, 5)).toEqual([]);
  expect(pageErrors(page)).toEqual([]);
  await page.close();
});

test('tfjs\' WebAssembly is in the built app under the name the checks above look for', () => {
  expect(readdirSync('dist/assets').filter((name) => TFJS_WASM.test(name)).length).toBeGreaterThan(0);
});
