import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.MOTE_CHROMIUM ?? '/usr/bin/chromium';

/** A fresh persistent Chromium profile (IndexedDB survives reloads), with or without a WebGPU adapter. */
export async function launchBrowser(options: { webgpu?: boolean; fakeMedia?: boolean; media?: 'no-devices' | 'denied' } = {}): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'mote-e2e-'));
  const args = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
  if (options.webgpu) args.push('--enable-unsafe-webgpu');
  // Chromium's built-in test camera and microphone, allowed without the permission prompt.
  if (options.fakeMedia) args.push('--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream');
  // The failures a user meets: a computer without camera or microphone (allowed, but none there), or the
  // permission refused (the test devices exist, every permission prompt is answered "Block").
  if (options.media === 'no-devices') args.push('--use-fake-ui-for-media-stream');
  if (options.media === 'denied') args.push('--use-fake-device-for-media-stream', '--deny-permission-prompts');
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args, viewport: { width: 1280, height: 800 } });
  return { context, close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); } };
}
