// Attacks through names and paths (issue: hardening): a shared experiment must not put text into generated C
// outside a string-safe escape, nor a file outside the workspace. Each test here failed on the code before
// the fix: the model name went unescaped into C comments, `bench.name = "../…"` and an absolute converter
// outdir were valid, and the workspaces wrote wherever a path pointed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cText } from '../../src/core/codegen/c-text';
import { generateC } from '../../src/core/codegen/emit';
import { decodeShareFragment, encodeShareLink } from '../../src/core/config/share';
import { loadExperiment } from '../../src/core/config/load';
import { nodeWorkspace } from '../../src/core/base/workspace.node';
import { runWorkspace } from '../../src/core/experiments/run-workspace';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { openDexieStore } from '../../src/core/experiments/dexie-store';
import { requireTools } from '../firmware/helpers';
import { softmaxModel } from '../codegen/zoo';

const root = resolve(__dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'mote-hostile-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const HOSTILE_NAMES = [
  'x */ __attribute__((constructor)) static void pwn(void) { __builtin_trap(); } /* ',
  'a"b\\c??=d\ne\r\u0000f',
  '*/#include "/etc/passwd"/*',
  '//\\\nint pwn;',
  'name with ünïcödé and \u2028 separators',
];

describe('cText: the one escape for outside text in generated C', () => {
  it('never lets a comment close or a string end early', () => {
    for (const name of HOSTILE_NAMES) {
      const comment = cText(name, 'comment');
      expect(comment).not.toMatch(/\*\/|\/\*/);
      expect(comment).toMatch(/^[\x20-\x7e]*$/);
      const literal = cText(name, 'string');
      // Inside the quotes: only escapes or characters that cannot end the literal or form a trigraph.
      expect(literal.slice(1, -1)).toMatch(/^(?:\\[0-7]{3}|\\["\\?]|[^"\\?\x00-\x1f\x7f-\uffff])*$/);
    }
  });

  it.runIf(requireTools('gcc', 'nm'))('generated C with a hostile display name compiles, defines nothing extra and prints the name back', () => {
    const model = { format: 'float32' as const, graph: softmaxModel() };
    for (const [index, name] of HOSTILE_NAMES.entries()) {
      const { files } = generateC(model, { displayName: name });
      const folder = mkdtempSync(join(scratch, `c${index}-`));
      for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, file), text);
      writeFileSync(join(folder, 'main.c'), '#include <stdio.h>\n#include "model.h"\nint main(void) { fputs(MODEL_NAME_STRING, stdout); return 0; }\n');
      execFileSync('gcc', ['-std=c99', '-Wall', '-Werror', '-trigraphs', '-c', 'model.c', '-o', 'model.o'], { cwd: folder });
      const symbols = execFileSync('nm', ['model.o'], { cwd: folder, encoding: 'utf8' });
      expect(symbols).not.toMatch(/\bpwn\b/);
      execFileSync('gcc', ['-std=c99', '-Wall', '-Werror', '-trigraphs', 'main.c', 'model.o', '-o', 'main', '-lm'], { cwd: folder });
      const printed = execFileSync(join(folder, 'main'), { encoding: 'latin1' });
      const expected = [...name].map((c) => (c.codePointAt(0)! >= 0x20 && c.codePointAt(0)! <= 0x7e ? c : c.codePointAt(0)! <= 0xff ? c : '?')).join('');
      expect(printed).toBe(expected.split('\u0000')[0]);
    }
  });
});

describe('workspaces keep every path inside', () => {
  const outside = ['../escaped.txt', '/tmp/mote-escaped.txt', 'out/../../escaped.txt', 'out\\..\\..\\escaped.txt', 'C:/escaped.txt', 'a\0b'];

  it('the Node workspace refuses paths that leave it, and writes nothing', async () => {
    const dir = mkdtempSync(join(scratch, 'ws-'));
    const workspace = nodeWorkspace(join(dir, 'inner'));
    for (const path of outside) {
      await expect(workspace.writeFile(path, 'x'), path).rejects.toThrow(/absolute|'\.\.'|NUL|leaves the workspace/);
      await expect(workspace.readText(path), path).rejects.toThrow(/absolute|'\.\.'|NUL|leaves the workspace/);
    }
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync('/tmp/mote-escaped.txt')).toBe(false);
    await workspace.writeFile('out/./a//b.txt', 'inside');
    expect(readFileSync(join(dir, 'inner/out/a/b.txt'), 'utf8')).toBe('inside');
  });

  it("the browser's run workspace refuses them too", async () => {
    const store = await openDexieStore({ name: 'hostile', indexedDB: new IDBFactory(), IDBKeyRange });
    const workspace = runWorkspace(store, 'run-1');
    for (const path of outside) await expect(workspace.writeFile(path, 'x'), path).rejects.toThrow(/absolute|'\.\.'|NUL/);
  });
});

describe('hostile experiments are refused before anything runs', () => {
  const sample = (name: string) => readFileSync(join(root, 'tests/samples/hostile/config', name, 'input.toml'), 'utf8');

  it('a share link carrying a refused name decodes to text whose diagnostics name the key', () => {
    const link = encodeShareLink(sample('name-closes-c-comment'), 'https://mote.example/');
    const text = decodeShareFragment(link);
    const { experiment, diagnostics } = loadExperiment(text, { file: 'shared link' });
    expect(experiment).toBeUndefined();
    expect(diagnostics.filter((d) => d.severity === 'error').map((d) => d.path)).toEqual(['model[0].name']);
  });

  it('the CLI exits 2 on a hostile name and writes nothing (prepare_deploy on Linux would have compiled it)', () => {
    const dir = mkdtempSync(join(scratch, 'cli-'));
    writeFileSync(join(dir, 'hostile.toml'), sample('name-closes-c-comment').replace(/params\.path = .*/, ''));
    const run = spawnSync(process.execPath, [join(root, 'bin/mote.js'), 'hostile.toml', 'preprocess_data', 'train', 'prepare_deploy', 'deploy_and_evaluate'], { cwd: dir, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('model[0].name');
    expect(readdirSync(dir)).toEqual(['hostile.toml']);
  });
});
