// Documents and letters drawn inside the page, beside the score sheet, by
// pdf.js (from the npm registry, served from /assets/vendor).
//
// Why pdf.js and not the browser's own viewer in a frame: Chromium's
// viewer does not load in an <iframe sandbox> at all, and under the
// file's own "Content-Security-Policy: sandbox" it loads but outside the
// sandbox (the framed document keeps the application's origin, and a
// PDF's JavaScript runs); phones' browsers show no PDF in a frame. Here
// the file is fetched from the same route as the download (an
// attachment, with its sandbox policy and nosniff kept), parsed in a
// worker and painted on canvases; the PDF's own scripts are never run
// (pdf.js's scripting is not loaded) and the page's policy forbids eval.
import { h } from '../dom.js';

let lib = null;
// The loading task of the document on screen: one at a time in the whole
// page, so that opening another (or another candidate's) lets the
// previous one and its worker go first.
let active = null;

async function pdfjs() {
	if (!lib) {
		lib = await import('../../vendor/pdf.min.mjs');
		lib.GlobalWorkerOptions.workerSrc = '/assets/vendor/pdf.worker.min.mjs';
	}
	return lib;
}

// Pages drawn at most; a longer document says so and offers the file.
const MAX_PAGES = 40;

// A viewer: { element, show(url, title) }, with extra (a node such as
// the download link) beside the page count. The pages scroll inside a
// focusable region; each page is a canvas with its number for screen
// readers and its text, hidden from view, for them to read.
export function documentViewer(extra = null) {
	const heading = h('h3', { id: 'viewer-heading', text: 'No document open' });
	const note = h('span', { role: 'status', id: 'viewer-status' });
	const pages = h('div', { class: 'pdf-pages', id: 'pdf-pages', tabindex: '0', role: 'region',
		'aria-labelledby': 'viewer-heading' });
	const element = h('div', { class: 'pdf-viewer' }, heading,
		h('p', { class: 'hint viewer-line' }, note, extra ? ' · ' : null, extra), pages);
	let shown = 0;

	async function show(url, title) {
		const mine = ++shown;
		heading.textContent = title;
		note.textContent = 'Opening…';
		pages.replaceChildren();
		pages.setAttribute('aria-busy', 'true');
		try {
			if (active) {
				const old = active;
				active = null;
				await old.destroy();
			}
			const lib = await pdfjs();
			const res = await fetch(url, { credentials: 'same-origin' });
			if (!res.ok)
				throw new Error(res.status === 404 ? 'This document is no longer available.' : 'The document could not be read.');
			const data = new Uint8Array(await res.arrayBuffer());
			if (mine !== shown)
				return;
			const task = lib.getDocument({ data, isEvalSupported: false, enableXfa: false, useSystemFonts: true });
			active = task;
			const d = await task.promise;
			if (mine !== shown)
				return;
			const n = Math.min(d.numPages, MAX_PAGES);
			note.textContent = `${d.numPages} page${d.numPages === 1 ? '' : 's'}` +
				(d.numPages > n ? `; the first ${n} are shown here, download the file for the rest.` : '.');
			// The pages' box is hidden while empty: the viewer's width,
			// less the pages' padding, is what a page is drawn at.
			const width = Math.max(280, (pages.clientWidth || element.clientWidth) - 16);
			const ratio = window.devicePixelRatio || 1;
			for (let i = 1; i <= n; i++) {
				const page = await d.getPage(i);
				if (mine !== shown)
					return;
				const base = page.getViewport({ scale: 1 });
				const vp = page.getViewport({ scale: (width / base.width) * ratio });
				const canvas = h('canvas', { width: String(Math.floor(vp.width)), height: String(Math.floor(vp.height)),
					'aria-hidden': 'true' });
				const text = await page.getTextContent();
				const words = text.items.map((x) => x.str).join(' ').replace(/\s+/g, ' ').trim();
				pages.append(h('figure', { class: 'pdf-page' }, canvas,
					h('figcaption', { class: 'visually-hidden' }, `Page ${i} of ${d.numPages}. `,
						words || 'No text on this page.')));
				await page.render({ canvas, viewport: vp }).promise;
			}
		} catch (e) {
			if (mine === shown)
				note.textContent = e && e.message && !/^Invalid PDF|worker/i.test(e.message) ? e.message :
					'The document could not be shown here; download it instead.';
		} finally {
			if (mine === shown)
				pages.removeAttribute('aria-busy');
		}
	}

	return { element, show };
}
