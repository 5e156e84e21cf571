// The one bound on how deeply an experiment may nest, checked wherever text becomes a tree (files, share
// links, command-line overrides) before anything walks the tree recursively.

import { isTable } from '../base/schema';

/**
 * How deeply tables and lists may nest. A Qualia experiment needs about 6 levels (model.params.quant_params…);
 * the cap keeps every later step (merge, validation, the key locator) far from the call-stack limit, whatever
 * a share link or file holds (a dotted key thousands of levels deep fits in 12 KB).
 */
export const MAX_NESTING = 32;

/** How many tables/lists nest inside `value` (0 for a scalar), measured without recursion. */
export function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    const children = Array.isArray(item) ? item : isTable(item) ? Object.values(item) : undefined;
    if (!children) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_NESTING) return deepest; // deep enough to refuse; no need to walk the rest
    for (const child of children) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Bracket nesting of a literal's text ([, {, ( outside quotes), so a value is refused before a parser recurses. */
export function bracketDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{' || c === '(') deepest = Math.max(deepest, ++depth);
    else if (c === ']' || c === '}' || c === ')') depth--;
  }
  return deepest;
}
