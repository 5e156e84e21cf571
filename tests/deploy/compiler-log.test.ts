import { describe, expect, it } from 'vitest';
import { redactForeignDiagnostics } from '../../src/core/deploy/compiler-log';

const files = ['model/model.c', 'model/model.h', 'template/common/mote_main.c'];

describe('compiler messages quote only the submitted files', () => {
  it('keeps diagnostics and source excerpts of submitted files', () => {
    const log = "model/model.c:3:1: error: unknown type name 'foo'\n    3 | foo x;\n      | ^~~\ncompilation terminated.";
    expect(redactForeignDiagnostics(log, files)).toBe(log);
  });

  it('hides the text of diagnostics about any other file but keeps where they are', () => {
    const log = [
      'In file included from model/model.c:1:',
      "/usr/share/dict/words:1:1: error: unknown type name 'Aarhus'",
      '    1 | Aarhus',
      '      | ^~~~~~',
      "/usr/share/dict/words: In function 'Secret':",
      "model/model.c:9:2: warning: unused variable 'y'",
      '    9 |  int y;',
    ].join('\n');
    const out = redactForeignDiagnostics(log, files);
    expect(out).not.toMatch(/Aarhus|Secret/);
    expect(out).toContain('/usr/share/dict/words:1: (message not shown');
    expect(out).toContain('In file included from model/model.c:1:');
    expect(out).toContain("model/model.c:9:2: warning: unused variable 'y'");
    expect(out).toContain('    9 |  int y;');
  });

  it("keeps the assembler's messages about the compiler's own intermediate file", () => {
    const log = '/tmp/ccEx0bk8.s: Assembler messages:\n/tmp/ccEx0bk8.s:16: Error: file not found: /etc/hostname';
    expect(redactForeignDiagnostics(log, files)).toBe(log);
  });
});
