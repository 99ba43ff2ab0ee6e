// The web app's module graph (web/app/assets/js/), read from the files: app.js only routes, so
// no module imports it; a page imports session.js, components/ and the shared helpers, never
// another page; and no imports form a cycle. No browser needed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../app/assets/js');

function modules(dir = root) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'vendor' ? [] : modules(path);
    return entry.name.endsWith('.js') ? [path] : [];
  });
}

// Module (relative to js/) → the modules it imports (relative to js/).
const graph = new Map(modules().map((file) => {
  const source = readFileSync(file, 'utf8');
  const imports = [...source.matchAll(/^\s*import\s[^'"]*['"](\.[^'"]+)['"]/gm)]
    .map((m) => relative(root, resolve(dirname(file), m[1])));
  return [relative(root, file), imports];
}));

describe('Web app modules', () => {
  test('no module imports app.js', () => {
    for (const [module, imports] of graph) assert.ok(!imports.includes('app.js'), `${module} imports app.js`);
  });

  test('a page imports no other page', () => {
    for (const [module, imports] of graph) {
      if (!module.startsWith('pages/')) continue;
      const pages = imports.filter((i) => i.startsWith('pages/'));
      assert.deepEqual(pages, [], `${module} imports ${pages.join(', ')}`);
    }
  });

  test('the imports form no cycle', () => {
    const done = new Set();
    const visit = (module, path) => {
      assert.ok(!path.includes(module), `import cycle: ${[...path, module].join(' → ')}`);
      if (done.has(module)) return;
      for (const next of graph.get(module) ?? []) visit(next, [...path, module]);
      done.add(module);
    };
    for (const module of graph.keys()) visit(module, []);
    assert.ok(graph.has('session.js') && graph.size > 10, [...graph.keys()].join(', '));
  });
});
