// Node resolve hook for the `mote` command (Vite and vitest already resolve both cases below):
// - core modules name their Node-only adapters `*.node.ts` and import them without an extension; Node
//   would take `x.node` for a native addon, so relative `.node` specifiers are tried as `.node.ts` first;
// - tfjs-core's gradient registrations exist only as bundler-style ESM (`dist/register_all_gradients`,
//   whose files import `./gradients` without extensions), so inside @tensorflow packages an extensionless
//   relative import is tried as `.js`, then `/index.js`. tfjs keeps its registries on globalThis, so
//   these files register into the same engine as the package's main entry.
export async function resolve(specifier, context, nextResolve) {
  if (specifier.endsWith('.node') && (specifier.startsWith('./') || specifier.startsWith('../'))) {
    try {
      return await nextResolve(`${specifier}.ts`, context);
    } catch {
      // not a TypeScript adapter: fall through to the normal resolution
    }
  }
  const fromTfjs = context.parentURL?.includes('/node_modules/@tensorflow/');
  const bare = /^@tensorflow\/[^/]+\/dist\//.test(specifier);
  if ((fromTfjs && specifier.startsWith('.')) || bare) {
    if (!/\.(c|m)?js$/.test(specifier)) {
      for (const candidate of [`${specifier}.js`, `${specifier}/index.js`]) {
        try {
          return await nextResolve(candidate, context);
        } catch {
          // try the next form
        }
      }
    }
  }
  return nextResolve(specifier, context);
}
