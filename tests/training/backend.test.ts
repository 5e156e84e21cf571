import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BackendError, selectBackend } from '../../src/core/training/backend';

describe('backend selection in Node', () => {
  it('falls back from WebGPU (no navigator.gpu) to wasm with SIMD and Mote\'s gradient kernels, and says so', async () => {
    const messages: string[] = [];
    const info = await selectBackend({ order: ['webgpu', 'wasm', 'cpu'], onMessage: (m) => messages.push(m) });
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.messages).toContain('backend webgpu skipped: no navigator.gpu');
    expect(info.details).toMatch(/SIMD on, threads off/);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('honours a preferred backend', async () => {
    expect((await selectBackend({ preferred: 'cpu' })).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('explains when no backend can train', async () => {
    await expect(selectBackend({ order: ['webgpu'] })).rejects.toThrow(BackendError);
    await expect(selectBackend({ order: ['webgpu'] })).rejects.toThrow(/no tfjs backend can train here \(tried webgpu\)/);
  });
});
