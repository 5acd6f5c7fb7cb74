import fs from 'fs';
import path from 'path';

// Imports flow one way, as on the Go side: the data source imports the
// editors, the editors reach the backend through resources.ts, and no
// module (type-only imports included) is part of a cycle.

const SRC = __dirname;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      return sources(p);
    }
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

function resolve(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  return [base + '.ts', base + '.tsx', path.join(base, 'index.ts')].find((p) => fs.existsSync(p));
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/gm)) {
    const target = resolve(file, m[1]);
    if (target) {
      out.push(target);
    }
  }
  return out;
}

describe('module imports', () => {
  it('form no cycle', () => {
    const files = sources(SRC).filter((f) => !f.includes(`${path.sep}testing${path.sep}`));
    const graph = new Map(files.map((f) => [f, importsOf(f)]));
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]) => {
      if (state.get(f) === 'done') {
        return;
      }
      if (state.get(f) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(f)), f].map((p) => path.relative(SRC, p)).join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const g of graph.get(f) ?? []) {
        visit(g, [...trail, f]);
      }
      state.set(f, 'done');
    };
    files.forEach((f) => visit(f, []));
    expect(cycles).toEqual([]);
  });

  it('keep the editors off the data source module', () => {
    const editors = sources(path.join(SRC, 'components'));
    const ds = path.join(SRC, 'datasource.ts');
    expect(editors.filter((f) => importsOf(f).includes(ds)).map((f) => path.relative(SRC, f))).toEqual([]);
  });
});
