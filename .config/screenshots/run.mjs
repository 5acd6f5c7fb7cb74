// Renders the editors in a small page served on loopback and screenshots
// each scene with Chromium (Debian's `chromium` package):
//
//   npm run screenshots [-- scene ...]
//   SCREENSHOT_THEME=light npm run screenshots
//
// PNGs go to $SCREENSHOT_DIR (default: <tmp>/clickpy-screenshots). Not part
// of CI; look at the PNGs after changing an editor.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const site = path.join(os.tmpdir(), 'clickpy-screenshots', 'site');
const outDir = process.env.SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'clickpy-screenshots');
const chromium = process.env.CHROMIUM ?? 'chromium';
const { scenes } = JSON.parse(readFileSync(path.join(here, 'scenes.json'), 'utf8'));
const wanted = process.argv.slice(2);
const theme = process.env.SCREENSHOT_THEME === 'light' ? 'light' : 'dark';
const chosen = wanted.length ? scenes.filter((s) => wanted.includes(s.name)) : scenes;

if (spawnSync(chromium, ['--version'], { stdio: 'ignore' }).status !== 0) {
  console.error(`${chromium} not found: apt-get install -y chromium (or set CHROMIUM)`);
  process.exit(1);
}

console.log('bundling the page');
const built = spawnSync(
  path.join(root, 'node_modules', '.bin', 'webpack'),
  ['-c', path.join(here, 'webpack.config.ts')],
  {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') },
  }
);
if (built.status !== 0) {
  console.error('webpack failed');
  process.exit(1);
}

const types = { '.html': 'text/html', '.js': 'text/javascript', '.svg': 'image/svg+xml', '.css': 'text/css' };
// @grafana/ui loads its icons from public/build/img/icons/ (Grafana serves them).
const icons = path.join(root, 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons');
const iconPrefix = '/public/build/img/icons/';
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const pathname = path.normalize(decodeURIComponent(url.pathname));
  let file = path.join(site, pathname);
  if (pathname === '/') {
    file = path.join(here, 'index.html');
  } else if (pathname.startsWith(iconPrefix)) {
    file = path.join(icons, pathname.slice(iconPrefix.length));
  }
  if (!file.startsWith(site) && !file.startsWith(icons) && file !== path.join(here, 'index.html')) {
    res.writeHead(403).end();
    return;
  }
  if (!existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;
mkdirSync(outDir, { recursive: true });

let failed = 0;
for (const s of chosen) {
  const png = path.join(outDir, theme === 'light' ? `${s.name}-light.png` : `${s.name}.png`);
  const profile = mkdtempSync(path.join(os.tmpdir(), 'clickpy-chromium-'));
  // Chromium runs as a child of this script, which waits for it: the server
  // keeps answering meanwhile because spawnSync is avoided for the capture.
  const code = await new Promise((resolve) => {
    import('node:child_process').then(({ spawn }) => {
      const p = spawn(
        chromium,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--hide-scrollbars',
          `--user-data-dir=${profile}`,
          `--screenshot=${png}`,
          `--window-size=1200,${s.height ?? 900}`,
          '--virtual-time-budget=8000',
          `http://127.0.0.1:${port}/?scene=${encodeURIComponent(s.name)}&theme=${theme}`,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] }
      );
      let err = '';
      p.stderr.on('data', (d) => (err += d));
      p.on('exit', (c) => {
        if (c !== 0) {
          console.error(err);
        }
        resolve(c);
      });
    });
  });
  rmSync(profile, { recursive: true, force: true });
  if (code === 0 && existsSync(png)) {
    console.log(png);
  } else {
    failed++;
    console.error(`${s.name}: chromium exited ${code}`);
  }
}
server.close();
process.exit(failed ? 1 : 0);
