// Renders a game-day report.html in headless Chromium at the given widths, saves a full-page screenshot per width,
// and prints what the page's geometry says (JSON on stdout) for ReportPictureTests to assert on.
// Usage: node report-picture.mjs <report.html> <screenshot folder> <chromium> <user-data folder> <width>...
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [report, shots, executablePath, userDataDir, ...widths] = process.argv.slice(2);
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const results = [];
  for (const width of widths.map(Number)) {
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    // Nothing but the file itself may load: the report is one file, readable offline.
    const requests = [];
    page.on('request', r => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
    const geometry = await page.evaluate(() => {
      const box = e => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height, right: r.right, bottom: r.bottom }; };
      return {
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
        charts: [...document.querySelectorAll('svg')].map(svg => ({
          label: svg.getAttribute('aria-label'),
          box: box(svg),
          labels: [...svg.querySelectorAll('text.phase-label')].map(t => ({ text: t.textContent, ...box(t) })),
          thresholds: [...svg.querySelectorAll('line.threshold')].map(l => ({ alarm: l.getAttribute('data-alarm'), ...box(l) })),
          series: [...svg.querySelectorAll('polyline.series')].map(p => p.getAttribute('data-series')),
        })),
      };
    });
    const screenshot = path.join(shots, `report-${width}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    results.push({ width, screenshot, requests, ...geometry });
    await page.close();
  }
  process.stdout.write(JSON.stringify(results));
} finally {
  await context.close();
}
