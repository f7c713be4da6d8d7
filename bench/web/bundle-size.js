// The browser bundle of `ssm-channel`: esbuild, --platform=browser, minified, gzip -9. Checks that it holds
// no `node:` import (and no `ws`), that it holds the codec, the engine, the web transport and
// connectWebDataChannel, and that it fits the budget; prints the figure and its largest inputs.
//
//   node bench/web/bundle-size.js       (after `pnpm run build`; BENCH_WRITE=0 leaves bench/README.md alone)
import { writeReadmeBlock } from '../readme-block.js';
import { bundleForBrowser, GZIP_BUDGET_BYTES } from './bundle.js';

const bundle = await bundleForBrowser();
const nodeImports = bundle.imports.filter((path) => path.startsWith('node:'));
const wsInputs = bundle.inputs.filter((input) => /node_modules\/(\.pnpm\/)?ws[@/]/.test(input.path));
const holds = ['connectWebDataChannel', 'encodeAgentMessage', 'decodeAgentMessage', 'createClientEngine'];
const missing = holds.filter(
  (name) => !new RegExp(`\\b${name}\\b`).test(bundle.text) && !bundle.text.includes(`as ${name}`),
);
const entries = ['ssm-channel/dist/browser.js', 'ssm-channel/dist/platform/web.js'];
const entriesFound = entries.filter((end) => bundle.inputs.some((i) => i.path.endsWith(end)));
const nodeBuild = bundle.inputs.filter((i) => /ssm-channel\/dist\/(index|platform\/node)\.js$/.test(i.path));
const ok =
  entriesFound.length === entries.length &&
  nodeBuild.length === 0 &&
  nodeImports.length === 0 &&
  wsInputs.length === 0 &&
  bundle.gzipBytes <= GZIP_BUDGET_BYTES;
const kb = (n) => (n / 1000).toFixed(1);
const top = [...bundle.inputs]
  .sort((a, b) => b.bytes - a.bytes)
  .slice(0, 8)
  .map(
    (i) =>
      `${i.path.replace(/^.*node_modules\//, '').replace(/^\.\.\/\.\.\/packages\//, 'packages/')} ${kb(i.bytes)} KB`,
  );

const lines = [
  `| browser bundle of \`ssm-channel\` | bytes | budget | met |`,
  '|---|---:|---|:-:|',
  `| minified | ${bundle.bytes.toLocaleString('en-US')} | | |`,
  `| minified + gzip -9 | ${bundle.gzipBytes.toLocaleString('en-US')} | ≤ ${GZIP_BUDGET_BYTES.toLocaleString('en-US')} | ${ok ? 'yes' : '**no**'} |`,
  '',
  `- resolved through the \`browser\` conditions: ${entriesFound.join(', ')}${nodeBuild.length === 0 ? '' : `; **also the Node build: ${nodeBuild.map((i) => i.path).join(', ')}**`}`,
  `- \`node:\` imports: ${nodeImports.length === 0 ? 'none' : nodeImports.join(', ')}; \`ws\`: ${wsInputs.length === 0 ? 'not included' : 'included'}; ${bundle.inputs.length} modules`,
  `- exports kept by name: ${holds.length - missing.length} of ${holds.length} checked (${holds.join(', ')})`,
  `- largest inputs (before minifying): ${top.join(', ')}`,
];
const table = lines.join('\n');
console.log(table);

writeReadmeBlock(
  'bundle-size',
  'Browser bundle (`bench/web/bundle-size.js`)',
  `${table}\n\nesbuild --platform=browser --minify, ESM, target es2022`,
);
process.exitCode = ok && missing.length === 0 ? 0 : 1;
