// Recording your own examples from a board over Web Serial, as a student with an Arduino sketch would: a
// Web Serial stand-in in the page (installed before the app loads) plays a board printing 3-axis readings,
// one line each at a steady rate, with bad lines mixed in (text, a wrong number of values). The test records
// two gesture classes on the Data page, reloads (the dataset is in IndexedDB), trains an int8 model on it with
// `[dataset] kind = "Recorded"` and evaluates it on the Wasm board. A stream at another rate is refused with
// a message naming the sample.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { goTo, importExperiment, openApp, pageErrors } from './app-helpers';

/** Runs in the page: navigator.serial with one port whose "board" prints readings from `window.__moteBoard`. */
function installSensorBoard(): void {
  interface Board { gesture: 'wave' | 'shake'; rateHz: number; lines: number }
  const board: Board = { gesture: 'wave', rateHz: 50, lines: 0 };
  (window as unknown as { __moteBoard: Board }).__moteBoard = board;
  const encoder = new TextEncoder();
  function line(): string {
    const n = ++board.lines;
    if (n % 23 === 0) return 'accX accY accZ oops'; // not numeric
    if (n % 37 === 0) return '1.0,2.0'; // a value missing
    const t = n / 10;
    const noise = () => (Math.sin(n * 12.9898) * 43758.5453) % 1 * 0.05;
    return board.gesture === 'wave'
      ? `${(Math.sin(t) + noise()).toFixed(3)},${(0.1 + noise()).toFixed(3)},${(0.98 + noise()).toFixed(3)}`
      : `${(0.1 + noise()).toFixed(3)},${(Math.sin(t * 3) * 2 + noise()).toFixed(3)},${(0.5 + noise()).toFixed(3)}`;
  }
  class SensorPort {
    readable: ReadableStream<Uint8Array> | null = null;
    writable: WritableStream<Uint8Array> | null = null;
    private timer: ReturnType<typeof setTimeout> | undefined;
    async open(options: { baudRate: number }): Promise<void> {
      if (options.baudRate !== 115200) throw new DOMException(`test board runs at 115200 baud, not ${options.baudRate}`, 'NetworkError');
      this.readable = new ReadableStream<Uint8Array>({
        start: (controller) => {
          // Lines fall due on the clock (a busy page's late timer sends the overdue ones at once, as USB would).
          let due = performance.now();
          const send = () => {
            let text = '';
            while (due <= performance.now()) { text += line() + '\r\n'; due += 1000 / board.rateHz; }
            if (text) controller.enqueue(encoder.encode(text));
            this.timer = setTimeout(send, 5);
          };
          controller.enqueue(encoder.encode('partial line at conne'));
          send();
        },
        cancel: () => clearTimeout(this.timer),
      });
      this.writable = new WritableStream<Uint8Array>({ write() {} });
    }
    async close(): Promise<void> { clearTimeout(this.timer); this.readable = null; this.writable = null; }
  }
  const serial = { async requestPort() { return new SensorPort(); }, async getPorts() { return []; }, addEventListener() {}, removeEventListener() {} };
  Object.defineProperty(navigator, 'serial', { value: serial, configurable: true });
}

const RECORDED_TOML = `[bench]
name = "gestures_int8"
seed = 1
first_run = 1
last_run = 1

[learningframework]
kind = "PyTorch"

[dataset]
kind = "Recorded"
params.name = "gestures"

[[preprocessing]]
kind = "Class2BinMatrix"

[[postprocessing]]
kind = "QuantizationAwareTraining"
export = true
params.epochs = 0
params.model.params.quant_params.bits = 8
params.model.params.quant_params.quantype = "fxp"
params.model.params.quant_params.roundtype = "nearest"
params.model.params.quant_params.range_setting = "minmax"
params.model.params.quant_params.LSQ = false

[model_template]
kind = "MLP"
epochs = 30
batch_size = 4

[[model]]
name = "gestures_mlp"
params.units = [16, 16]

[deploy]
target = "Linux"
converter.kind = "QualiaCodeGen"
quantize = ["int8"]
optimize = [""]
`;

let browser: { context: BrowserContext; close: () => Promise<void> };
beforeAll(async () => {
  browser = await launchBrowser();
  await browser.context.addInitScript(installSensorBoard);
});
afterAll(async () => { await browser?.close(); });

async function setBoard(page: Page, change: { gesture?: 'wave' | 'shake'; rateHz?: number }): Promise<void> {
  await page.evaluate((c) => Object.assign((window as unknown as { __moteBoard: object }).__moteBoard, c), change);
}

async function recordWindow(page: Page, label: string): Promise<string> {
  const recorder = page.getByTestId('serial-recorder');
  await recorder.getByTestId('record-label').fill(label);
  const before = await recorder.getByTestId('record-message').textContent().catch(() => '');
  await recorder.getByRole('button', { name: 'Record' }).click();
  await expect.poll(async () => {
    if (await recorder.getByTestId('record-error').count()) return `error: ${await recorder.getByTestId('record-error').textContent()}`;
    const message = await recorder.getByTestId('record-message').textContent().catch(() => '');
    return message && message !== before ? message : '';
  }, { timeout: 20_000, interval: 100 }).not.toBe('');
  if (await recorder.getByTestId('record-error').count()) return `error: ${await recorder.getByTestId('record-error').textContent()}`;
  return (await recorder.getByTestId('record-message').textContent()) ?? '';
}

test('records two gestures from a Web Serial board (bad lines counted, not kept), keeps them over a reload, trains and evaluates on the Wasm board', async () => {
  let page = await openApp(browser.context, inject('appUrl'));
  await goTo(page, 'Data');
  const recorder = page.getByTestId('serial-recorder');
  await recorder.getByRole('button', { name: 'Connect board…' }).click();
  await expect.poll(() => recorder.getByTestId('serial-rate').textContent(), { timeout: 15_000 }).toMatch(/^(4[5-9]|5[0-5]) \/s$/);
  expect(await recorder.getByTestId('serial-status').textContent()).toMatch(/of 3 axes \(value1, value2, value3\)/);
  await expect.poll(() => recorder.getByTestId('serial-bad').textContent(), { timeout: 10_000 }).toMatch(/^[1-9]\d* bad lines refused$/);
  expect(await recorder.getByRole('list', { name: 'Refused lines' }).textContent()).toMatch(/line \d+/);

  await recorder.getByTestId('record-steps').fill('20');
  await recorder.getByTestId('record-countdown').fill('0');
  for (const [gesture, times] of [['wave', 5], ['shake', 5]] as const) {
    await setBoard(page, { gesture });
    for (let i = 0; i < times; i++) expect(await recordWindow(page, gesture)).toMatch(new RegExp(`^Saved '${gesture}' #${i + 1} to 'gestures'`));
  }
  // A board whose sketch now runs at another rate: the window is refused, naming the sample, and nothing kept.
  await setBoard(page, { rateHz: 25 });
  await new Promise((r) => setTimeout(r, 2500));
  const refused = await recordWindow(page, 'wave');
  expect(refused).toMatch(/^error: 'wave' #11: 20 readings in [\d.]+ s is (1\d|2\d|3[0-2])(\.\d)? \/s instead of the dataset's (4[3-9]|5\d)(\.\d+)? \/s; the window would not cover the same time as the others, so it was not kept/);
  await recorder.getByRole('button', { name: 'Disconnect' }).click();

  // Reload: the dataset is still there, with its classes and counts.
  await page.close();
  page = await openApp(browser.context, inject('appUrl'));
  await goTo(page, 'Data');
  const table = page.getByTestId('recorded-datasets');
  await expect.poll(() => table.locator('tbody tr').first().textContent(), { timeout: 10_000 }).toMatch(/gestures\s*wave 5, shake 5\s*\[20 × 3\]/);

  // Train on it by name and evaluate the int8 C on the Wasm board.
  await importExperiment(page, 'gestures.toml', RECORDED_TOML);
  await page.getByTestId('run-button').click();
  await expect.poll(() => page.getByTestId('run-button').isEnabled(), { timeout: 170_000, interval: 500 }).toBe(true);
  const stages = page.getByTestId('stages').locator('li');
  const statuses = await stages.evaluateAll((items) => items.map((li) => [li.getAttribute('data-stage'), li.getAttribute('data-status'), li.querySelector('.message')?.textContent ?? ''] as string[]));
  expect(statuses[1].slice(0, 2), statuses[1][2]).toEqual(['preprocess_data', 'completed']);
  expect(statuses[1][2]).toMatch(/gestures: train \d+, test \d+; 2 classes; sample shape \[20, 3\]/);
  expect(statuses[2].slice(0, 2), statuses[2][2]).toEqual(['train', 'completed']);
  const evaluated = statuses.find((s) => s[0] === 'deploy_and_evaluate');
  expect(evaluated?.[1], evaluated?.[2]).toBe('completed');
  expect(evaluated?.[2]).toMatch(/int8 on the Wasm board: accuracy [\d.]+ % \(reference [\d.]+ %\), bit-exact, \d+ vectors/);
  expect(pageErrors(page)).toEqual([]);
  await page.close();
});
