// Completion in the experiment editor: keys per Qualia section, kind names and their parameters from the
// registries (through the catalog), section names in headers.
import { CompletionContext } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';
import { expect, test } from 'vitest';
import { qualiaCompletion } from '../../src/ui/editor/completion';

/** Completion labels at the `|` marker of `text`. */
function labelsAt(text: string, explicit = false): string[] {
  const pos = text.indexOf('|');
  const state = EditorState.create({ doc: text.replace('|', '') });
  const result = qualiaCompletion(new CompletionContext(state, pos, explicit));
  if (!result) return [];
  const typed = state.sliceDoc(result.from, pos);
  return result.options.map((o) => o.label).filter((l) => l.startsWith(typed));
}

test('keys of the section the cursor is in', () => {
  expect(labelsAt('[bench]\nname = "x"\nse|')).toEqual(['seed']);
  expect(labelsAt('[model_template]\nkind = "CNN"\nep|')).toEqual(['epochs']);
  expect(labelsAt('[[model]]\nname = "m"\ndis|')).toEqual(['disabled']);
  expect(labelsAt('[deploy]\nq|')).toEqual(['quantize']);
  expect(labelsAt('[deploy]\nconverter.|', true)).toEqual(['kind', 'params']);
});

test('section names inside a header', () => {
  expect(labelsAt('[bench]\n\n[[mod|')).toEqual(['model_template', 'model']);
  expect(labelsAt('[dep|')).toEqual(['deploy']);
});

test('kind names come from the registries', () => {
  expect(labelsAt('[[model]]\nkind = "CN|')).toContain('CNN');
  expect(labelsAt('[dataset]\nkind = "|', true)).toEqual(expect.arrayContaining(['Digits', 'UCI_HAR', 'FashionMNIST']));
  // A key that takes no kind offers nothing.
  expect(labelsAt('[bench]\nname = "|', true)).toEqual([]);
});

test("a kind's parameters, from its params schema", () => {
  expect(labelsAt('[[model]]\nname = "m"\nkind = "CNN"\nparams.fil|')).toEqual(['filters']);
  expect(labelsAt('[[model]]\nkind = "CNN"\n\n[model.params]\nfil|')).toEqual(['filters']); // a [x.params] table
});
