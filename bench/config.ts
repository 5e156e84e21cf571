// Config loader and share-link figures over the real Qualia configs in ../shared/qualia-conf:
// time to load each experiment (parse + locate + merge + validate with the real catalog) and the length of
// its share link. Run: npx tsx bench/config.ts
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadExperiment } from '../src/core/config/load';
import { encodeShareLink } from '../src/core/config/share';

function tomlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tomlFiles(path) : name.endsWith('.toml') ? [path] : [];
  });
}

const dir = resolve(import.meta.dirname, '../../shared/qualia-conf');
const texts = tomlFiles(dir).map((f) => readFileSync(f, 'utf8'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const text of texts) loadExperiment(text); // warm-up (JIT)
const ROUNDS = 20;
const perFile = texts.map((text) => {
  const start = performance.now();
  for (let r = 0; r < ROUNDS; r++) loadExperiment(text);
  return (performance.now() - start) / ROUNDS;
});
const bytes = texts.map((t) => new TextEncoder().encode(t).length);
const links = texts.map((t) => encodeShareLink(t, 'https://mote.example/').length - 'https://mote.example/#toml='.length);

console.log(`configs: ${texts.length}, sizes ${Math.min(...bytes)}–${Math.max(...bytes)} bytes (median ${median(bytes)})`);
console.log(`load time per config: median ${median(perFile).toFixed(2)} ms, max ${Math.max(...perFile).toFixed(2)} ms`);
console.log(`share link payload: median ${median(links)} chars, max ${Math.max(...links)} chars (median ${(median(links.map((l, i) => l / bytes[i])) * 100).toFixed(0)}% of the TOML size)`);
