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
import { session, guardLeaving } from '../app.js';
import { when } from '../dates.js';
import { PHASES, phaseLabel, pickCycle, statusLine, table, shortTime, formatScore, departureText } from './sheet.js';

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

// Links between the ranking's pages of one cycle (current, the page
// shown, is marked) and to the same page of the other cycles; the
// planning and meeting pages use them too.
export async function pageLinks(cycleId, current) {
	const pages = [
		['ranking', 'Ranking'],
		['ranklist', 'Rank list'],
		['ranklist/print', 'Printable rank list'],
		['planning', 'Planning'],
		['meeting', 'Rank meeting'],
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

// The reliability of each phase in a few lines: the value, what it
// means, the method and what it rests on.
function reliabilitySection(r) {
	const list = h('dl', { class: 'reliability-summary' });
	for (const [p, title] of PHASES) {
		const ph = r.phases[p];
		if (!ph)
			continue;
		const value = ph.reliability;
		list.append(h('dt', { text: title }),
			h('dd', {},
				h('strong', { class: 'reliability-value', text: value === null || value === undefined ? '—' : value.toFixed(2) }), ' ',
				h('span', { text: reliabilityText(value) }), ' ',
				h('small', { class: 'hint reliability-basis' },
					h('span', { text: METHODS[ph.reliability_method] || ph.reliability_method || '' }),
					` · ${ph.sheets} sheets from ${(ph.raters || []).length} raters · ${ph.weight}% of the composite`)));
		if (ph.warning || ph.groups > 1)
			list.append(h('dd', { class: 'notice warning', role: 'note' },
				h('span', { 'aria-hidden': 'true', text: '⚠ ' }),
				h('strong', { text: 'Disconnected design. ' }),
				ph.warning || `The raters fall into ${ph.groups} groups with no candidate in common, so their scores cannot be compared across groups.`));
	}
	return h('section', { 'aria-labelledby': 'reliability-heading', id: 'reliability' },
		h('h2', { id: 'reliability-heading', text: 'Reliability' }),
		h('p', { class: 'hint', text: 'How far the raters agree on the raw scores of the candidates they share: ' +
			'1 is perfect agreement, 0 no better than chance. The bands are a rule of thumb, not a test: ' +
			'below 0.4 poor, 0.4 to 0.6 fair, 0.6 to 0.8 good, above 0.8 excellent.' }),
		list);
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
		h('p', { text: 'by least squares. The rater effect is the rater’s leniency (the chart below). A rater who scored in both phases ' +
			'is judged on all their sheets: each phase’s leniency is drawn toward what the other phase showed of the same rater, ' +
			'as far as the sheets say the two phases agree. A rater seen in one phase only is shrunk toward zero, as far as the sheets say: ' +
			'not at all when the raters clearly differ, entirely when they do not. Leniencies average zero, so the adjusted score — the candidate effect — is ' +
			'the score an average rater would give. The interval is the adjusted score ± 1.96 standard errors (about 95%); ' +
			'n is the number of sheets. In the small charts, circles are the raters’ own scores, the shaded band the interval ' +
			'and the vertical bar the adjusted score, on a scale of 0 to 100.' }),
		h('p', {}, h('strong', { text: 'Composite: ' }), weights.join(' + ') + '. ' +
			'The weights are set by the director. A candidate without sheets in a phase gets the composite of the phases they have; ' +
			'it is marked incomplete, is not comparable with a complete one and is ranked after the complete ones.'),
		h('p', {}, h('strong', { text: 'Flags: ' }), '“Raters disagree” means that, after each rater’s leniency is taken out, ' +
			'the scores still spread by more than 15 points (standard deviation) or 30 points (range). ' +
			'“Depends on method” means the place under the composite, the raw mean and the Borda count (each rater’s own ordering, ' +
			'combined) differ by two places or more, or fall on different sides of the line for the positions; ' +
			'“Method decides the side of the line”, the flag the rank list shows, only the latter. ' +
			'“Either side of the line” means the evidence is mixed: in 10 % to 90 % of the resamples of the model ' +
			'(raters’ leniencies and the noise of each sheet drawn again from what the sheets show) the candidate is within the positions. ' +
			'“How sure” gives that chance, and the places the candidate takes in 90 % of the resamples. ' +
			'“Cannot be compared with the rest” marks candidates whose raters share no candidate with the main group of raters.'));
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

// How far a place under another method is from the composite rank, in
// words.
function placeDifference(place, rank) {
	const d = place - rank;
	if (d === 0)
		return 'same place';
	const n = Math.abs(d);
	return `${n} place${n === 1 ? '' : 's'} ${d > 0 ? 'lower' : 'higher'}`;
}

// A place under another method, and how far it is from the composite's.
function placeCell(place, rank) {
	if (!place || !rank)
		return h('td', { text: ordinalPlace(place) });
	return h('td', { class: 'place' + (place !== rank ? ' differs' : '') },
		place !== rank ? h('strong', { text: String(place) }) : String(place),
		h('small', { text: placeDifference(place, rank) }));
}

function flags(c) {
	const out = [];
	if (c.disagree) {
		const where = PHASES.filter(([p]) => c.phases[p] && c.phases[p].disagree).map(([, t]) => t.toLowerCase());
		out.push(h('li', { class: 'flag flag-disagree' }, h('span', { 'aria-hidden': 'true', text: '⚠ ' }),
			'Raters disagree' + (where.length ? ` (${where.join(', ')})` : '')));
	}
	const u = c.uncertainty;
	if (u && u.flagged)
		out.push(h('li', { class: 'flag flag-uncertain' }, h('span', { 'aria-hidden': 'true', text: '≈ ' }),
			`Either side of the line: ${Math.round(100 * u.p_top)} % within the positions`));
	if (c.isolated)
		out.push(h('li', { class: 'flag flag-isolated' }, h('span', { 'aria-hidden': 'true', text: '⊗ ' }),
			'Cannot be compared with the rest: its raters share no candidate with the main group'));
	if (c.crosses_line)
		out.push(h('li', { class: 'flag flag-method' }, h('span', { 'aria-hidden': 'true', text: '⇅ ' }), 'Method decides the side of the line'));
	if (c.composite !== null && !c.complete)
		out.push(h('li', { class: 'flag flag-incomplete' }, h('span', { 'aria-hidden': 'true', text: '◔ ' }), 'Incomplete'));
	return out.length ? h('ul', { class: 'plain flags' }, ...out) : h('span', { class: 'hint', text: 'none' });
}

// How sure the ranking is of the place: the chance of a place within the
// positions and the 90 % interval of the place (the words and a likely
// reversal are on the agenda and the top list).
function certaintyCell(c) {
	const u = c.uncertainty;
	if (!u)
		return h('td', { class: 'hint', text: '—' });
	const pct = Math.round(100 * u.p_top);
	return h('td', { class: 'certainty' },
		h('meter', { min: '0', max: '1', value: String(u.p_top), class: 'p-top',
			'aria-label': `Chance of a place within the positions: ${pct} %` }),
		h('span', { text: ` ${pct} %` }),
		h('small', { class: 'hint', text: placeRange(u) }));
}

function rankingTable(r) {
	const rows = r.candidates.map((c) => h('tr', { 'data-id': String(c.application_id), class: c.rank && c.rank <= r.positions ? 'above-line' : null },
		h('td', { class: 'rank', text: ordinalPlace(c.rank) }),
		h('th', { scope: 'row' }, h('a', { href: `#/applications/${c.application_id}`, text: c.name }),
			c.in_list ? null : h('small', { class: 'hint', text: 'not on the rank list' })),
		h('td', { class: 'composite', text: formatScore(c.composite) }),
		certaintyCell(c),
		placeCell(c.rank_raw, c.rank),
		placeCell(c.rank_borda, c.rank),
		...PHASES.map(([p, t]) => phaseCell(c.phases[p], t, c.name)),
		h('td', {}, flags(c))));
	return table('Candidates in composite order', ['Rank', 'Candidate', 'Composite', 'How sure', 'Place by raw mean', 'Place by Borda count',
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

function agendaItem(c, reasons) {
	return h('li', {}, h('strong', { text: c.name }), ` — rank ${ordinalPlace(c.rank)}`,
		h('ul', {}, ...reasons.map((t) => h('li', { text: t }))));
}

// Within two places of the line: the line's neighbours, whose order
// decides who fills the positions.
function nearLine(c, positions) {
	return c.rank > 0 && c.rank >= positions - 1 && c.rank <= positions + 2;
}


// The discussion agenda: the candidates on the rank list near the line
// and those on whose side of the line the method decides, with why.
function agendaSection(r) {
	const P = r.positions;
	const unsure = (c) => c.uncertainty && c.uncertainty.flagged;
	const items = r.candidates.filter((c) => c.in_list && (nearLine(c, P) || c.crosses_line || unsure(c))).map((c) => {
		const reasons = [];
		if (c.uncertainty && (unsure(c) || nearLine(c, P)))
			reasons.push(c.uncertainty.words);
		if (c.uncertainty && c.uncertainty.swap_words && c.rank <= P + 2)
			reasons.push(c.uncertainty.swap_words);
		if (nearLine(c, P)) {
			const above = c.rank <= P;
			const d = above ? P - c.rank + 1 : c.rank - P;
			reasons.push(d === 1 ? `Just ${above ? 'above' : 'below'} the line.` :
				`${above ? 'Above' : 'Below'} the line, ${d} places from it.`);
		}
		if (c.crosses_line)
			reasons.push(`The method decides the side of the line: rank ${ordinalPlace(c.rank)} by the composite, ` +
				`${ordinalPlace(c.rank_raw)} by the raw mean, ${ordinalPlace(c.rank_borda)} by the Borda count.`);
		for (const [p, t] of PHASES) {
			const ph = c.phases[p];
			if (ph && ph.disagree)
				reasons.push(`Raters disagree in the ${t.toLowerCase()}: scores from ${formatScore(ph.min)} to ${formatScore(ph.max)}.`);
		}
		return agendaItem(c, reasons);
	});
	const flagged = r.candidates.filter((c) => c.disagree || c.method_sensitive);
	const onList = flagged.filter((c) => c.in_list);
	const others = flagged.filter((c) => !c.in_list);
	const section = h('section', { 'aria-labelledby': 'agenda-heading', id: 'agenda' },
		h('h2', { id: 'agenda-heading', text: 'Discussion agenda' }),
		h('p', { class: 'hint', text: `Candidates on the rank list within two places of the line (ranks ${Math.max(1, P - 1)} to ${P + 2}), ` +
			'those who could be on either side of it by the resampling, and those placed on the other side of the line by the raw mean ' +
			'or the Borda count, in rank order.' }));
	section.append(items.length ? h('ol', { id: 'agenda-list' }, ...items) :
		h('p', { text: 'Nothing to discuss: no candidate on the rank list is near the line.' }));
	if (onList.length)
		section.append(h('details', { id: 'agenda-all' }, h('summary', { text: `Every flagged candidate on the rank list (${onList.length})` }),
			h('p', { class: 'hint', text: 'Raters who disagree, or a place two or more away under another method.' }),
			h('ol', {}, ...onList.map((c) => agendaItem(c, agendaReasons(c))))));
	if (others.length)
		section.append(h('details', {}, h('summary', { text: `Flagged candidates not on the rank list (${others.length})` }),
			h('ol', {}, ...others.map((c) => agendaItem(c, agendaReasons(c))))));
	return section;
}

// The places a candidate takes in 90 % of the resamples, in words.
function placeRange(u) {
	return u.rank_lo === u.rank_hi ? `Place ${u.rank_lo} in 90 % of resamples.` :
		`Place ${u.rank_lo} to ${u.rank_hi} in 90 % of resamples.`;
}

// The top of the composite order, the line after the positions.
function topSection(r, cycleId) {
	const P = r.positions;
	const top = r.candidates.filter((c) => c.rank).slice(0, Math.max(5, P + 3));
	const words = (c) => [c.in_list ? null : 'not on the rank list', c.complete ? null : 'incomplete',
		c.disagree ? 'raters disagree' : null].filter(Boolean);
	const unsure = r.candidates.filter((c) => c.in_list && c.uncertainty && c.uncertainty.flagged);
	return h('section', { 'aria-labelledby': 'top-heading', id: 'top' },
		h('h2', { id: 'top-heading', text: 'Top of the composite order' }),
		unsure.length ? h('p', { id: 'top-unsure' }, `${unsure.length} candidate${unsure.length === 1 ? '' : 's'} on the rank list ` +
			`could be on either side of the line: ${unsure.map((c) => c.name).join(', ')}. ` +
			'They are on the discussion agenda below; ',
			h('a', { href: `#/cycles/${cycleId}/meeting`, text: 'a rank meeting' }),
			' walks through them one at a time.') : null,
		top.length ? h('ol', { id: 'top-list', class: 'top-list' }, ...top.map((c) => h('li', { value: String(c.rank),
			class: c.rank === P ? 'line-after' : null },
			h('a', { href: `#/applications/${c.application_id}`, text: c.name }),
			` — composite ${formatScore(c.composite)}`,
			words(c).length ? h('small', { class: 'hint', text: ` (${words(c).join(', ')})` }) : null,
			c.uncertainty ? h('small', { class: 'top-sure' + (c.uncertainty.flagged ? ' flagged' : ''),
				text: `${c.uncertainty.words} ${placeRange(c.uncertainty)}` }) : null,
			c.rank === P ? h('small', { class: 'line-note', text: `The line: the program’s ${P} position${P === 1 ? '' : 's'} end here.` }) : null))) :
			h('p', { text: 'No sheet has been submitted yet.' }),
		h('p', {}, h('a', { href: `#/cycles/${cycleId}/ranklist`, role: 'button', class: 'no-print', text: 'Open the rank list' })));
}

// Chart.js, loaded once on first use (the ranking and planning pages).
let chartLib = null;
export async function loadChart() {
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
	// The summary first: the top, the reliability, the agenda; then the
	// details, folded.
	main.append(h('p', { id: 'ranking-summary', text: `${scored.length} candidates with submitted sheets; ` +
		`${r.positions} position${r.positions === 1 ? '' : 's'}. Composite = ` +
		PHASES.filter(([p]) => r.phases[p]).map(([p, t]) => `${r.phases[p].weight}% ${t.toLowerCase()}`).join(' + ') + '.' }),
		topSection(r, cycleId), reliabilitySection(r), agendaSection(r));
	const len = leniencySection(r);
	const table = h('details', { id: 'ranking-details' },
		h('summary', { text: `Every candidate, with the places under each method (${scored.length})` }),
		h('section', { 'aria-labelledby': 'table-heading', id: 'ranking-section' },
			h('h2', { id: 'table-heading', text: 'Ranking' }),
			h('p', { class: 'hint', text: 'Rank is by the composite; the places by the raw mean and by the Borda count show where another method ' +
				'would put the candidate, and how many places lower or higher than the composite rank. ' +
				'Each phase shows the adjusted score, its interval and n.' }),
			scored.length ? rankingTable(r) : h('p', { text: 'No sheet has been submitted yet.' })));
	const leniency = h('details', { id: 'leniency-details' },
		h('summary', { text: 'Rater leniency, with a chart per phase' }), len.section);
	main.append(h('h2', { id: 'details-heading', text: 'Details' }), helpSection(r), table, leniency);
	// Chart.js sizes a chart by its box: drawn when the box is shown.
	let drawn = false;
	leniency.addEventListener('toggle', async () => {
		if (!leniency.open || drawn || !len.charts.length)
			return;
		drawn = true;
		try {
			const Chart = await loadChart();
			for (const c of len.charts)
				drawLeniency(Chart, c);
		} catch (e) {
			len.section.append(h('p', { class: 'notice warning', text: 'The chart could not be drawn; the tables show the values. ' + e.message }));
		}
	});
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
		// A certification's warnings acknowledged: none recorded (an
		// older certification, or another kind of version), none there
		// were, or the list, folded.
		const acked = (x) => {
			if (!Array.isArray(x.acknowledged))
				return '—';
			if (!x.acknowledged.length)
				return 'None needed';
			return h('details', {}, h('summary', { text: `${x.acknowledged.length} warning${x.acknowledged.length === 1 ? '' : 's'}` }),
				acknowledgedList(x.acknowledged));
		};
		box.append(table('Saved versions, newest first', ['Version', 'Kind', 'By', 'When', 'Ranked', 'Not ranked', 'Reason',
			'Warnings acknowledged', 'SHA-256'],
		v.map((x) => h('tr', {},
			h('th', { scope: 'row', text: String(x.version) }),
			h('td', { text: KINDS[x.kind] || x.kind }),
			h('td', { text: x.created_by_name || '—' }),
			h('td', { text: shortTime(x.created_at) }),
			h('td', { text: String(x.ranked) }),
			h('td', { text: String(x.do_not_rank) }),
			h('td', { class: 'prewrap', text: x.reason || '' }),
			h('td', { class: 'acknowledged-cell' }, acked(x)),
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

// The warnings acknowledged at a certification, as a short list: each
// warning's title and count, and whom it concerned.
function acknowledgedList(acked) {
	return h('ul', { class: 'acknowledged' }, ...acked.map((w) => h('li', {},
		`${w.title} (${w.count})`,
		w.items && w.items.length ? h('small', { class: 'hint', text: ': ' + w.items.map((i) => i.name).join(', ') }) : null)));
}

// The controls of a row, in the order the arrow keys go through them.
const CONTROLS = ['.move-up', '.move-down', '.move-top', '.move-bottom', '.move-to', 'input.dnr'];
// Where focus goes when the control used is disabled by its own move.
const INSTEAD = { '.move-up': '.move-down', '.move-top': '.move-down', '.move-down': '.move-up', '.move-bottom': '.move-up' };

export async function ranklist(main, cycleId) {
	const cycle = (await api('GET', '/api/cycles/' + cycleId)).cycle;
	main.append(h('h1', { text: `Rank list · ${cycle.name}` }), ...await pageLinks(cycleId, 'ranklist'));

	const stateBox = h('div', { id: 'ranklist-state' });
	const saveStatus = statusLine({ id: 'ranklist-status' });
	const live = h('p', { id: 'ranklist-live', class: 'visually-hidden', 'aria-live': 'assertive' });
	const message = h('p', { class: 'form-message', role: 'alert', tabindex: '-1' });
	const help = h('div', { id: 'ranklist-help', class: 'no-print' });
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
	let movingTo = null; // the id whose "move to position" form is open
	const active = new Map(); // per row, the control with the tab stop

	main.append(stateBox, help, message, list, dirtyNote, actions, saveStatus, live, dialog,
		downloadsSection(cycleId), versions.section);

	const editable = () => view && view.state !== 'certified';

	// Edits not saved are not lost by leaving the page unawares.
	guardLeaving(() => dirty && editable() ?
		'The rank list has changes that are not saved. Leave this page and lose them?' : null);

	function renderHelp() {
		const P = view.positions;
		const line = `The line marks the program’s ${P} position${P === 1 ? '' : 's'}. ` +
			'It is not how deep the list must go: the match fills the positions from the whole list, and candidates above the line ' +
			'may match at programs they rank higher, so a list that is to fill the positions must go much deeper than the line.';
		help.replaceChildren(editable() ?
			h('p', { class: 'hint', text: 'Drag a candidate by the handle (⠿), or use the buttons of its row: Up, Down, Top, Bottom, ' +
				'or Move to… a position. The Tab key stops once on each row; the Left and Right arrow keys go through its buttons. ' +
				'Each candidate you move by hand needs a reason, and so does each “do not rank”. ' +
				'Save makes a new version; the director certifies it.' }) :
			h('p', { class: 'hint', text: 'This list is certified: it cannot change until the director reopens it.' }),
		h('p', { class: 'hint', id: 'line-help' }, line + ' ',
			h('a', { href: `#/cycles/${cycleId}/planning`, text: 'How deep to rank' }),
			' shows, by a model of the match, how likely a list of each length is to fill them.'));
	}

	function renderState() {
		stateBox.replaceChildren(h('p', { id: 'ranklist-state-line' }, h('strong', { text: 'State: ' }),
			STATES[view.state] || view.state,
			view.version ? ` · version ${view.version}` : '',
			` · ${view.ranked} ranked, ${view.do_not_rank} not ranked · ${view.positions} position${view.positions === 1 ? '' : 's'}`));
		if (view.state === 'reopened' && view.reason)
			stateBox.append(h('p', { text: 'Reopened because: ' + view.reason }));
		if (view.certified) {
			const acked = view.certified.acknowledged;
			stateBox.append(h('div', { class: 'stamp', id: 'certified-stamp', role: 'note', 'aria-label': 'Certification', tabindex: '-1' },
				h('p', {}, h('span', { 'aria-hidden': 'true', text: '✔ ' }), h('strong', { text: stampText(view.certified) })),
				h('p', {}, 'SHA-256 of the certified list: ', h('code', { class: 'hash', text: view.certified.sha256 })),
				view.as_certified ? h('p', { class: 'hint', text: 'Names, composites and match identifiers are shown as they were at certification.' }) : null,
				acked && acked.length ? h('div', {}, h('p', { text: 'Warnings acknowledged at certification:' }), acknowledgedList(acked)) :
					acked ? h('p', { text: 'Nothing needed acknowledging at certification.' }) : null,
				h('p', { class: 'hint', text: 'The list is frozen. Changing it needs the director to reopen it with a reason, which is logged.' })));
		}
		if (view.missing && view.missing.length)
			stateBox.append(h('p', { class: 'notice warning', role: 'note',
				text: 'Invited since the list was saved, added at the end: ' + view.missing.map((m) => m.name).join(', ') +
					'. Place them and save before certifying.' }));
		renderDepartures();
	}

	// Who on the list is no longer a candidate. Under a certified list:
	// who left it since, and when (the list and its exports still say
	// what was certified); the director decides whether to reopen it.
	function renderDepartures() {
		const gone = view.departures || [];
		if (!gone.length)
			return;
		const certified = view.state === 'certified';
		const box = h('div', { class: 'notice warning', id: 'ranklist-departures', role: 'note',
			'aria-labelledby': 'ranklist-departures-title' },
		h('p', {}, h('strong', { id: 'ranklist-departures-title', text: certified ?
			`Since certification, ${gone.length === 1 ? 'a candidate' : gone.length + ' candidates'} on this list left it:` :
			`No longer ${gone.length === 1 ? 'a candidate' : 'candidates'}:` })),
		h('ul', {}, ...gone.map((d) => h('li', { text: departureText(d, cycle.timezone) + '.' }))));
		if (certified)
			box.append(h('p', { text: 'The certified list, its match CSV and the archive still show the names and identifiers as certified. ' +
				(isDirector() ? 'Reopen the list (below) to take them off it, then certify again.' :
					'The director decides whether to reopen the list.') }));
		else if (editable()) {
			box.append(h('p', { text: 'Take them off the list and save it before certifying or exporting.' }),
				h('button', { type: 'button', class: 'secondary', id: 'drop-departed', text: 'Take them off the list',
					onclick: () => {
						const ids = new Set(gone.map((d) => d.application_id));
						entries = entries.filter((e) => !ids.has(e.application_id));
						setDirty(true);
						renderList();
						live.textContent = `${gone.length === 1 ? '1 entry' : gone.length + ' entries'} taken off the list; save it to keep this.`;
					} }));
		}
		stateBox.append(box);
	}

	function setDirty(v) {
		dirty = v;
		dirtyNote.hidden = !v || !editable();
		renderActions();
	}

	function needsReason(e, moved) {
		return e.do_not_rank || moved;
	}

	// The row's controls that can take focus, in arrow-key order.
	function controlsOf(li) {
		return CONTROLS.map((sel) => li.querySelector(sel)).filter((el) => el && !el.disabled);
	}

	// One tab stop per row: the control last used in it, else its first.
	function setTabStop(li, el) {
		for (const c of li.querySelectorAll('.entry-controls button, .entry-controls input'))
			c.tabIndex = c === el ? 0 : -1;
	}

	function toolbarKeys(ev) {
		const li = ev.currentTarget.closest('li.entry');
		const ctl = controlsOf(li);
		const at = ctl.indexOf(document.activeElement);
		let to = null;
		if (ev.key === 'ArrowRight')
			to = ctl[(at + 1) % ctl.length];
		else if (ev.key === 'ArrowLeft')
			to = ctl[(at - 1 + ctl.length) % ctl.length];
		else if (ev.key === 'Home')
			to = ctl[0];
		else if (ev.key === 'End')
			to = ctl[ctl.length - 1];
		if (!to)
			return;
		ev.preventDefault();
		setTabStop(li, to);
		to.focus();
	}

	function departedBadge(e) {
		const d = (view.departures || []).find((x) => x.application_id === e.application_id);
		return d && d.status === 'withdrawn' ? 'Withdrew' + (d.withdrawn_at ? ' on ' + when(d.withdrawn_at, cycle.timezone) : '') :
			'No longer a candidate';
	}

	function notInterviewed(e) {
		if (e.interview_sheets !== 0 || e.departed)
			return null;
		return h('span', { class: 'badge badge-interview' }, h('span', { 'aria-hidden': 'true', text: '○ ' }),
			'Not interviewed', h('small', { class: 'hint', text: e.invited ? ' (invited; no interview sheet yet)' : ' (not invited)' }));
	}

	function moveToForm(e, i) {
		const id = `move-to-${e.application_id}`;
		const input = h('input', { type: 'number', id, min: 1, max: entries.length, step: 1, value: String(i + 1), required: true,
			inputmode: 'numeric', 'aria-describedby': id + '-error' });
		const form = h('form', { class: 'move-to-form', novalidate: true, 'data-for': String(e.application_id) },
			h('label', { for: id, text: `New position for ${e.name} (1 to ${entries.length})` }),
			h('div', { class: 'move-to-row' }, input,
				h('button', { type: 'submit', text: 'Move' }),
				h('button', { type: 'button', class: 'secondary', text: 'Cancel', onclick: () => closeMoveTo(e) })),
			h('small', { id: id + '-error', class: 'field-error', 'aria-live': 'polite' }));
		form.addEventListener('keydown', (ev) => {
			if (ev.key === 'Escape') {
				ev.preventDefault();
				closeMoveTo(e);
			}
		});
		form.addEventListener('submit', (ev) => {
			ev.preventDefault();
			const n = Number(input.value);
			if (!Number.isInteger(n) || n < 1 || n > entries.length) {
				input.setAttribute('aria-invalid', 'true');
				form.querySelector('.field-error').textContent = `Give a position from 1 to ${entries.length}.`;
				input.focus();
				return;
			}
			movingTo = null;
			move(entries.indexOf(e), n - 1, '.move-to');
		});
		return form;
	}

	function openMoveTo(e) {
		movingTo = e.application_id;
		renderList();
		const input = list.querySelector(`#move-to-${e.application_id}`);
		input?.focus();
		input?.select();
	}

	function closeMoveTo(e) {
		movingTo = null;
		renderList({ id: e.application_id, sel: '.move-to' });
	}

	function controlButton(cls, text, label, disabled, onclick) {
		return h('button', { type: 'button', class: `secondary outline ${cls}`, 'aria-label': label, text, disabled, onclick });
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
		const last = entries.length - 1;
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
						e.departed ? h('span', { class: 'badge badge-departed' }, h('span', { 'aria-hidden': 'true', text: '⚠ ' }),
							departedBadge(e)) : null,
						notInterviewed(e),
						e.crosses_line ? h('span', { class: 'badge' }, h('span', { 'aria-hidden': 'true', text: '⇅ ' }), 'Method decides the side of the line') : null,
						e.p_top !== null && e.p_top !== undefined && e.p_top >= 0.1 && e.p_top <= 0.9 ?
							h('span', { class: 'badge badge-uncertain' }, h('span', { 'aria-hidden': 'true', text: '≈ ' }),
								`Either side of the line (${Math.round(100 * e.p_top)} % within the positions)`) : null,
						e.isolated ? h('span', { class: 'badge badge-isolated' }, h('span', { 'aria-hidden': 'true', text: '⊗ ' }),
							'Cannot be compared with the rest') : null)),
				can ? h('div', { class: 'entry-controls', role: 'toolbar', 'aria-label': `Move ${e.name}`, onkeydown: toolbarKeys,
					onfocusin: (ev) => { if (ev.target.matches('button, input')) { active.set(e.application_id, ev.target); setTabStop(li, ev.target); } } },
				controlButton('move-up', 'Up', `Move up: ${e.name}`, i === 0, () => move(i, i - 1, '.move-up')),
				controlButton('move-down', 'Down', `Move down: ${e.name}`, i === last, () => move(i, i + 1, '.move-down')),
				controlButton('move-top', 'Top', `Move to the top: ${e.name}`, i === 0, () => move(i, 0, '.move-top')),
				controlButton('move-bottom', 'Bottom', `Move to the bottom: ${e.name}`, i === last, () => move(i, last, '.move-bottom')),
				controlButton('move-to', 'Move to…', `Move to position…: ${e.name}`, last < 1, () => openMoveTo(e)),
				h('label', { class: 'dnr-toggle' },
					h('input', { type: 'checkbox', role: 'switch', class: 'dnr', checked: e.do_not_rank, 'aria-label': `Do not rank ${e.name}`,
						onchange: (ev) => { e.do_not_rank = ev.target.checked; setDirty(true); renderList({ id: e.application_id, sel: 'input.dnr' }); } }),
					'Do not rank')) : null),
			can && movingTo === e.application_id ? moveToForm(e, i) : null,
			showReason ? (can ? h('div', { class: 'field entry-reason', 'data-field': rid },
				h('label', { for: rid, text: (e.do_not_rank ? 'Reason for not ranking ' : 'Reason for moving ') + e.name }),
				h('input', { type: 'text', id: rid, maxlength: 1000, value: e.reason || '', required: need,
					'aria-required': need ? 'true' : null, 'aria-describedby': rid + '-error',
					oninput: (ev) => { e.reason = ev.target.value; setDirty(true); } }),
				h('small', { id: rid + '-error', class: 'field-error', 'aria-live': 'polite' })) :
				h('p', { class: 'entry-reason-text' }, h('span', { class: 'hint', text: 'Reason: ' }), e.reason)) : null,
			i === lastAbove ? h('p', { class: 'line-marker', text: `Above the line: the ${view.positions} position${view.positions === 1 ? '' : 's'}. ` +
				'A list that is to fill them must go much deeper than this line.' }) : null);
			if (can) {
				const ctl = controlsOf(li);
				const kept = active.get(e.application_id);
				const sel = kept && CONTROLS.find((c) => kept.matches(c));
				setTabStop(li, (sel && li.querySelector(sel) && !li.querySelector(sel).disabled) ? li.querySelector(sel) : ctl[0]);
			}
			return li;
		}));
		if (focus) {
			const li = list.querySelector(`li[data-id="${focus.id}"]`);
			let el = li && li.querySelector(focus.sel);
			if (el && el.disabled)
				el = li.querySelector(INSTEAD[focus.sel] || '.move-to');
			if (el) {
				setTabStop(li, el);
				active.set(focus.id, el);
				el.focus();
			}
		}
	}

	function position(i) {
		return `position ${i + 1} of ${entries.length}`;
	}

	// Moves entry i to index j; focus stays on the control used (sel).
	function move(i, j, sel) {
		if (i < 0 || j < 0 || j >= entries.length)
			return;
		const [e] = entries.splice(i, 1);
		entries.splice(j, 0, e);
		if (j !== i)
			setDirty(true);
		renderList({ id: e.application_id, sel });
		live.textContent = j === i ? `${e.name} stays at ${position(j)}.` :
			`${e.name} moved ${j < i ? 'up' : 'down'} to ${position(j)}.`;
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
				do_not_rank: false, reason: '', moved: true, method_sensitive: false, crosses_line: false, dragged: false });
		movingTo = null;
		renderState();
		renderHelp();
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

	async function loadLatest(note) {
		const v = await api('GET', `/api/cycles/${cycleId}/ranklist`);
		clearFail();
		show(v, note(v));
		await versions.load();
	}

	// After a refused save (someone saved, or certified, meanwhile): load
	// the list as it is now; the changes made here are to be made again.
	function offerLatest() {
		const load = h('button', { type: 'button', class: 'secondary', id: 'load-latest',
			text: 'Load the current list' });
		load.addEventListener('click', async () => {
			load.setAttribute('aria-busy', 'true');
			try {
				await loadLatest((v) => `Loaded version ${v.version}; make your changes again.`);
			} catch (err) {
				fail(err);
			}
		});
		message.append(' ', load);
	}

	// What blocks certification, each with where to act on it.
	function blockingItem(b) {
		const li = h('li', { text: b.message });
		if (b.code === 'phase_open')
			li.append(' ', h('a', { href: `#/cycles/${cycleId}/assignments/${b.phase}`,
				text: `Close ${b.phase} scoring on the Reviewers page` }), '.');
		if (b.items && b.items.length)
			li.append(h('small', { class: 'hint', text: ' ' + b.items.map((x) => x.name).join(', ') + '.' }));
		return li;
	}

	// A warning with its checkbox, its sentence and whom it concerns.
	function warningItem(w) {
		const id = `ack-${w.code}`;
		return h('div', { class: 'ack', 'data-code': w.code },
			h('label', { for: id },
				h('input', { type: 'checkbox', id, name: 'acknowledged', value: w.code, 'aria-describedby': id + '-text' }),
				`${w.title} (${w.count})`),
			h('p', { id: id + '-text', class: 'hint', text: w.message }),
			h('details', {}, h('summary', { text: `Whom it concerns (${w.items.length})` }),
				h('ul', {}, ...w.items.map((x) => h('li', {}, h('strong', { text: x.name }), x.detail ? ` — ${x.detail}` : '')))));
	}

	async function openCertify() {
		const ranked = entries.filter((e) => !e.do_not_rank);
		const dnr = entries.filter((e) => e.do_not_rank);
		let ready;
		try {
			ready = await api('GET', `/api/cycles/${cycleId}/ranklist/readiness?version=${view.version || 0}`);
		} catch (e) {
			fail(e);
			return;
		}
		const blocked = ready.blocking.length > 0;
		const confirm = h('button', { type: 'button', id: 'certify-confirm', text: 'Certify this list', disabled: blocked,
			'aria-describedby': blocked ? 'certify-blocking-heading' : null });
		const cancel = h('button', { type: 'button', class: 'secondary', text: 'Cancel', onclick: () => dialog.close() });
		const err = h('p', { class: 'form-message', role: 'alert', id: 'certify-error' });
		const warnings = ready.warnings.length ?
			h('fieldset', { id: 'certify-warnings', class: 'readiness' },
				h('legend', { text: `Warnings (${ready.warnings.length}): acknowledge each one to certify` }),
				...ready.warnings.map(warningItem)) :
			h('p', { id: 'certify-warnings', class: 'notice', text: 'No warnings: every ranked candidate was interviewed by each rater assigned, ' +
				'every assigned sheet is submitted, the raters can be compared and no conflict was declared after scoring.' });
		dialog.replaceChildren(h('article', {},
			h('h2', { id: 'certify-title', text: 'Certify the rank list?' }),
			h('p', { text: view.version ? `You are certifying version ${view.version} (${(STATES[view.state] || view.state).toLowerCase()}) of the rank list of ${cycle.name}: ` +
				`${ranked.length} ranked, ${dnr.length} not ranked, for ${view.positions} position${view.positions === 1 ? '' : 's'}.` :
				`You are certifying the computed composite order of ${cycle.name}: ${ranked.length} ranked, for ${view.positions} positions.` }),
			blocked ? h('section', { class: 'readiness blocking', 'aria-labelledby': 'certify-blocking-heading' },
				h('h3', { id: 'certify-blocking-heading', text: 'Not ready: this must be resolved first' }),
				h('ul', { id: 'certify-blocking' }, ...ready.blocking.map(blockingItem))) : null,
			warnings,
			h('div', { class: 'certify-list', tabindex: '0', role: 'region', 'aria-label': 'Ranked candidates, scrollable' }, h('ol', { 'aria-label': 'The list to certify' }, ...ranked.map((e) => h('li', { text: e.name })))),
			dnr.length ? h('p', { text: 'Not ranked: ' + dnr.map((e) => e.name).join(', ') + '.' }) : null,
			h('p', { text: 'Certifying freezes the list and records you, the time, a SHA-256 of its content and the warnings you acknowledged. ' +
				'Changing it afterwards needs a reopen with a reason, which is logged.' }),
			err,
			h('footer', {}, cancel, confirm)));
		confirm.addEventListener('click', async () => {
			const boxes = [...dialog.querySelectorAll('input[name="acknowledged"]')];
			const unchecked = boxes.filter((b) => !b.checked);
			err.className = 'form-message';
			err.textContent = '';
			if (unchecked.length) {
				err.textContent = 'Acknowledge each warning to certify: ' +
					unchecked.map((b) => ready.warnings.find((w) => w.code === b.value).title).join('; ') + '.';
				err.className = 'form-message error';
				unchecked[0].focus();
				return;
			}
			confirm.setAttribute('aria-busy', 'true');
			confirm.disabled = true;
			try {
				// The version shown in this dialog, so that a list saved
				// meanwhile by someone else is not certified unseen, and
				// the warnings acknowledged, kept with the version, each
				// with the count shown: a warning that changed meanwhile
				// is refused (409), to be reviewed again.
				const v = await api('POST', `/api/cycles/${cycleId}/ranklist/certify`,
					{ version: view.version || 0, acknowledged: boxes.map((b) =>
						({ code: b.value, count: ready.warnings.find((w) => w.code === b.value).count })) });
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
				line ? h('strong', { class: 'line-note', text: `The line: the program’s ${v.positions} position${v.positions === 1 ? '' : 's'} end here. ` +
					'A list that is to fill them must go much deeper.' }) : null));
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
