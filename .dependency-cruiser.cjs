// Mote's house rules as dependency-cruiser rules (docs/engineering.md has the map they enforce).
// `npm test` runs them through tests/architecture/house-rules.test.ts, one test per rule, so a violation
// fails with the rule's name; `npx depcruise src` prints the same verdicts by hand.
//
// Rules that speak of what a module *reaches* (config never loads tfjs, …) follow static imports only:
// a dynamic `import()` is how behaviour loads lazily, so it is allowed to cross. Those reachability rules
// live in the test (dependency-cruiser's own `reachable` follows dynamic imports too).

/**
 * The areas of src/core from the bottom up: an area may import the areas below it, never one above.
 * base holds what every area uses (schema combinators, kinds, errors, rng, naming, workspace, typed JSON);
 * layers is the layer table (one folder per layer kind, with every stage's facet of it) that the IR
 * (models) and every stage above read; runtime is the Mote Runtime's model blob and its wasm image, between the
 * code generator whose arena planner it shares and the evaluation that loads blobs onto boards; catalog gathers the registries for config validation; pipeline is
 * the engine on top.
 */
const coreLayers = [
  'base',
  'data',
  'preprocessing',
  'augmentation',
  'layers',
  'models',
  'training',
  'quantization',
  'postprocessing',
  'codegen',
  'runtime',
  'evaluation',
  'capture',
  'deploy',
  'experiments',
  'catalog',
  'config',
  'pipeline',
];

const areaPath = (area) => (area === 'catalog' ? '^src/core/catalog\\.ts$' : `^src/core/${area}/`);

const layerRules = coreLayers.slice(0, -1).map((area, index) => ({
  name: `core-layers: ${area} imports nothing above it`,
  comment: `Areas of src/core stack as ${coreLayers.join(' < ')}; ${area} may not import ${coreLayers.slice(index + 1).join(', ')}.`,
  severity: 'error',
  from: { path: areaPath(area) },
  to: { path: coreLayers.slice(index + 1).map(areaPath).join('|') },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No file imports itself through others (type-only imports count: they couple the files as much).',
      severity: 'error',
      from: { path: '^(src|server)/' },
      to: { circular: true },
    },
    {
      name: 'core-stays-pure',
      comment: 'src/core never imports the UI, the workers, the browser devices, the CLI or the server.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(ui|workers|devices|cli)/|^src/main\\.ts$|^server/' },
    },
    {
      name: 'core-no-browser-only-modules',
      comment: 'Browser-only libraries (UI, device flashing, worker RPC) stay in src/ui, src/devices, src/workers.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: 'node_modules/(svelte|@codemirror|@lezer|uplot|comlink|esptool-js|@microbit|vite-plugin-pwa|workbox-)' },
    },
    {
      name: 'core-node-only-in-node-files',
      comment: 'Node built-ins (fs, child_process, …) only in src/core files named *.node.ts (the Node adapters); a dynamic import behind a runtime check is allowed.',
      severity: 'error',
      from: { path: '^src/core/', pathNot: '\\.node\\.ts$' },
      to: { dependencyTypes: ['core'], dependencyTypesNot: ['type-only', 'type-import'], dynamic: false },
    },
    {
      name: 'core-no-node-adapters-from-shared-code',
      comment: 'Code that runs in the browser too must not import a *.node.ts adapter (only other Node code may).',
      severity: 'error',
      from: { path: '^src/(core|ui|workers|devices)/', pathNot: '\\.node\\.ts$' },
      to: { path: '\\.node\\.ts$' },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.svelte.ts', '.js', '.mjs', '.svelte', '.json'] },
    exclude: { path: '\\.test\\.ts$' },
  },
};
