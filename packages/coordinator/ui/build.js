// Builds the dashboard into dist/ui: type-checks it, bundles src/main.ts and styles.css with
// esbuild under content-hashed names, and writes index.html pointing at them.
const { execFileSync } = require('node:child_process');
const { mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { basename, join } = require('node:path');
const esbuild = require('esbuild');

const here = __dirname;
const out = join(here, '..', 'dist', 'ui');

async function build() {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const result = await esbuild.build({
    entryPoints: { dashboard: join(here, 'src', 'main.ts'), styles: join(here, 'styles.css') },
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    format: 'iife',
    target: ['es2022'],
    entryNames: '[name]-[hash]',
    outdir: out,
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
  const script = outputs.find((file) => /^dashboard-.*\.js$/.test(file));
  const styles = outputs.find((file) => /^styles-.*\.css$/.test(file));
  if (!script || !styles) throw new Error(`the dashboard build wrote no script or stylesheet: ${outputs.join(', ')}`);
  const page = readFileSync(join(here, 'index.html'), 'utf8').replace('%SCRIPT%', script).replace('%STYLES%', styles);
  writeFileSync(join(out, 'index.html'), page);
}

build().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
