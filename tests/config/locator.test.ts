import { describe, expect, test } from 'vitest';
import { locateKeys } from '../../src/core/config/locator';

const text = [
  '# comment [not.a.table]', //            1
  'top = "a # not a comment"', //          2
  '[bench]', //                            3
  'name = """multi', //                    4
  'line [x] = 1"""', //                    5
  '[[model]]', //                          6
  'name = "a"', //                         7
  '  params.filters = [ 1,', //            8
  '    2 ]', //                            9
  '[model.optimizer]', //                  10
  'kind = "Adam"', //                      11
  '[[model]]', //                          12
  "params = { units = [8, 9], 'odd key'.x = 1 }", // 13
  '[[model.layers]]', //                   14
  'kind = "x"', //                         15
  '"quoted.key" = 2', //                   16
].join('\n');

describe('TOML key locator', () => {
  const at = (path: string) => { const p = locateKeys(text).find(path); return p && `${p.line}:${p.column}`; };

  test('tables, arrays of tables and dotted keys', () => {
    expect(at('top')).toBe('2:1');
    expect(at('bench')).toBe('3:2');
    expect(at('bench.name')).toBe('4:1');
    expect(at('model[0]')).toBe('6:1');
    expect(at('model[0].name')).toBe('7:1');
    expect(at('model[0].params')).toBe('8:3');
    expect(at('model[0].params.filters')).toBe('8:10');
    expect(at('model[0].optimizer.kind')).toBe('11:1');
    expect(at('model[1]')).toBe('12:1');
  });

  test('array elements, inline tables, quoted keys and nested arrays of tables', () => {
    expect(at('model[0].params.filters[0]')).toBe('8:22');
    expect(at('model[0].params.filters[1]')).toBe('9:5');
    expect(at('model[1].params.units')).toBe('13:12');
    expect(at('model[1].params.units[1]')).toBe('13:24');
    expect(at('model[1].params."odd key".x')).toBe('13:38');
    expect(at('model[1].layers[0].kind')).toBe('15:1');
    expect(at('model[1].layers[0]."quoted.key"')).toBe('16:1');
  });

  test('keys that are only inside strings or comments are not found', () => {
    expect(at('not')).toBeUndefined();
    expect(at('x')).toBeUndefined();
    expect(at('bench.x')).toBeUndefined();
  });

  test('never throws on text it does not follow', () => {
    for (const broken of ['[', '[[a', 'a = [1, {', 'a = """', '= 1', '"\\u', '[a]\n"b', "a = '''x"]) {
      expect(() => locateKeys(broken).find('a')).not.toThrow();
    }
  });
});

describe('TOML key locator on Windows and BOM text', () => {
  test('CRLF line ends and a byte-order mark do not shift positions', () => {
    const locator = locateKeys('\uFEFF[bench]\r\nname = "x"\r\n[[model]]\r\n  epochs = 1\r\n');
    expect(locator.find('bench')).toEqual({ line: 1, column: 3 });
    expect(locator.find('bench.name')).toEqual({ line: 2, column: 1 });
    expect(locator.find('model[0].epochs')).toEqual({ line: 4, column: 3 });
  });
});
