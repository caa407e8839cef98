// The director's ranking and rank list (staff; certify and reopen are the
// director's). Three pages of one cycle:
//  - the ranking: every candidate in composite order with the adjusted
//    score of each phase, its interval and a small chart of the raters'
//    scores, the places under the raw mean and the Borda count beside it,
//    the flags, the reliability of each phase, the raters' leniency (a
//    Chart.js bar chart with the same numbers in a table) and the
//    discussion agenda;
//  - the rank list editor: drag and drop (SortableJS) and Move up / Move
//    down buttons, a reason for each manual move and each "do not rank",
//    the line after the cycle's positions, saving, certification through
//    a confirmation dialog, reopening, the versions and their differences,
//    and the downloads;
//  - a printable rank list.
// The libraries are loaded only when these pages are shown.
import { api } from '../api.js';
import { h } from '../dom.js';
import { session } from '../app.js';
import { when } from '../dates.js';
import { PHASES, phaseLabel, pickCycle, statusLine, table, shortTime, formatScore } from './sheet.js';

const SVG = 'http://www.w3.org/2000/svg';

const METHODS = {
	krippendorff_alpha_interval: 'Krippendorff’s alpha (interval)',
	icc2k: 'ICC(2,k)',
	icc_2k: 'ICC(2,k)',
};

const STATES = {
	computed: 'Computed: not saved yet, in composite order',
	draft: 'Draft',
	certified: 'Certified',
	reopened: 'Reopened',
};

const KINDS = { draft: 'Draft', certified: 'Certified', reopened: 'Reopened' };

const IDS = [['sfmatch', 'SF Match id'], ['nrmp', 'NRMP id'], ['aamc', 'AAMC id']];

function isDirector() {
	return session.user && session.user.role === 'director';
}

// The cycle the pages without a cycle in their address are about: the
// newest in review or ranking, else the newest certified one (its list
// is what there is to see), else the usual default.
async function rankingCycle() {
	const cycles = (await api('GET', '/api/cycles')).cycles;
	const newest = (list) => list.slice().sort((a, b) => b.year - a.year || b.id - a.id)[0];
	return newest(cycles.filter((c) => ['review', 'ranking'].includes(c.state))) ||
		newest(cycles.filter((c) => c.state === 'certified')) || pickCycle(cycles);
}

function forRankingCycle(view, title) {
	return async (main, ...rest) => {
		const c = await rankingCycle();
		if (!c) {
			main.append(h('h1', { text: title }), h('p', { text: 'There is no cycle yet.' }));
			return;
		}
		await view(main, String(c.id), ...rest);
	};
}

// Links between the three pages of one cycle and to the other cycles.
async function pageLinks(cycleId, current) {
	const pages = [
		['ranking', 'Ranking'],
		['ranklist', 'Rank list'],
		['ranklist/print', 'Printable rank list'],
	];
	const out = [h('nav', { 'aria-label': 'Ranking pages', class: 'phase-links no-print' },
		h('ul', {}, ...pages.map(([p, t]) => h('li', {},
			h('a', { href: `#/cycles/${cycleId}/${p}`, text: t,
				'aria-current': p === current ? 'page' : null })))))];
	const cycles = (await api('GET', '/api/cycles')).cycles.filter((c) => String(c.id) !== String(cycleId));
	if (cycles.length)
		out.push(h('nav', { 'aria-label': 'Other cycles', class: 'cycle-pages no-print' },
			h('ul', {}, h('li', { text: 'Other cycles:' }), ...cycles.map((c) => h('li', {},
				h('a', { href: `#/cycles/${c.id}/${current}`, text: `${c.name} (${c.state})` }))))));
	return out;
}

function signed(x) {
	if (x === null || x === undefined)
		return '—';
	const r = Math.round(x * 10) / 10;
	return (r > 0 ? '+' : r < 0 ? '−' : '±') + Math.abs(r).toFixed(1);
}

function ordinalPlace(n) {
	return n ? String(n) : '—';
}

// ---------------------------------------------------------------------
// The ranking page.

function reliabilityText(value) {
	if (value === null || value === undefined)
		return 'Not available: no candidate has two sheets in this phase, or all scores are equal.';
	if (value < 0.4)
		return 'Poor agreement (below 0.4).';
	if (value < 0.6)
		return 'Fair agreement (0.4 to 0.6).';
	if (value < 0.8)
		return 'Good agreement (0.6 to 0.8).';
	return 'Excellent agreement (above 0.8).';
}

function reliabilitySection(r) {
	const section = h('section', { 'aria-labelledby': 'reliability-heading', id: 'reliability' },
		h('h2', { id: 'reliability-heading', text: 'Reliability' }),
		h('p', { class: 'hint', text: 'How far the raters agree on the raw scores of the candidates they share. ' +
			'1 is perfect agreement, 0 no better than chance. The bands are a rule of thumb, not a test: ' +
			'below 0.4 poor, 0.4 to 0.6 fair, 0.6 to 0.8 good, above 0.8 excellent.' }));
	const grid = h('div', { class: 'panel-grid' });
	for (const [p, title] of PHASES) {
		const ph = r.phases[p];
		if (!ph)
			continue;
		const value = ph.reliability;
		const art = h('article', { class: 'reliability', 'aria-labelledby': `rel-${p}` },
			h('h3', { id: `rel-${p}`, text: title }),
			h('dl', {},
				h('dt', { text: 'Reliability' }),
				h('dd', { class: 'reliability-value', text: value === null || value === undefined ? '—' : value.toFixed(2) }),
				h('dt', { text: 'Method' }),
				h('dd', { text: METHODS[ph.reliability_method] || ph.reliability_method || '—' }),
				h('dt', { text: 'Interpretation' }),
				h('dd', { text: reliabilityText(value) }),
				h('dt', { text: 'Sheets' }),
				h('dd', { text: `${ph.sheets} submitted, ${(ph.raters || []).length} raters` }),
				h('dt', { text: 'Weight' }),
				h('dd', { text: `${ph.weight}% of the composite` })));
		if (ph.warning || ph.groups > 1)
			art.append(h('p', { class: 'notice warning', role: 'note' },
				h('span', { 'aria-hidden': 'true', text: '⚠ ' }),
				h('strong', { text: 'Disconnected design. ' }),
				ph.warning || `The raters fall into ${ph.groups} groups with no candidate in common, so their scores cannot be compared across groups.`));
		grid.append(art);
	}
	section.append(grid);
	return section;
}

function helpSection(r) {
	const weights = PHASES.filter(([p]) => r.phases[p]).map(([p, t]) => `${r.phases[p].weight}% × ${t.toLowerCase()}`);
	return h('details', { class: 'help', id: 'ranking-help' },
		h('summary', { text: 'How these scores are computed' }),
		h('p', { text: 'Each submitted score sheet gives a weighted score from 0 to 100: each criterion scaled to 0–1 over its range, times its weight. ' +
			'Drafts do not count.' }),
		h('p', { text: 'Raters differ in how generous they are, and not every rater sees every candidate, so a plain mean favours ' +
			'candidates who happened to draw lenient raters. The adjusted score fits all sheets of a phase as ' }),
		h('p', { class: 'formula', text: 'score = candidate effect + rater effect + noise' }),
		h('p', { text: 'by least squares. The rater effect is the rater’s leniency (the chart below). Leniencies are shrunk toward zero, ' +
			'so a rater with few sheets moves little, and they average zero, so the adjusted score — the candidate effect — is ' +
			'the score an average rater would give. The interval is the adjusted score ± 1.96 standard errors (about 95%); ' +
			'n is the number of sheets. In the small charts, circles are the raters’ own scores, the shaded band the interval ' +
			'and the vertical bar the adjusted score, on a scale of 0 to 100.' }),
		h('p', {}, h('strong', { text: 'Composite: ' }), weights.join(' + ') + '. ' +
			'The weights are set by the director. A candidate without sheets in a phase gets the composite of the phases they have; ' +
			'it is marked incomplete, is not comparable with a complete one and is ranked after the complete ones.'),
		h('p', {}, h('strong', { text: 'Flags: ' }), '“Raters disagree” means that, after each rater’s leniency is taken out, ' +
			'the scores still spread by more than 15 points (standard deviation) or 30 points (range). ' +
			'“Depends on method” means the place under the composite, the raw mean and the Borda count (each rater’s own ordering, ' +
			'combined) differ by two places or more, or fall on different sides of the line for the positions.'));
}

// A small strip chart: the raters' scores, the interval and the adjusted
// score of one phase, on 0..100.
function strip(ph, label) {
	const W = 124;
	const x = (v) => 2 + Math.max(0, Math.min(100, v)) * (W - 4) / 100;
	const el = (tag, attrs) => {
		const e = document.createElementNS(SVG, tag);
		for (const [k, v] of Object.entries(attrs))
			e.setAttribute(k, String(v));
		return e;
	};
	const scores = (ph.scores || []).map((s) => s.score);
	const svg = el('svg', { viewBox: `0 0 ${W} 24`, width: W, height: 24, class: 'strip', role: 'img',
		'aria-label': `${label}: rater scores ${scores.map(formatScore).join(', ') || 'none'}; adjusted ${formatScore(ph.adjusted)}, ` +
			`interval ${formatScore(ph.lo)} to ${formatScore(ph.hi)}` });
	svg.append(el('line', { x1: x(0), x2: x(100), y1: 12, y2: 12, class: 'strip-axis' }));
	for (const t of [0, 50, 100])
		svg.append(el('line', { x1: x(t), x2: x(t), y1: 9, y2: 15, class: 'strip-axis' }));
	svg.append(el('rect', { x: x(ph.lo), y: 6, width: Math.max(1, x(ph.hi) - x(ph.lo)), height: 12, class: 'strip-interval' }));
	svg.append(el('line', { x1: x(ph.adjusted), x2: x(ph.adjusted), y1: 3, y2: 21, class: 'strip-adjusted' }));
	scores.forEach((s, i) => svg.append(el('circle', { cx: x(s), cy: i % 2 ? 15 : 9, r: 2.5, class: 'strip-score' })));
	return svg;
}

function phaseCell(ph, title, name) {
	if (!ph || !ph.n)
		return h('td', { class: 'phase-cell' }, h('span', { text: '—' }), h('small', { class: 'hint', text: 'no sheets' }));
	return h('td', { class: 'phase-cell' },
		h('span', { class: 'score', text: formatScore(ph.adjusted) }),
		h('small', { class: 'hint', text: `${formatScore(ph.lo)}–${formatScore(ph.hi)} · n ${ph.n}` }),
		strip(ph, `${title} scores of ${name}`));
}

// A place under another method, and how far it is from the composite's.
function placeCell(place, rank) {
	if (!place || !rank)
		return h('td', { text: ordinalPlace(place) });
	const d = place - rank;
	if (d === 0)
		return h('td', { class: 'place' }, String(place), h('small', { class: 'hint', text: 'same' }));
	return h('td', { class: 'place differs' }, h('strong', { text: String(place) }),
		h('small', { text: d > 0 ? `${d} lower` : `${-d} higher` }));
}

function flags(c) {
	const out = [];
	if (c.disagree) {
		const where = PHASES.filter(([p]) => c.phases[p] && c.phases[p].disagree).map(([, t]) => t.toLowerCase());
		out.push(h('li', { class: 'flag flag-disagree' }, h('span', { 'aria-hidden': 'true', text: '⚠ ' }),
			'Raters disagree' + (where.length ? ` (${where.join(', ')})` : '')));
	}
	if (c.method_sensitive)
		out.push(h('li', { class: 'flag flag-method' }, h('span', { 'aria-hidden': 'true', text: '⇅ ' }), 'Depends on method'));
	if (c.composite !== null && !c.complete)
		out.push(h('li', { class: 'flag flag-incomplete' }, h('span', { 'aria-hidden': 'true', text: '◔ ' }), 'Incomplete'));
	return out.length ? h('ul', { class: 'plain flags' }, ...out) : h('span', { class: 'hint', text: 'none' });
}

function rankingTable(r) {
	const rows = r.candidates.map((c) => h('tr', { 'data-id': String(c.application_id), class: c.rank && c.rank <= r.positions ? 'above-line' : null },
		h('td', { class: 'rank', text: ordinalPlace(c.rank) }),
		h('th', { scope: 'row' }, h('a', { href: `#/applications/${c.application_id}`, text: c.name }),
			c.in_list ? null : h('small', { class: 'hint', text: 'not on the rank list' })),
		h('td', { class: 'score' }, formatScore(c.composite)),
		placeCell(c.rank_raw, c.rank),
		placeCell(c.rank_borda, c.rank),
		...PHASES.map(([p, t]) => phaseCell(c.phases[p], t, c.name)),
		h('td', {}, flags(c))));
	return table('Candidates in composite order', ['Rank', 'Candidate', 'Composite', 'Raw mean place', 'Borda place',
		...PHASES.map(([p, t]) => `${t} (weight ${r.phases[p] ? r.phases[p].weight : 0}%)`), 'Flags'], rows, { id: 'ranking-table' });
}

function agendaReasons(c) {
	const out = [];
	for (const [p, t] of PHASES) {
		const ph = c.phases[p];
		if (ph && ph.disagree)
			out.push(`Raters disagree in the ${t.toLowerCase()}: scores from ${formatScore(ph.min)} to ${formatScore(ph.max)} ` +
				`(standard deviation ${formatScore(ph.sd)}, ${ph.n} sheets).`);
	}
	if (c.disagree && !out.length)
		out.push('Raters disagree strongly.');
	if (c.method_sensitive)
		out.push(`Place depends on the method: ${ordinalPlace(c.rank)} by the composite, ${ordinalPlace(c.rank_raw)} by the raw mean, ` +
			`${ordinalPlace(c.rank_borda)} by the Borda count.`);
	return out;
}

function agendaSection(r) {
	const flagged = r.candidates.filter((c) => c.disagree || c.method_sensitive);
	const onList = flagged.filter((c) => c.in_list);
	const others = flagged.filter((c) => !c.in_list);
	const item = (c) => h('li', {}, h('strong', { text: c.name }), ` — rank ${ordinalPlace(c.rank)}`,
		h('ul', {}, ...agendaReasons(c).map((t) => h('li', { text: t }))));
	const section = h('section', { 'aria-labelledby': 'agenda-heading', id: 'agenda' },
		h('h2', { id: 'agenda-heading', text: 'Discussion agenda' }),
		h('p', { class: 'hint', text: 'Candidates on the rank list whose raters disagree or whose place depends on the method, in rank order: ' +
			'worth a word at the ranking meeting.' }));
	section.append(onList.length ? h('ol', { id: 'agenda-list' }, ...onList.map(item)) :
		h('p', { text: 'Nothing to discuss: no candidate on the rank list is flagged.' }));
	if (others.length)
		section.append(h('details', {}, h('summary', { text: `Flagged candidates not on the rank list (${others.length})` }),
			h('ol', {}, ...others.map(item))));
	return section;
}

let chartLib = null;
async function loadChart() {
	if (!chartLib) {
		await import('../../vendor/chart.umd.min.js');
		chartLib = globalThis.Chart;
	}
	return chartLib;
}

function leniencySection(r) {
	const section = h('section', { 'aria-labelledby': 'leniency-heading', id: 'leniency' },
		h('h2', { id: 'leniency-heading', text: 'Rater leniency' }),
		h('p', { class: 'hint', text: 'How many points each rater gives above (+) or below (−) an average rater, as estimated by the adjustment. ' +
			'The adjusted scores take it out.' }));
	const charts = [];
	const grid = h('div', { class: 'panel-grid' });
	for (const [p, title] of PHASES) {
		const ph = r.phases[p];
		if (!ph)
			continue;
		const raters = (ph.raters || []).slice().sort((a, b) => b.leniency - a.leniency);
		const tableId = `leniency-table-${p}`;
		const fig = h('figure', { class: 'leniency', 'aria-labelledby': `len-${p}` },
			h('h3', { id: `len-${p}`, text: title }));
		if (!raters.length) {
			fig.append(h('p', { text: 'No submitted sheets in this phase.' }));
			grid.append(fig);
			continue;
		}
		const canvas = h('canvas', { role: 'img', id: `leniency-chart-${p}`,
			'aria-label': `Bar chart of rater leniency in the ${title.toLowerCase()}, in points: ` +
				raters.map((x) => `${x.name} ${signed(x.leniency)}`).join(', ') + '. The same values are in the table below.',
			'aria-describedby': tableId });
		fig.append(h('div', { class: 'chart-box' }, canvas),
			h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': `Rater leniency, ${title.toLowerCase()}` },
				h('table', { class: 'striped', id: tableId },
					h('caption', { text: `Rater leniency, ${title.toLowerCase()}` }),
					h('thead', {}, h('tr', {}, ...['Rater', 'Sheets', 'Leniency (points)'].map((t) => h('th', { scope: 'col', text: t })))),
					h('tbody', {}, ...raters.map((x) => h('tr', {},
						h('th', { scope: 'row', text: x.name }),
						h('td', { text: String(x.n) }),
						h('td', { class: 'score', text: signed(x.leniency) })))))));
		if (ph.groups > 1)
			fig.append(h('p', { class: 'hint', text: 'Leniencies are estimated within each group of raters and cannot be compared across groups.' }));
		grid.append(fig);
		charts.push({ canvas, raters, title });
	}
	section.append(grid);
	return { section, charts };
}

function drawLeniency(Chart, { canvas, raters, title }) {
	const styles = getComputedStyle(document.body);
	const text = styles.getPropertyValue('--pico-color').trim() || '#333';
	const grid = styles.getPropertyValue('--pico-muted-border-color').trim() || '#ccc';
	return new Chart(canvas, {
		type: 'bar',
		data: {
			labels: raters.map((x) => x.name),
			datasets: [{
				label: 'Leniency (points)',
				data: raters.map((x) => Math.round(x.leniency * 10) / 10),
				// Two colours, but the sign is also the side of zero.
				backgroundColor: raters.map((x) => x.leniency >= 0 ? '#1f5f9e' : '#a8520d'),
				borderWidth: 0,
			}],
		},
		options: {
			indexAxis: 'y',
			animation: false,
			responsive: true,
			maintainAspectRatio: false,
			plugins: {
				legend: { display: false },
				tooltip: { callbacks: { label: (ctx) => `${signed(ctx.parsed.x)} points` } },
			},
			scales: {
				x: { title: { display: true, text: `Leniency in the ${title.toLowerCase()} (points; + more generous than average)`, color: text },
					ticks: { color: text }, grid: { color: grid } },
				y: { title: { display: true, text: 'Rater', color: text }, ticks: { color: text }, grid: { display: false } },
			},
		},
	});
}

export async function ranking(main, cycleId) {
	const [cycle, r] = await Promise.all([
		api('GET', '/api/cycles/' + cycleId).then((x) => x.cycle),
		api('GET', `/api/cycles/${cycleId}/ranking`),
	]);
	main.append(h('h1', { text: `Ranking · ${cycle.name}` }), ...await pageLinks(cycleId, 'ranking'));
	const scored = r.candidates.filter((c) => c.rank);
	main.append(h('p', { id: 'ranking-summary', text: `${scored.length} candidates with submitted sheets; ` +
		`${r.positions} position${r.positions === 1 ? '' : 's'}. Composite = ` +
		PHASES.filter(([p]) => r.phases[p]).map(([p, t]) => `${r.phases[p].weight}% ${t.toLowerCase()}`).join(' + ') + '. ' }),
		h('p', {}, h('a', { href: `#/cycles/${cycleId}/ranklist`, role: 'button', class: 'no-print', text: 'Open the rank list' })),
		helpSection(r), reliabilitySection(r));
	const len = leniencySection(r);
	main.append(agendaSection(r),
		h('section', { 'aria-labelledby': 'table-heading', id: 'ranking-section' },
			h('h2', { id: 'table-heading', text: 'Ranking' }),
			h('p', { class: 'hint', text: 'Rank is by the composite; the raw mean and Borda places show where another method would put the candidate ' +
				'(“lower” and “higher” compare with the composite rank). Each phase shows the adjusted score, its interval and n.' }),
			scored.length ? rankingTable(r) : h('p', { text: 'No sheet has been submitted yet.' })),
		len.section);
	if (len.charts.length) {
		try {
			const Chart = await loadChart();
			for (const c of len.charts)
				drawLeniency(Chart, c);
		} catch (e) {
			len.section.append(h('p', { class: 'notice warning', text: 'The chart could not be drawn; the tables show the values. ' + e.message }));
		}
	}
}

export const rankingDefault = forRankingCycle(ranking, 'Ranking');

// ---------------------------------------------------------------------
// The rank list editor.

// The entries of order that count as moved by hand relative to base: the
// complement of a longest increasing subsequence of their places in
// base, plus those not in base. The same rule as the server's
// (core/ranklist.c, ranklist_moved), so the reasons asked for here are
// the ones it requires.
export function movedEntries(base, order) {
	const n = order.length;
	const moved = new Array(n).fill(true);
	const where = new Map(base.map((id, i) => [id, i]));
	const pos = order.map((id) => (where.has(id) ? where.get(id) : -1));
	const tail = [];
	const prev = new Array(n).fill(-1);
	for (let i = 0; i < n; i++) {
		if (pos[i] < 0)
			continue;
		let lo = 0;
		let hi = tail.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (pos[tail[mid]] < pos[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		prev[i] = lo > 0 ? tail[lo - 1] : -1;
		tail[lo] = i;
	}
	if (tail.length)
		for (let k = tail[tail.length - 1]; k >= 0; k = prev[k])
			moved[k] = false;
	return moved;
}

let sortableLib = null;
async function loadSortable() {
	if (!sortableLib)
		sortableLib = (await import('../../vendor/sortable.esm.js')).default;
	return sortableLib;
}

function stampText(cert) {
	return `Certified by ${cert.by} on ${shortTime(cert.at)} (version ${cert.version}).`;
}

function download(link, status) {
	// A real link (it works without this too); fetched here so that a
	// refusal shows its reason instead of saving an error as the file.
	link.addEventListener('click', async (ev) => {
		ev.preventDefault();
		status.textContent = 'Preparing the download…';
		try {
			const res = await fetch(link.href, { credentials: 'same-origin' });
			if (!res.ok) {
				let msg = `The download failed (${res.status}).`;
				try {
					msg = (await res.json()).error.message || msg;
				} catch {
					// keep the generic message
				}
				status.textContent = msg;
				return;
			}
			const disp = res.headers.get('content-disposition') || '';
			const m = disp.match(/filename="([^"]+)"/);
			const url = URL.createObjectURL(await res.blob());
			const a = h('a', { href: url, download: m ? m[1] : 'download', hidden: true });
			document.body.append(a);
			a.click();
			a.remove();
			setTimeout(() => URL.revokeObjectURL(url), 10000);
			status.textContent = `Downloaded ${m ? m[1] : 'the file'}.`;
		} catch {
			status.textContent = 'The server cannot be reached. Check your connection and try again.';
		}
	});
	return link;
}

function downloadsSection(cycleId) {
	const status = statusLine({ id: 'download-status' });
	const csvHref = (id) => `/api/cycles/${cycleId}/ranklist.csv?id=${id}`;
	const select = h('select', { id: 'csv-id', name: 'csv-id' },
		...IDS.map(([v, t]) => h('option', { value: v, text: t })));
	const csv = download(h('a', { href: csvHref('sfmatch'), role: 'button', id: 'csv-link', text: 'Download CSV for match entry' }), status);
	select.addEventListener('change', () => { csv.href = csvHref(select.value); });
	const json = download(h('a', { href: `/api/cycles/${cycleId}/export.json`, role: 'button', class: 'secondary', id: 'json-link',
		text: 'Download the cycle archive (JSON)' }), status);
	return h('section', { 'aria-labelledby': 'downloads-heading', id: 'downloads', class: 'no-print' },
		h('h2', { id: 'downloads-heading', text: 'Downloads' }),
		h('p', { class: 'hint', text: 'The CSV has one line per ranked candidate: rank, the identifier you choose, and the name. ' +
			'It is the current list (the computed order when none is saved). Downloads are recorded in the audit log.' }),
		h('div', { class: 'field' }, h('label', { for: 'csv-id', text: 'Identifier for the CSV' }), select),
		h('div', { class: 'sheet-actions' }, csv, json,
			h('a', { href: `#/cycles/${cycleId}/ranklist/print`, role: 'button', class: 'secondary outline', text: 'Printable rank list' })),
		status);
}

function diffRows(d) {
	return d.changes.map((c) => {
		const from = c.from_do_not_rank ? 'not ranked' : ordinalPlace(c.from_rank);
		const to = c.to_do_not_rank ? 'not ranked' : ordinalPlace(c.to_rank);
		let what;
		if (c.from_rank === null && c.to_rank === null && !c.from_do_not_rank && !c.to_do_not_rank)
			what = 'reason changed';
		else if (c.from_rank === undefined || (c.from_rank === null && !c.from_do_not_rank))
			what = 'added';
		else if (c.to_rank === undefined || (c.to_rank === null && !c.to_do_not_rank))
			what = 'removed';
		else if (!c.from_do_not_rank && c.to_do_not_rank)
			what = 'taken off the ranking';
		else if (c.from_do_not_rank && !c.to_do_not_rank)
			what = 'ranked again';
		else if (c.from_rank !== c.to_rank)
			what = c.to_rank < c.from_rank ? `up ${c.from_rank - c.to_rank}` : `down ${c.to_rank - c.from_rank}`;
		else
			what = 'reason changed';
		return h('tr', {},
			h('th', { scope: 'row', text: c.name }),
			h('td', { text: from }), h('td', { text: to }), h('td', { text: what }),
			h('td', { class: 'prewrap', text: c.to_reason || c.from_reason || '' }));
	});
}

function versionsSection(cycleId) {
	const section = h('section', { 'aria-labelledby': 'versions-heading', id: 'versions', class: 'no-print' },
		h('h2', { id: 'versions-heading', text: 'Version history' }));
	const box = h('div', { id: 'versions-box' });
	const diffBox = h('div', { id: 'diff-box', 'aria-live': 'polite' });
	section.append(box, diffBox);

	async function load() {
		const v = (await api('GET', `/api/cycles/${cycleId}/ranklist/versions`)).versions;
		box.replaceChildren();
		diffBox.replaceChildren();
		if (!v.length) {
			box.append(h('p', { text: 'No version has been saved yet; the list is the computed composite order.' }));
			return;
		}
		box.append(table('Saved versions, newest first', ['Version', 'Kind', 'By', 'When', 'Ranked', 'Not ranked', 'Reason', 'SHA-256'],
			v.map((x) => h('tr', {},
				h('th', { scope: 'row', text: String(x.version) }),
				h('td', { text: KINDS[x.kind] || x.kind }),
				h('td', { text: x.created_by_name || '—' }),
				h('td', { text: shortTime(x.created_at) }),
				h('td', { text: String(x.ranked) }),
				h('td', { text: String(x.do_not_rank) }),
				h('td', { class: 'prewrap', text: x.reason || '' }),
				h('td', {}, x.sha256 ? h('code', { class: 'hash', text: x.sha256 }) : '—'))), { id: 'versions-table' }));
		if (v.length < 2)
			return;
		const opts = (sel) => v.map((x) => h('option', { value: String(x.version), selected: x.version === sel,
			text: `Version ${x.version} (${(KINDS[x.kind] || x.kind).toLowerCase()})` }));
		const from = h('select', { id: 'diff-from', name: 'from' }, ...opts(v[1].version));
		const to = h('select', { id: 'diff-to', name: 'to' }, ...opts(v[0].version));
		const form = h('form', { id: 'diff-form', class: 'diff-form' },
			h('div', { class: 'field' }, h('label', { for: 'diff-from', text: 'From version' }), from),
			h('div', { class: 'field' }, h('label', { for: 'diff-to', text: 'To version' }), to),
			h('button', { type: 'submit', text: 'Show differences' }));
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			try {
				const d = await api('GET', `/api/cycles/${cycleId}/ranklist/diff?from=${from.value}&to=${to.value}`);
				const caption = `Differences from version ${d.from} to version ${d.to}`;
				diffBox.replaceChildren(d.changes.length ?
					table(caption, ['Candidate', `Place in ${d.from}`, `Place in ${d.to}`, 'Change', 'Reason'], diffRows(d), { id: 'diff-table' }) :
					h('p', { id: 'diff-none', text: `Versions ${d.from} and ${d.to} hold the same list.` }));
			} catch (e) {
				diffBox.replaceChildren(h('p', { class: 'form-message error', role: 'alert', text: e.message }));
			}
		});
		box.append(h('h3', { text: 'Compare two versions' }), form);
	}
	return { section, load };
}

export async function ranklist(main, cycleId) {
	const cycle = (await api('GET', '/api/cycles/' + cycleId)).cycle;
	main.append(h('h1', { text: `Rank list · ${cycle.name}` }), ...await pageLinks(cycleId, 'ranklist'));

	const stateBox = h('div', { id: 'ranklist-state' });
	const saveStatus = statusLine({ id: 'ranklist-status' });
	const live = h('p', { id: 'ranklist-live', class: 'visually-hidden', 'aria-live': 'assertive' });
	const message = h('p', { class: 'form-message', role: 'alert', tabindex: '-1' });
	const list = h('ol', { id: 'ranklist', class: 'ranklist', 'aria-label': 'Rank list' });
	const actions = h('div', { class: 'sheet-actions no-print' });
	const dirtyNote = h('p', { class: 'notice warning no-print', id: 'unsaved', hidden: true,
		text: 'You have unsaved changes. Save them before certifying.' });
	const versions = versionsSection(cycleId);
	const dialog = h('dialog', { id: 'certify-dialog', 'aria-labelledby': 'certify-title' });

	let view = null;     // the list as the server last sent it
	let entries = [];    // the list being edited
	let base = [];       // ids in the order of the saved list
	let dirty = false;
	let sortable = null;

	main.append(stateBox,
		h('p', { class: 'hint no-print', id: 'ranklist-help', text: 'Drag a candidate by the handle (⠿), or use Move up and Move down. ' +
			'Each candidate you move by hand needs a reason, and so does each “do not rank”. ' +
			'The line shows how deep the list must go for the cycle’s positions. Save makes a new version; ' +
			'the director certifies it.' }),
		message, list, dirtyNote, actions, saveStatus, live, dialog,
		downloadsSection(cycleId), versions.section);

	const editable = () => view && view.state !== 'certified';

	function renderState() {
		stateBox.replaceChildren(h('p', { id: 'ranklist-state-line' }, h('strong', { text: 'State: ' }),
			STATES[view.state] || view.state,
			view.version ? ` · version ${view.version}` : '',
			` · ${view.ranked} ranked, ${view.do_not_rank} not ranked · ${view.positions} position${view.positions === 1 ? '' : 's'}`));
		if (view.state === 'reopened' && view.reason)
			stateBox.append(h('p', { text: 'Reopened because: ' + view.reason }));
		if (view.certified)
			stateBox.append(h('div', { class: 'stamp', id: 'certified-stamp', role: 'note', 'aria-label': 'Certification' },
				h('p', {}, h('span', { 'aria-hidden': 'true', text: '✔ ' }), h('strong', { text: stampText(view.certified) })),
				h('p', {}, 'SHA-256 of the certified list: ', h('code', { class: 'hash', text: view.certified.sha256 })),
				h('p', { class: 'hint', text: 'The list is frozen. Changing it needs the director to reopen it with a reason, which is logged.' })));
		if (view.missing && view.missing.length)
			stateBox.append(h('p', { class: 'notice warning', role: 'note',
				text: 'Invited since the list was saved, added at the end: ' + view.missing.map((m) => m.name).join(', ') +
					'. Place them and save before certifying.' }));
	}

	function setDirty(v) {
		dirty = v;
		dirtyNote.hidden = !v || !editable();
		renderActions();
	}

	function needsReason(e, moved) {
		return e.do_not_rank || moved;
	}

	function renderList(focus) {
		const moved = movedEntries(base, entries.map((e) => e.application_id));
		const ranks = [];
		let r = 0;
		for (const e of entries)
			ranks.push(e.do_not_rank ? null : ++r);
		const lastAbove = (() => {
			let idx = -1;
			entries.forEach((e, i) => { if (ranks[i] !== null && ranks[i] <= view.positions) idx = i; });
			return idx;
		})();
		const can = editable();
		list.replaceChildren(...entries.map((e, i) => {
			const need = can && needsReason(e, moved[i]);
			const showReason = can ? need || e.dragged || e.reason : !!e.reason;
			const rid = `reason-${e.application_id}`;
			const li = h('li', { class: 'entry' + (e.do_not_rank ? ' dnr' : '') + (ranks[i] !== null && ranks[i] <= view.positions ? ' above-line' : ''),
				'data-id': String(e.application_id) },
			h('div', { class: 'entry-main' },
				can ? h('span', { class: 'drag-handle', 'aria-hidden': 'true', title: 'Drag to move', text: '⠿' }) : null,
				h('span', { class: 'entry-rank', text: ranks[i] === null ? '—' : String(ranks[i]) }),
				h('span', { class: 'entry-name' }, h('strong', { text: e.name }),
					h('small', { class: 'hint', text: `Composite ${formatScore(e.composite)}` +
						(e.rank_composite ? ` · composite rank ${e.rank_composite}` : '') }),
					h('span', { class: 'badges' },
						e.do_not_rank ? h('span', { class: 'badge badge-dnr' }, h('span', { 'aria-hidden': 'true', text: '⊘ ' }), 'Not ranked') : null,
						(moved[i] && can) || e.moved ? h('span', { class: 'badge badge-moved' }, h('span', { 'aria-hidden': 'true', text: '↕ ' }), 'Moved by hand') : null,
						e.method_sensitive ? h('span', { class: 'badge' }, h('span', { 'aria-hidden': 'true', text: '⇅ ' }), 'Depends on method') : null)),
				can ? h('span', { class: 'entry-controls' },
					h('button', { type: 'button', class: 'secondary outline move-up', 'aria-label': `Move up: ${e.name}`,
						disabled: i === 0, text: 'Move up', onclick: () => move(i, -1, 'up') }),
					h('button', { type: 'button', class: 'secondary outline move-down', 'aria-label': `Move down: ${e.name}`,
						disabled: i === entries.length - 1, text: 'Move down', onclick: () => move(i, 1, 'down') }),
					h('label', { class: 'dnr-toggle' },
						h('input', { type: 'checkbox', role: 'switch', class: 'dnr', checked: e.do_not_rank, 'aria-label': `Do not rank ${e.name}`,
							onchange: (ev) => { e.do_not_rank = ev.target.checked; setDirty(true); renderList({ id: e.application_id, sel: 'input.dnr' }); } }),
						'Do not rank')) : null),
			showReason ? (can ? h('div', { class: 'field entry-reason', 'data-field': rid },
				h('label', { for: rid, text: (e.do_not_rank ? 'Reason for not ranking ' : 'Reason for moving ') + e.name }),
				h('input', { type: 'text', id: rid, maxlength: 1000, value: e.reason || '', required: need,
					'aria-required': need ? 'true' : null, 'aria-describedby': rid + '-error',
					oninput: (ev) => { e.reason = ev.target.value; setDirty(true); } }),
				h('small', { id: rid + '-error', class: 'field-error', 'aria-live': 'polite' })) :
				h('p', { class: 'entry-reason-text' }, h('span', { class: 'hint', text: 'Reason: ' }), e.reason)) : null,
			i === lastAbove ? h('p', { class: 'line-marker', text: `Above the line: the ${view.positions} position${view.positions === 1 ? '' : 's'}. ` +
				'Candidates below are ranked further down the match list.' }) : null);
			return li;
		}));
		if (focus) {
			const li = list.querySelector(`li[data-id="${focus.id}"]`);
			let el = li && li.querySelector(focus.sel);
			if (el && el.disabled)
				el = li.querySelector(focus.sel === '.move-up' ? '.move-down' : '.move-up');
			if (el)
				el.focus();
		}
	}

	function position(i) {
		return `position ${i + 1} of ${entries.length}`;
	}

	function move(i, d, which) {
		const j = i + d;
		if (j < 0 || j >= entries.length)
			return;
		const [e] = entries.splice(i, 1);
		entries.splice(j, 0, e);
		setDirty(true);
		renderList({ id: e.application_id, sel: which === 'up' ? '.move-up' : '.move-down' });
		live.textContent = `${e.name} moved ${which} to ${position(j)}.`;
	}

	function renderActions() {
		actions.replaceChildren();
		if (!view)
			return;
		if (editable()) {
			actions.append(h('button', { type: 'button', id: 'save-ranklist', text: 'Save the rank list', onclick: save }));
			if (isDirector())
				actions.append(h('button', { type: 'button', id: 'certify', class: 'contrast', text: 'Certify…',
					disabled: dirty, 'aria-describedby': dirty ? 'unsaved' : null, onclick: openCertify }));
			else
				actions.append(h('p', { class: 'hint', text: 'The director certifies the list.' }));
		} else if (isDirector()) {
			const rid = 'reopen-reason';
			const form = h('form', { id: 'reopen-form', novalidate: true, class: 'reopen' },
				h('div', { class: 'field', 'data-field': 'reason' },
					h('label', { for: rid, text: 'Reason for reopening' }),
					h('textarea', { id: rid, name: 'reason', rows: 2, maxlength: 1000, required: true, 'aria-required': 'true',
						'aria-describedby': rid + '-error' }),
					h('small', { id: rid + '-error', class: 'field-error', 'aria-live': 'polite' })),
				h('button', { type: 'submit', class: 'secondary', text: 'Reopen the rank list' }));
			form.addEventListener('submit', (ev) => { ev.preventDefault(); reopen(form); });
			actions.append(form);
		} else {
			actions.append(h('p', { class: 'hint', text: 'Only the director can reopen a certified list.' }));
		}
	}

	function show(v, note) {
		view = v;
		entries = v.entries.map((e) => ({ ...e, dragged: false }));
		base = entries.map((e) => e.application_id);
		for (const m of v.missing || [])
			entries.push({ application_id: m.application_id, name: m.name, composite: null, rank_composite: 0,
				do_not_rank: false, reason: '', moved: true, method_sensitive: false, dragged: false });
		renderState();
		setDirty((v.missing || []).length > 0);
		renderList();
		if (sortable)
			sortable.option('disabled', !editable());
		if (note)
			saveStatus.textContent = note;
	}

	function fail(err) {
		message.textContent = err.message;
		message.className = 'form-message error';
		message.focus();
	}

	function clearFail() {
		message.textContent = '';
		message.className = 'form-message';
		for (const el of list.querySelectorAll('[aria-invalid]'))
			el.removeAttribute('aria-invalid');
		for (const el of list.querySelectorAll('.field-error'))
			el.textContent = '';
	}

	async function save() {
		clearFail();
		saveStatus.textContent = '';
		const moved = movedEntries(base, entries.map((e) => e.application_id));
		for (const [i, e] of entries.entries()) {
			if (needsReason(e, moved[i]) && !(e.reason || '').trim()) {
				const input = list.querySelector(`#reason-${e.application_id}`);
				const text = e.do_not_rank ? `Give a reason for not ranking ${e.name}.` : `Give a reason for moving ${e.name}.`;
				if (input) {
					input.setAttribute('aria-invalid', 'true');
					list.querySelector(`#reason-${e.application_id}-error`).textContent = text;
					input.focus();
				}
				saveStatus.textContent = text;
				return;
			}
		}
		const button = actions.querySelector('#save-ranklist');
		button.setAttribute('aria-busy', 'true');
		button.disabled = true;
		try {
			const body = { entries: entries.map((e) => {
				const o = { application_id: e.application_id };
				if (e.do_not_rank)
					o.do_not_rank = true;
				if ((e.reason || '').trim())
					o.reason = e.reason.trim();
				return o;
			}), base_version: view.version || 0 };
			// The server refuses (409) when someone saved since this
			// list was loaded, rather than merging the two edits.
			const v = await api('PUT', `/api/cycles/${cycleId}/ranklist`, body);
			show(v, `Saved as version ${v.version}.`);
			await versions.load();
		} catch (e) {
			button.removeAttribute('aria-busy');
			button.disabled = false;
			fail(e);
			if (e.status === 409)
				offerLatest();
		}
	}

	// After a refused save (someone saved, or certified, meanwhile): load
	// the list as it is now; the changes made here are to be made again.
	function offerLatest() {
		const load = h('button', { type: 'button', class: 'secondary', id: 'load-latest',
			text: 'Load the current list' });
		load.addEventListener('click', async () => {
			load.setAttribute('aria-busy', 'true');
			try {
				const v = await api('GET', `/api/cycles/${cycleId}/ranklist`);
				clearFail();
				show(v, `Loaded version ${v.version}; make your changes again.`);
				await versions.load();
			} catch (err) {
				fail(err);
			}
		});
		message.append(' ', load);
	}

	function openCertify() {
		const ranked = entries.filter((e) => !e.do_not_rank);
		const dnr = entries.filter((e) => e.do_not_rank);
		const confirm = h('button', { type: 'button', id: 'certify-confirm', text: 'Certify this list' });
		const cancel = h('button', { type: 'button', class: 'secondary', text: 'Cancel', onclick: () => dialog.close() });
		const err = h('p', { class: 'form-message', role: 'alert' });
		dialog.replaceChildren(h('article', {},
			h('h2', { id: 'certify-title', text: 'Certify the rank list?' }),
			h('p', { text: view.version ? `You are certifying version ${view.version} (${(STATES[view.state] || view.state).toLowerCase()}) of the rank list of ${cycle.name}: ` +
				`${ranked.length} ranked, ${dnr.length} not ranked, for ${view.positions} position${view.positions === 1 ? '' : 's'}.` :
				`You are certifying the computed composite order of ${cycle.name}: ${ranked.length} ranked, for ${view.positions} positions.` }),
			h('div', { class: 'certify-list', tabindex: '0', role: 'region', 'aria-label': 'Ranked candidates, scrollable' }, h('ol', { 'aria-label': 'The list to certify' }, ...ranked.map((e) => h('li', { text: e.name })))),
			dnr.length ? h('p', { text: 'Not ranked: ' + dnr.map((e) => e.name).join(', ') + '.' }) : null,
			h('p', { text: 'Certifying freezes the list and records you, the time and a SHA-256 of its content. ' +
				'Changing it afterwards needs a reopen with a reason, which is logged.' }),
			err,
			h('footer', {}, cancel, confirm)));
		confirm.addEventListener('click', async () => {
			confirm.setAttribute('aria-busy', 'true');
			confirm.disabled = true;
			try {
				// The version shown in this dialog, so that a list saved
				// meanwhile by someone else is not certified unseen.
				const v = await api('POST', `/api/cycles/${cycleId}/ranklist/certify`,
					{ version: view.version || 0 });
				dialog.close();
				show(v, `Certified. SHA-256 ${v.certified ? v.certified.sha256 : ''}.`);
				await versions.load();
				stateBox.querySelector('#certified-stamp')?.focus();
			} catch (e) {
				confirm.removeAttribute('aria-busy');
				confirm.disabled = false;
				err.textContent = e.message;
				err.className = 'form-message error';
			}
		});
		dialog.showModal();
		cancel.focus();
	}

	async function reopen(form) {
		const ta = form.querySelector('textarea');
		const errEl = form.querySelector('.field-error');
		ta.removeAttribute('aria-invalid');
		errEl.textContent = '';
		const reason = ta.value.trim();
		if (!reason) {
			ta.setAttribute('aria-invalid', 'true');
			errEl.textContent = 'Give the reason for reopening.';
			ta.focus();
			return;
		}
		const button = form.querySelector('button[type="submit"]');
		button.setAttribute('aria-busy', 'true');
		button.disabled = true;
		try {
			const v = await api('POST', `/api/cycles/${cycleId}/ranklist/reopen`, { reason });
			show(v, `Reopened as version ${v.version}. The list can be edited again.`);
			await versions.load();
		} catch (e) {
			button.removeAttribute('aria-busy');
			button.disabled = false;
			ta.setAttribute('aria-invalid', 'true');
			errEl.textContent = e.message;
			ta.focus();
		}
	}

	show(await api('GET', `/api/cycles/${cycleId}/ranklist`));
	await versions.load();

	const Sortable = await loadSortable();
	sortable = Sortable.create(list, {
		handle: '.drag-handle',
		draggable: 'li.entry',
		animation: 150,
		forceFallback: true,
		fallbackOnBody: true,
		disabled: !editable(),
		onEnd: (ev) => {
			if (ev.oldIndex === ev.newIndex)
				return;
			const [e] = entries.splice(ev.oldIndex, 1);
			entries.splice(ev.newIndex, 0, e);
			e.dragged = true;
			setDirty(true);
			renderList();
			live.textContent = `${e.name} moved to ${position(ev.newIndex)}.`;
			list.querySelector(`#reason-${e.application_id}`)?.focus();
		},
	});
}

export const ranklistDefault = forRankingCycle(ranklist, 'Rank list');

// ---------------------------------------------------------------------
// The printable rank list.

export async function printable(main, cycleId) {
	const [cycle, v, r] = await Promise.all([
		api('GET', '/api/cycles/' + cycleId).then((x) => x.cycle),
		api('GET', `/api/cycles/${cycleId}/ranklist`),
		api('GET', `/api/cycles/${cycleId}/ranking`),
	]);
	const ids = new Map(r.candidates.map((c) => [c.application_id, c.identifiers || {}]));
	main.append(h('h1', { text: `Rank list · ${cycle.name}` }), ...await pageLinks(cycleId, 'ranklist/print'),
		h('p', { class: 'no-print' }, h('button', { type: 'button', id: 'print', text: 'Print', onclick: () => window.print() })),
		h('p', { id: 'print-state' }, h('strong', { text: 'State: ' }), STATES[v.state] || v.state,
			v.version ? ` · version ${v.version}` : '', ` · ${v.ranked} ranked, ${v.do_not_rank} not ranked · ` +
			`${v.positions} position${v.positions === 1 ? '' : 's'} · printed ${when(new Date(), cycle.timezone)}`));
	if (v.certified)
		main.append(h('div', { class: 'stamp', role: 'note', 'aria-label': 'Certification' },
			h('p', {}, h('strong', { text: stampText(v.certified) })),
			h('p', {}, 'SHA-256: ', h('code', { class: 'hash', text: v.certified.sha256 }))));
	else
		main.append(h('p', { class: 'notice warning', text: 'This list is not certified.' }));
	const row = (e, i, arr) => {
		const id = ids.get(e.application_id) || {};
		const line = !e.do_not_rank && e.rank === v.positions;
		return h('tr', { class: (line ? 'line-after' : '') + (arr === 'dnr' ? ' dnr' : '') },
			h('td', { text: e.rank === null ? '—' : String(e.rank) }),
			h('th', { scope: 'row', text: e.name }),
			h('td', { text: id.sfmatch || '—' }), h('td', { text: id.nrmp || '—' }), h('td', { text: id.aamc || '—' }),
			h('td', { text: formatScore(e.composite) }),
			h('td', { class: 'prewrap' }, e.reason || '',
				line ? h('strong', { class: 'line-note', text: `Above the line ends here: the ${v.positions} position${v.positions === 1 ? '' : 's'}.` }) : null));
	};
	const ranked = v.entries.filter((e) => !e.do_not_rank);
	const dnr = v.entries.filter((e) => e.do_not_rank);
	main.append(table('Ranked candidates', ['Rank', 'Candidate', 'SF Match id', 'NRMP id', 'AAMC id', 'Composite', 'Reason'],
		ranked.map((e, i) => row(e, i, 'ranked')), { id: 'print-table' }));
	if (dnr.length)
		main.append(table('Not ranked', ['Rank', 'Candidate', 'SF Match id', 'NRMP id', 'AAMC id', 'Composite', 'Reason'],
			dnr.map((e, i) => row(e, i, 'dnr'))));
}

export const printableDefault = forRankingCycle(printable, 'Rank list');
