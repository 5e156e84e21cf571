// Node resolve hook: core modules name their Node-only adapters `*.node.ts` and import them without an
// extension (as Vite and vitest resolve them). Node would take `x.node` for a native addon, so relative
// specifiers ending in `.node` are tried as `.node.ts` first.
export async function resolve(specifier, context, nextResolve) {
  if (specifier.endsWith('.node') && (specifier.startsWith('./') || specifier.startsWith('../'))) {
    try {
      return await nextResolve(`${specifier}.ts`, context);
    } catch {
      // not a TypeScript adapter: fall through to the normal resolution
    }
  }
  return nextResolve(specifier, context);
}
