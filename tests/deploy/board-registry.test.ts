// The board registry and how an environment reaches a board: what the engine reads instead of testing a
// target's name. Environments here are declared with the connectors' kinds only; opening a board is
// covered by tests/firmware (QEMU, Wasm, serial) and tests/pipeline (Linux).
import { describe, expect, it } from 'vitest';
import { UnsupportedError } from '../../src/core/base/errors';
import type { BoardEnvironment, BatchRunner, StreamConnector } from '../../src/core/deploy/environment';
import { chooseBoard, reachBoard } from '../../src/core/deploy/environment';
import { allBoards, boardOf, targetKinds } from '../../src/core/deploy/registry';
import { toolchainKinds } from '../../src/core/deploy/toolchains';
import { transportKinds } from '../../src/core/deploy/transports';
import type { Toolchain } from '../../src/core/deploy/toolchain';

const unused = async (): Promise<never> => { throw new Error('not opened in this test'); };
const connector = (kind: StreamConnector['kind']): StreamConnector => ({ kind, open: unused });
const toolchain = (kind: Toolchain['kind']): Toolchain => ({ kind, build: unused });

/** What the app offers: clang-as-Wasm and the Wasm worker, nothing that spawns programs. */
const browser: BoardEnvironment = { where: 'browser', toolchains: { wasm: toolchain('wasm') }, transports: { 'wasm-worker': connector('wasm-worker') } };

describe('board registry', () => {
  it('keys every board by its own kind name', () => {
    for (const [name, board] of Object.entries(targetKinds)) expect(board.kind).toBe(name);
  });

  it('declares only registered toolchains and transports, and a firmware template for firmware builds', () => {
    for (const board of allBoards()) {
      expect(board.build.toolchains.length, board.kind).toBeGreaterThan(0);
      for (const kind of board.build.toolchains) expect(Object.keys(toolchainKinds), board.kind).toContain(kind);
      expect(board.transports.length, board.kind).toBeGreaterThan(0);
      for (const kind of board.transports) expect(Object.keys(transportKinds), board.kind).toContain(kind);
      if (board.build.kind === 'firmware') expect(board.build.firmware, board.kind).toMatch(/^[a-z0-9-]+$/);
      // A host build is fed a file (batch); a firmware speaks the protocol over a stream.
      const family = board.build.kind === 'host' ? 'batch' : 'stream';
      for (const kind of board.transports) expect(transportKinds[kind].family, `${board.kind} via ${kind}`).toBe(family);
    }
  });

  it('refuses an unknown target with the boards it has and a suggestion', () => {
    expect(() => boardOf('VirtualCortexM5')).toThrow(UnsupportedError);
    expect(() => boardOf('VirtualCortexM5')).toThrow(/deploy.target 'VirtualCortexM5' is not supported by Mote yet \(did you mean 'VirtualCortexM4'\?\); supported: ESP32C3, Linux, MicrobitV2, NucleoL452REP, RaspberryPiPico, VirtualCortexM4, VirtualPico, VirtualRV32, Wasm/);
  });

  it('reports clocks and capacities only where the board has them', () => {
    expect(boardOf('NucleoL452REP').reports.clockHz({ core_clock_48mhz: true } as never)).toBe(48e6);
    expect(boardOf('NucleoL452REP').reports.clockHz({ core_clock_48mhz: false } as never)).toBe(80e6);
    expect(boardOf('NucleoL452REP').capacity.flashBytes).toBe(512 * 1024);
    expect(boardOf('Linux').capacity.flashBytes).toBeNull();
  });
});

describe('reaching a board', () => {
  it('takes the first toolchain and transport the board accepts that the environment has', () => {
    const env: BoardEnvironment = {
      where: 'node',
      toolchains: { hosted: toolchain('hosted'), local: toolchain('local') },
      transports: { hosted: connector('hosted'), qemu: connector('qemu') },
    };
    const reached = reachBoard(boardOf('VirtualCortexM4'), env);
    expect(reached.ok).toBe(true);
    if (!reached.ok) return;
    expect(reached.toolchain.kind).toBe('local');
    expect(reached.transport.kind).toBe('qemu');
  });

  it('says what is missing, naming what to install', () => {
    const linux = reachBoard(boardOf('Linux'), browser);
    expect(linux).toMatchObject({ ok: false, reason: expect.stringMatching(/^Linux builds with host-cc \(gcc .*\), and none is available in this browser$/) });
    const nucleo = reachBoard(boardOf('NucleoL452REP'), { ...browser, toolchains: { ...browser.toolchains, hosted: toolchain('hosted') } });
    expect(nucleo).toMatchObject({ ok: false, reason: expect.stringMatching(/^NucleoL452REP is reached through serial \(.*\) or webserial \(.*\), and none is available in this browser$/) });
  });

  it('uses deploy.target when it is reachable, with no notice', () => {
    const chosen = chooseBoard(boardOf('Wasm'), browser, boardOf('Wasm'));
    expect(chosen.reached.ok && chosen.reached.board.kind).toBe('Wasm');
    expect('notice' in chosen ? chosen.notice : undefined).toBeUndefined();
  });

  it('never switches silently: the fallback comes with the sentence that says why', () => {
    const chosen = chooseBoard(boardOf('VirtualCortexM4'), browser, boardOf('Wasm'));
    expect(chosen.reached.ok && chosen.reached.board.kind).toBe('Wasm');
    expect('notice' in chosen && chosen.notice).toMatch(/^used board Wasm because deploy.target VirtualCortexM4 cannot run here: VirtualCortexM4 builds with local \(.*\) or hosted \(.*\), and none is available in this browser$/);
  });

  it('fails plainly when neither the target nor the fallback can run', () => {
    const bare: BoardEnvironment = { where: 'browser', toolchains: {}, transports: {} };
    const chosen = chooseBoard(boardOf('VirtualCortexM4'), bare, boardOf('Wasm'));
    expect(chosen.reached.ok).toBe(false);
    expect(chosen.reached.board.kind).toBe('VirtualCortexM4');
  });
});

describe('a process-only board', () => {
  it('is reached through a batch runner', () => {
    const runner: BatchRunner = { kind: 'process', run: unused, size: unused };
    const reached = reachBoard(boardOf('Linux'), { where: 'node', toolchains: { 'host-cc': { kind: 'host-cc', cc: 'cc' } }, transports: { process: runner } });
    expect(reached.ok && reached.transport.kind).toBe('process');
  });
});
