#!/usr/bin/env node
// Built bundle sizes: the JS a first visit loads before the app is interactive (the entry chunk and its
// static imports), and every lazy chunk, raw and gzip. Goal: initial JS ≤ 300 kB gzip, with tfjs,
// onnxruntime and clang lazy. Usage: npx vite build && node bench/app/bundle-size.mjs
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = 'dist';
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const entry = [...html.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g)].map((m) => m[1]);
const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+\.js)"/g)].map((m) => m[1]);

// Follow static imports from the entry (`import … from "./x.js"` in the built chunks) to get the initial set.
const initial = new Set();
const queue = [...entry, ...preloads];
while (queue.length) {
  const file = queue.shift();
  if (initial.has(file)) continue;
  initial.add(file);
  const code = readFileSync(join(dist, file), 'utf8');
  for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[^'"()]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) queue.push(`assets/${m[1]}`);
}

const size = (file) => {
  const bytes = readFileSync(join(dist, file));
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};
const kB = (n) => `${(n / 1000).toFixed(1)} kB`;

const initialSizes = [...initial].map(size);
const allJs = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`);
const lazy = allJs.filter((f) => !initial.has(f)).map(size).sort((a, b) => b.gzip - a.gzip);
const css = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.css')).map((f) => size(`assets/${f}`));
const other = readdirSync(join(dist, 'assets')).filter((f) => !/\.(js|css|map)$/.test(f)).map((f) => ({ file: `assets/${f}`, raw: statSync(join(dist, 'assets', f)).size }));

const total = initialSizes.reduce((a, s) => ({ raw: a.raw + s.raw, gzip: a.gzip + s.gzip }), { raw: 0, gzip: 0 });
console.log(`initial JS: ${kB(total.gzip)} gzip (${kB(total.raw)} raw) in ${initialSizes.length} file(s) — goal ≤ 300 kB gzip`);
for (const s of initialSizes) console.log(`  ${s.file}  ${kB(s.gzip)} gzip`);
console.log(`lazy JS chunks (${lazy.length}):`);
for (const s of lazy) console.log(`  ${s.file}  ${kB(s.gzip)} gzip (${kB(s.raw)} raw)`);
console.log(`CSS: ${css.map((s) => `${s.file} ${kB(s.gzip)} gzip`).join(', ')}`);
console.log(`other assets: ${other.map((s) => `${s.file} ${kB(s.raw)}`).join(', ') || 'none'}`);
