import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { renderEmbedded } from '../../firmware-templates/embed.mjs';

describe('embedded firmware templates', () => {
  it('src/core/deploy/firmware-sources.generated.ts matches firmware-templates/ (run `node firmware-templates/embed.mjs`)', () => {
    const current = readFileSync(new URL('../../src/core/deploy/firmware-sources.generated.ts', import.meta.url), 'utf8');
    expect(current === renderEmbedded()).toBe(true);
  });
});
