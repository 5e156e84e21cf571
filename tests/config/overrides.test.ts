import { describe, expect, test } from 'vitest';
import { overridesToTable, parseOverride, readValue } from '../../src/core/config/overrides';

const value = (raw: string) => {
  const r = readValue(raw);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('override values', () => {
  test('TOML values', () => {
    expect(value('1')).toBe(1);
    expect(value('1.5')).toBe(1.5);
    expect(value('true')).toBe(true);
    expect(value('"Linux"')).toBe('Linux');
    expect(value("'Linux'")).toBe('Linux');
    expect(value('[1, 2]')).toEqual([1, 2]);
    expect(value('{ a = 1, b.c = "x" }')).toEqual({ a: 1, b: { c: 'x' } });
  });

  test("Qualia's doubly quoted strings, with or without a shell in between", () => {
    expect(value('"Linux"')).toBe('Linux'); // the shell removed the outer quotes of '"Linux"'
    expect(value(`'"Linux"'`)).toBe('Linux'); // no shell: one level of Python quotes stripped
    expect(value(`"'Linux'"`)).toBe('Linux');
  });

  test('Python literals as Qualia accepted them', () => {
    expect(value('True')).toBe(true);
    expect(value('False')).toBe(false);
    expect(value("['int8', 'int16']")).toEqual(['int8', 'int16']);
    expect(value('(1, 2,)')).toEqual([1, 2]);
    expect(value("{'lr': 0.1, 'betas': (0.9, 0.99)}")).toEqual({ lr: 0.1, betas: [0.9, 0.99] });
    expect(value('[True, False]')).toEqual([true, false]);
    const none = readValue('None');
    expect(none.ok).toBe(false);
    expect(!none.ok && none.message).toMatch(/None has no TOML equivalent/);
  });

  test('anything else is a bare string', () => {
    expect(value('Linux')).toBe('Linux');
    expect(value('data/UCI HAR Dataset/')).toBe('data/UCI HAR Dataset/');
    expect(value('[1, 2')).toBe('[1, 2');
    expect(value('')).toBe('');
  });
});

describe('override arguments', () => {
  test('path components, integer ones kept for list positions', () => {
    const r = parseOverride('--model.0.params.filters=[8, 16]');
    expect(r).toEqual({ ok: true, override: { path: ['model', '0', 'params', 'filters'], value: [8, 16], text: '--model.0.params.filters=[8, 16]' } });
  });

  test('the value may contain "="', () => {
    const r = parseOverride('--dataset.params.path=a=b');
    expect(r.ok && r.override.value).toBe('a=b');
  });

  test('malformed arguments are explained', () => {
    const message = (arg: string) => { const r = parseOverride(arg); return r.ok ? '' : r.message; };
    expect(message('model.0.epochs=5')).toMatch(/not an override; write --section.key=value/);
    expect(message('--model.0.epochs')).toMatch(/has no '='/);
    expect(message('--model..epochs=1')).toMatch(/empty key component/);
    expect(message('--a b=1')).toMatch(/not a plain key/);
    expect(message('--__proto__.x=1')).toMatch(/cannot be used as a key/);
  });

  test('overrides nest into one table like Qualia args; a later one wins', () => {
    const parsed = ['--model.0.epochs=5', '--model.0.batch_size=8', '--bench.name=a', '--bench.name=b'].map((a) => {
      const r = parseOverride(a);
      if (!r.ok) throw new Error(r.message);
      return r.override;
    });
    expect(overridesToTable(parsed)).toEqual({ table: { model: { 0: { epochs: 5, batch_size: 8 } }, bench: { name: 'b' } }, problems: [] });
  });
});
