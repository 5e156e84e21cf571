// The app as a user meets it: first visit, editing with lint, share links (honest and hostile), reload
// safety, experiment management. Runs against the built app (vite build + preview, COOP/COEP on).
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { launchBrowser } from './browser';
import { TINY_TOML, appendToEditor, editorText, goTo, importExperiment, openApp, pageErrors, waitSaved } from './app-helpers';
import { encodeShareLink } from '../src/core/config/share';

let browser: { context: BrowserContext; close: () => Promise<void> };
beforeAll(async () => { browser = await launchBrowser(); });
afterAll(async () => { await browser?.close(); });

const DEFAULT_EXPERIMENT = 'conf/digits/cnn_int8_runtime.toml';

test('first visit: the default experiment is open and Run goes through every stage, each shown', async () => {
  expect(existsSync(DEFAULT_EXPERIMENT), `${DEFAULT_EXPERIMENT} (the default experiment) is missing`).toBe(true);
  const page = await openApp(browser.context, inject('appUrl'));
  expect(await editorText(page)).toBe(readFileSync(DEFAULT_EXPERIMENT, 'utf8'));
  await page.getByTestId('run-button').click();
  // While it runs, the Editor shows the stage at work and its progress.
  await page.getByTestId('live-progress').waitFor();
  await expect.poll(() => page.getByTestId('run-button').isEnabled(), { timeout: 170_000, interval: 500 }).toBe(true);
  // The run lands on its results: the board's accuracy against float and the reference, bit-exactness, sizes.
  await page.getByRole('heading', { level: 2, name: /^Results/ }).waitFor();
  expect(new URL(page.url()).hash).toBe('#/results');
  const headline = page.getByTestId('results-headline');
  expect(await page.getByTestId('board-accuracy').textContent()).toMatch(/^\d+\.\d %$/);
  expect(await headline.innerText()).toMatch(/int8 model on the .+, 100 test vectors/);
  expect(await page.getByTestId('bit-exact').textContent()).toBe('bit-exact');
  // The model by its [[model]] name and format; Qualia's generated name only as a detail.
  expect(await page.getByTestId('results-model').innerText()).toMatch(/^Model digits_cnn · int8 · Qualia name digits_cnn_fused_q8_\S+$/);
  // The Linux row the experiment's deploy.target prepared but the browser could not run is not listed.
  expect(await page.getByTestId('results-evaluations').count()).toBe(0);
  expect(await page.getByRole('combobox', { name: 'Run' }).locator('option').first().textContent()).toMatch(/^Run 1 · .+ · completed · \d+\.\d %$/);
  expect(await page.getByTestId('weight-bytes').textContent()).toMatch(/^\d[\d.]*\s(B|KiB)$/);
  expect(await page.getByTestId('arena-bytes').textContent()).toMatch(/^\d[\d.]*\s(B|KiB)$/);
  // Against a physical board's capacity, as the board's kind declares it.
  expect(await page.getByTestId('results-sizes').innerText()).toMatch(/Nucleo-L452RE-P[\s\S]*flash [\d.]+ (B|KiB) of 512/);
  // The confusion matrix says which model and which samples it counts.
  expect(await page.getByTestId('confusion-which').textContent()).toMatch(/int8 model on the .+, on 100 test vectors/);
  expect(await page.getByTestId('results-confusion').locator('tbody tr').count()).toBe(10);
  await page.getByRole('button', { name: 'float in the browser' }).click();
  expect(await page.getByTestId('confusion-which').textContent()).toMatch(/float model .* on the test set: 355 samples/);
  const stages = page.getByTestId('stages').locator('li');
  const statuses = await stages.evaluateAll((items) => items.map((li) => [li.getAttribute('data-stage'), li.getAttribute('data-status')]));
  expect(statuses[0]).toEqual(['check', 'completed']);
  expect(statuses[1]).toEqual(['preprocess_data', 'completed']);
  expect(await stages.nth(1).locator('.message').textContent()).toMatch(/Digits: train 1442, test 355; 10 classes; sample shape \[8, 8, 1\]/);
  expect(statuses[2]).toEqual(['train', 'completed']);
  const trained = await stages.nth(2).locator('.message').textContent();
  const accuracy = Number(/test accuracy ([\d.]+) %/.exec(trained ?? '')?.[1]);
  expect(accuracy, trained ?? '').toBeGreaterThan(85); // a 2-conv CNN on 8×8 digits reaches ~95 % and more
  expect(statuses[3]).toEqual(['prepare_deploy', 'completed']);
  // The runtime route (converter MoteRuntime): the model blob, in the Wasm board's folder, instead of C.
  expect(await stages.nth(3).locator('.message').textContent()).toMatch(/out\/deploy\/Wasm\/digits_cnn_fused_q8_\S+_qint8_o_c1_r1\/: 1 files, arena \d+ B, weights \d+ B, \d+ MACs/);
  // On-target: the blob run by the Mote Runtime's wasm image on the virtual board, against the reference.
  expect(statuses[4]).toEqual(['deploy_and_evaluate', 'completed']);
  const evaluated = await stages.nth(4).locator('.message').textContent();
  expect(evaluated).toMatch(/int8 on the Wasm board: accuracy [\d.]+ % \(reference [\d.]+ %\), bit-exact, 100 vectors/);
  // The default experiment names deploy.target = "Wasm", which the browser runs itself: no board was substituted.
  expect(evaluated).not.toMatch(/used board/);
  await goTo(page, 'Boards');
  const evaluation = page.getByTestId('evaluation');
  expect(await evaluation.locator('tbody tr').count()).toBe(100);
  expect(await evaluation.locator('tr.mismatch').count()).toBe(0);
  await goTo(page, 'Editor');
  // The Deploy page lists the one board that ran, by name; nothing was compiled, so there is no C and no build log.
  await goTo(page, 'Deploy');
  const formats = page.getByRole('table').first().locator('tbody tr');
  await expect.poll(() => formats.count()).toBe(1);
  expect(await formats.innerText()).toMatch(/^digits_cnn\s+Qualia name digits_cnn_fused_q8_\S+\s+int8\s+Wasm virtual board\s+\d/);
  expect(await page.getByRole('button', { name: /model\.c$/ }).count()).toBe(0);
  expect(await page.getByRole('button', { name: /^Build log/ }).count()).toBe(0);
  // Every stage ended in a final state with its reason shown: done, or plainly "not available yet".
  for (const [stage, status] of statuses) expect(['completed', 'skipped'], `stage ${stage}`).toContain(status);
  for (const li of await stages.all()) expect((await li.locator('.message').textContent())?.length).toBeGreaterThan(0);
  expect(pageErrors(page)).toEqual([]);
  await page.close();
});

test('a mistake in the TOML is marked at its line, in the editor and in the problem list', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  await importExperiment(page, 'lint.toml', TINY_TOML);
  const lines = TINY_TOML.split('\n').length; // the text ends with a newline: the next line is `lines`
  await appendToEditor(page, 'broken = = 3\n');
  const problems = page.getByTestId('problems');
  await problems.getByText(`line ${lines}:`).waitFor();
  await expect.poll(() => problems.innerText()).toMatch(/TOML syntax/);
  // CodeMirror draws the error under the text on that line.
  const marked = page.locator('.cm-line', { has: page.locator('.cm-lintRange-error') });
  await expect.poll(() => marked.first().textContent()).toBe('broken = = 3');
  // The problem's line number takes the cursor there.
  await page.keyboard.press('Control+Home');
  await problems.getByRole('button', { name: new RegExp(`^line ${lines}:`) }).click();
  expect(await page.evaluate(() => {
    const view = (document.querySelector('[data-testid="toml-editor"]') as Element & { editorView: { state: { doc: { lineAt(p: number): { number: number } }; selection: { main: { head: number } } } } }).editorView;
    return view.state.doc.lineAt(view.state.selection.main.head).number;
  })).toBe(lines);

  // A schema mistake (a misspelt key in [bench]) points at its own line with a hint.
  await page.keyboard.press('Control+z');
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.insertText('\nsed = 1');
  await expect.poll(() => problems.innerText(), { timeout: 10_000 }).toMatch(/line 3:1[\s\S]*bench\.sed[\s\S]*did you mean 'seed'/);
  await page.close();
});

test('a share link round trip opens the same experiment, asking first', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  await importExperiment(page, 'shared.toml', TINY_TOML);
  await goTo(page, 'Share');
  await page.getByRole('button', { name: /Create a link/ }).click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/#toml=[A-Za-z0-9_-]+$/);
  const before = await page.getByRole('navigation', { name: 'Pages' }).isVisible();
  expect(before).toBe(true);
  await page.close();

  const other = await browser.context.newPage();
  await other.goto(link);
  const dialog = other.getByTestId('shared-link-dialog');
  await dialog.getByTestId('shared-name').filter({ hasText: 'e2e_tiny' }).waitFor();
  expect(await dialog.getByTestId('shared-toml').textContent()).toBe(TINY_TOML);
  await dialog.getByRole('button', { name: 'Open as a new experiment' }).click();
  await other.getByRole('heading', { name: 'e2e_tiny', exact: true, level: 2 }).waitFor();
  await dialog.waitFor({ state: 'detached' });
  expect(await editorText(other)).toBe(TINY_TOML);
  expect(new URL(other.url()).hash).toBe('#/editor');
  await other.close();
});

test('a hostile link shows its markup as text; a broken link says so and shows what it received', async () => {
  const hostile = TINY_TOML.replace('name = "e2e_tiny"', 'name = "<img src=x onerror=\\"window.__pwned=1\\"><b>bold</b>"');
  const url = encodeShareLink(hostile, inject('appUrl'));
  const page = await browser.context.newPage();
  await page.goto(url);
  const dialog = page.getByTestId('shared-link-dialog');
  await dialog.getByTestId('shared-name').waitFor();
  expect(await dialog.getByTestId('shared-name').textContent()).toBe('<img src=x onerror="window.__pwned=1"><b>bold</b>');
  expect(await dialog.locator('img, b').count()).toBe(0);
  await dialog.getByRole('button', { name: 'Open as a new experiment' }).click();
  await goTo(page, 'Experiments');
  await page.getByRole('button', { name: '<img src=x onerror="window.__pwned=1"><b>bold</b>' }).first().waitFor();
  expect(await page.locator('main img, main b').count()).toBe(0);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

  await page.goto(`${inject('appUrl')}#toml=<script>alert(1)</script>%%%`);
  const broken = page.getByTestId('shared-link-dialog');
  await broken.getByTestId('shared-link-error').waitFor();
  expect(await broken.getByTestId('shared-link-error').textContent()).toMatch(/\S/);
  expect(await broken.getByTestId('shared-link-raw').textContent()).toContain('<script>alert(1)</script>');
  expect(await broken.locator('script').count()).toBe(0);
  await broken.getByRole('button', { name: 'Close' }).click();
  expect(new URL(page.url()).hash).not.toContain('toml=');
  await page.close();
});

test('a link carrying names Mote refuses opens as text with the reasons, and a Run stops at the check', async () => {
  // A model name that would close a C comment and a bench name that climbs out of the workspace.
  const hostile = TINY_TOML
    .replace('name = "e2e_tiny"', 'name = "../../outside"')
    .replace('name = "e2e_mlp"', 'name = "m */ int pwned; /* "');
  const page = await openApp(browser.context, inject('appUrl'), new URL(encodeShareLink(hostile, inject('appUrl'))).hash);
  const dialog = page.getByTestId('shared-link-dialog');
  const problems = dialog.getByTestId('shared-problems');
  await problems.waitFor();
  const text = await problems.innerText();
  expect(text).toMatch(/2 problems/);
  expect(text).toMatch(/line 2: bench\.name: /);
  expect(text).toMatch(/line 19: model\[0\]\.name: /);
  expect(await dialog.getByTestId('shared-toml').textContent()).toBe(hostile);
  await dialog.getByRole('button', { name: 'Open as a new experiment' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByTestId('run-button').click();
  const stages = page.getByTestId('stages').locator('li');
  await expect.poll(() => stages.first().getAttribute('data-status'), { timeout: 30_000 }).toBe('failed');
  expect(await stages.first().locator('.message').textContent()).toMatch(/2 problems in the experiment; first: line 2: /);
  // Nothing after the check began: no data read, no training, no code generated.
  const later = await stages.evaluateAll((items) => items.slice(1).map((li) => li.getAttribute('data-status')));
  for (const status of later) expect(['waiting', 'skipped', 'cancelled']).toContain(status);
  await page.close();
});

test('reloading during a run loses no saved experiment or edit', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  await importExperiment(page, 'reload.toml', TINY_TOML.replace('epochs = 1', 'epochs = 200'));
  await appendToEditor(page, '# kept across reload\n');
  await waitSaved(page);
  await page.getByTestId('run-button').click();
  // Reload while the model is training.
  await page.getByTestId('stages').locator('[data-stage="train"] .message', { hasText: /epoch \d+\/200/ }).waitFor({ timeout: 120_000 });
  await page.reload();
  await page.waitForSelector('html[data-mote-ready="true"]');
  expect(await editorText(page)).toContain('# kept across reload');
  // The Editor says which stage the run was cut short in (the record names the stage at work, not the last done).
  await expect.poll(() => page.getByTestId('interrupted-run').innerText()).toMatch(/interrupted during Train: the page was reloaded or closed/);
  await goTo(page, 'Experiments');
  await page.getByRole('button', { name: 'e2e_tiny', exact: true }).first().waitFor();
  // The interrupted run is recorded as such, not left "running" forever.
  await page.getByText('interrupted: the page was reloaded or closed during this run').waitFor();
  await page.close();
});

test('experiments can be duplicated, deleted (after confirming) and their runs compared', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  await importExperiment(page, 'manage.toml', TINY_TOML.replace('e2e_tiny', 'e2e_manage'));
  for (let i = 0; i < 2; i++) {
    await page.getByTestId('run-button').click();
    await expect.poll(() => page.getByTestId('run-button').isEnabled(), { timeout: 170_000, interval: 500 }).toBe(true);
  }
  await goTo(page, 'Experiments');
  const row = page.locator('tr', { has: page.getByRole('button', { name: 'e2e_manage', exact: true }) });
  await row.getByRole('button', { name: 'Duplicate' }).click();
  await page.getByRole('button', { name: 'e2e_manage (copy)', exact: true }).waitFor();

  const boxes = page.getByRole('checkbox', { name: /Compare the run of/ });
  expect(await boxes.count()).toBe(2);
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  const comparison = page.getByTestId('run-comparison');
  await comparison.waitFor();
  expect(await comparison.locator('thead th').count()).toBe(3);

  const copyRow = page.locator('tr', { has: page.getByRole('button', { name: 'e2e_manage (copy)', exact: true }) });
  await copyRow.getByRole('button', { name: /Delete/ }).click();
  await copyRow.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect.poll(() => page.getByRole('button', { name: 'e2e_manage (copy)', exact: true }).count()).toBe(0);
  expect(await page.getByRole('button', { name: 'e2e_manage', exact: true }).count()).toBe(1);
  await page.close();
});

test('runs are compared with names and units, told apart by what changed, and charted accuracy against size', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  const quantized = '\n[[postprocessing]]\nkind = "QuantizationAwareTraining"\nexport = true\nparams.epochs = 0\nparams.batch_size = 64\nparams.model.params.quant_params.bits = 8\nparams.model.params.quant_params.quantype = "fxp"\nparams.model.params.quant_params.roundtype = "nearest"\nparams.model.params.quant_params.range_setting = "minmax"\nparams.model.params.quant_params.LSQ = false\n';
  const deployed = `${TINY_TOML.replace('e2e_tiny', 'e2e_compare')}${quantized}\n[deploy]\ntarget = "Wasm"\nconverter.kind = "QualiaCodeGen"\nquantize = ["int8"]\noptimize = [""]\nlimit = 20\n`;
  await importExperiment(page, 'compare.toml', deployed);
  await page.getByTestId('run-button').click();
  await expect.poll(() => page.getByTestId('run-button').isEnabled(), { timeout: 170_000, interval: 500 }).toBe(true);
  await goTo(page, 'Editor');
  // The second run trains two epochs and a wider model.
  await page.evaluate(() => {
    const view = (document.querySelector('[data-testid="toml-editor"]') as HTMLElement & { editorView: import('@codemirror/view').EditorView }).editorView;
    const text = view.state.doc.toString();
    view.dispatch({ changes: { from: 0, to: text.length, insert: text.replace('epochs = 1', 'epochs = 2').replace('params.units = [16, 16]', 'params.units = [32, 16]') } });
  });
  await waitSaved(page);
  await page.getByTestId('run-button').click();
  await expect.poll(() => page.getByTestId('run-button').isEnabled(), { timeout: 170_000, interval: 500 }).toBe(true);

  await goTo(page, 'Experiments');
  const rows = page.getByTestId('run-row');
  await expect.poll(() => rows.count()).toBe(2);
  // Newest first; each says what it changed against the experiment's first run.
  expect(await rows.nth(0).locator('td').nth(1).innerText()).toMatch(/^Run 2\n/);
  expect(await rows.nth(0).getByTestId('run-settings').textContent()).toBe('epochs 2 · units [32,16]');
  expect(await rows.nth(1).getByTestId('run-settings').textContent()).toBe('the first run');
  expect(await rows.nth(0).locator('td').nth(3).textContent()).toBe('Evaluate on a board');
  expect(await rows.nth(0).locator('td').nth(5).textContent()).toMatch(/^Accuracy on the board \d+\.\d % · Accuracy \(float\) \d+\.\d % · Weights \(flash\) [\d.]+ (B|KiB) · Working memory \(RAM\) \d+ B$/);
  // The chart: one dot per run, accuracy against the weights' size.
  const chart = page.getByTestId('accuracy-chart');
  expect(await chart.locator('circle').count()).toBe(2);
  expect(await chart.locator('svg').getAttribute('aria-label')).toMatch(/^Accuracy against Weights \(flash\): Run 1 \d+\.\d % at [\d.]+ (B|KiB); Run 2 /);
  await page.getByLabel('Size').selectOption('macs');
  expect(await chart.locator('svg').getAttribute('aria-label')).toMatch(/^Accuracy against Multiply-accumulates per inference: Run 1 \d+\.\d % at [\d,]+;/);
  // Side by side: human names with units, and the settings that differ.
  const boxes = page.getByRole('checkbox', { name: /Compare the run of/ });
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  const comparison = page.getByTestId('run-comparison');
  expect(await comparison.locator('tbody tr').first().innerText()).toMatch(/^Status/);
  expect(await comparison.getByRole('row', { name: /^Working memory \(RAM\)/ }).innerText()).toMatch(/\d+ B\s+\d+ B$/);
  expect(await comparison.getByRole('row', { name: /model_template\.epochs/ }).innerText()).toMatch(/2\s+1$/);
  expect(await comparison.innerText()).not.toMatch(/arena_bytes|target_acc/);
  // Filters: every experiment's runs, or only those evaluated on a board.
  await page.getByLabel('Runs of').selectOption('all');
  await expect.poll(async () => Number(/of (\d+) runs/.exec((await page.getByTestId('runs-shown').textContent()) ?? '')?.[1])).toBeGreaterThanOrEqual(2);
  await page.getByLabel('evaluated on a board only').check();
  expect(await rows.first().locator('td').nth(1).innerText()).toMatch(/ · Run \d/);
  for (const row of await rows.all()) expect(await row.locator('td').nth(5).textContent()).toMatch(/^Accuracy on the board/);
  expect(pageErrors(page)).toEqual([]);
  await page.close();
});

test('the Data page imports files with previews: images as images, text as its first lines', async () => {
  const page = await openApp(browser.context, inject('appUrl'), '#/data');
  // A 1×1 PNG and a small CSV, as a user would pick them.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  await page.getByLabel('Choose files…').setInputFiles([
    { name: 'digit.png', mimeType: 'image/png', buffer: png },
    { name: 'train.csv', mimeType: 'text/csv', buffer: Buffer.from('label,a,b\n1,0.5,0.25\n0,0.1,0.2\n') },
  ]);
  await page.getByRole('heading', { name: /2 files/ }).waitFor();
  await page.getByRole('img', { name: 'Preview of digit.png' }).waitFor();
  expect(await page.locator('td pre').first().textContent()).toBe('label,a,b\n1,0.5,0.25\n0,0.1,0.2\n');
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect.poll(() => page.getByRole('heading', { name: /files? ·/ }).count()).toBe(0);
  await page.close();
});
