// The report as one self-contained HTML document: style, script and data inlined, nothing fetched. A
// Content-Security-Policy of default-src 'none' makes that a promise the browser keeps: the page could not
// load anything from the network even if a bug tried to.

import type { ReportData } from './model.js';
import { PAGE_CSS } from './page-css.js';
import { PAGE_JS } from './page-js.js';

/** Text for inside an HTML element or attribute. */
export function escapeHtml(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '&') out += '&amp;';
    else if (c === '<') out += '&lt;';
    else if (c === '>') out += '&gt;';
    else if (c === '"') out += '&quot;';
    else out += c;
  }
  return out;
}

/**
 * JSON for a `<script type="application/json">` element. The HTML parser ends a script element at the first
 * `</script` whatever the script type (HTML §13.2.5.4), and `<!--` changes how it reads on, so every `<`
 * is written as \u003c (a JSON string escape; the data round-trips exactly). U+2028/U+2029 are escaped too,
 * for readers that treat the block as JavaScript.
 */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data).replace(/[<\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Script text safe inside <script>: no `</script` or `<!--` can end or change the element. */
function scriptText(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function renderHtml(data: ReportData): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${escapeHtml(data.generator)}">`,
    // No favicon request: the page must not ask for anything.
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(data.title)}</title>`,
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    '<div id="app"></div>',
    '<noscript><p style="padding:20px">This report draws its charts with JavaScript. The data is in the JSON block <code>#bgpcap-data</code> of this file.</p></noscript>',
    `<script type="application/json" id="bgpcap-data">${jsonForScript(data)}</script>`,
    `<script>${scriptText(PAGE_JS)}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
