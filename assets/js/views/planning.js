// The director's planning page for one cycle (staff), linked from the
// ranking's pages. Two tools, each with a Chart.js chart, the same
// figures in a table and a short explanation:
//  - how deep to rank: a simulation of the match for this program
//    (GET .../ranking/depth), the probability of filling every position
//    against the length of the list, the recommended minimum length and
//    the current list's length marked, and the assumptions in a form to
//    recompute with;
//  - weight sensitivity (GET .../ranking/sensitivity): each top
//    candidate's place as the screening weight goes from 0 to 100, and
//    in sentences who enters or leaves the positions at which weights.
// Chart.js is loaded only when this page is shown.
import { api } from '../api.js';
import { h, field, formMessage, showError, clearErrors, busy } from '../dom.js';
import { statusLine } from './sheet.js';
import { loadChart, pageLinks } from './ranking.js';

// Colours with enough contrast on the light background, cycled; each
// line also has its own point shape, so colour is never the only cue.
const COLOURS = ['#1f5f9e', '#a8520d', '#2e7d32', '#8e24aa', '#c62828', '#00695c', '#5d4037', '#3949ab', '#ad1457', '#546e7a'];
const SHAPES = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot', 'rectRounded', 'cross', 'dash', 'line'];

function percent(p) {
	return p === null || p === undefined ? '—' : `${(p * 100).toFixed(1)} %`;
}

function weightText(w) {
	return `${fmt(w.screening)} / ${fmt(w.interview)}`;
}

function fmt(x) {
	return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

function themeColours() {
	const styles = getComputedStyle(document.body);
	return {
		text: styles.getPropertyValue('--pico-color').trim() || '#333',
		grid: styles.getPropertyValue('--pico-muted-border-color').trim() || '#ccc',
	};
}

// ---------------------------------------------------------------------
// How deep to rank.

const ASSUMPTIONS = [
	['list_length', 'List length to check', 'How many candidates you intend to rank; by default your current list.', { min: 0, max: 500, step: 1 }],
	['p_first', 'Share of candidates who rank this program first', 'A number from 0 to 1.', { min: 0, max: 1, step: 0.01 }],
	['p_elsewhere_top', 'Chance that your top candidate matches a program they prefer', 'A number from 0 to 1; stronger candidates have more offers.', { min: 0, max: 1, step: 0.01 }],
	['p_elsewhere_bottom', 'Chance that your last candidate matches a program they prefer', 'A number from 0 to 1.', { min: 0, max: 1, step: 0.01 }],
	['target', 'Target probability of filling every position', 'From 0.5 to 0.999.', { min: 0.5, max: 0.999, step: 0.001 }],
	['trials', 'Simulated matches', 'From 100 to 50000; more is steadier and slower.', { min: 100, max: 50000, step: 100 }],
	['seed', 'Random seed', 'The same seed and assumptions give the same figures.', { min: 0, step: 1 }],
];

function depthChartLabel(d) {
	const best = d.recommended_length ? `The recommended minimum length is ${d.recommended_length}.` :
		'No length simulated reaches the target.';
	const at = d.at_list_length ? ` Your list of ${d.at_list_length.length} fills every position in ${percent(d.at_list_length.p_fill)} of simulated matches.` : '';
	return `Line chart of the probability of filling all ${d.positions} positions against the length of the rank list, ` +
		`from ${d.rows[0].length} to ${d.rows[d.rows.length - 1].length}. ${best}${at} The same values are in the table below.`;
}

function depthTable(d) {
	const rows = d.rows.map((r) => {
		const notes = [];
		if (r.length === d.recommended_length)
			notes.push('recommended minimum');
		if (r.length === d.list_length)
			notes.push('your list');
		return h('tr', { class: notes.length ? 'marked' : null },
			h('th', { scope: 'row', text: String(r.length) }),
			h('td', { text: percent(r.p_fill) }),
			h('td', { text: r.expected_filled.toFixed(2) }),
			h('td', { text: notes.join(', ') }));
	});
	return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Filling the positions by list length' },
		h('table', { class: 'striped', id: 'depth-table' },
			h('caption', { text: 'Filling the positions by list length (simulated)' }),
			h('thead', {}, h('tr', {}, ...['List length', 'Probability of filling every position', 'Positions filled on average', 'Note']
				.map((t) => h('th', { scope: 'col', text: t })))),
			h('tbody', {}, ...rows)));
}

function drawDepth(Chart, canvas, d) {
	const { text, grid } = themeColours();
	const labels = d.rows.map((r) => r.length);
	const radius = d.rows.map((r) => r.length === d.recommended_length ? 8 : r.length === d.list_length ? 6 : 2);
	const style = d.rows.map((r) => r.length === d.recommended_length ? 'star' : r.length === d.list_length ? 'rectRot' : 'circle');
	return new Chart(canvas, {
		type: 'line',
		data: {
			labels,
			datasets: [{
				label: 'Probability of filling every position',
				data: d.rows.map((r) => r.p_fill),
				borderColor: '#1f5f9e',
				backgroundColor: d.rows.map((r) => r.length === d.recommended_length ? '#2e7d32' : r.length === d.list_length ? '#a8520d' : '#1f5f9e'),
				pointRadius: radius,
				pointStyle: style,
				tension: 0,
			}, {
				label: `Target (${percent(d.parameters.target)})`,
				data: d.rows.map(() => d.parameters.target),
				borderColor: '#777',
				borderDash: [6, 4],
				pointRadius: 0,
			}],
		},
		options: {
			animation: false,
			responsive: true,
			maintainAspectRatio: false,
			plugins: {
				legend: { labels: { color: text } },
				tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${percent(ctx.parsed.y)}` } },
			},
			scales: {
				x: { title: { display: true, text: 'Length of the rank list (candidates ranked)', color: text }, ticks: { color: text }, grid: { color: grid } },
				y: { min: 0, max: 1, title: { display: true, text: 'Probability of filling every position', color: text },
					ticks: { color: text, callback: (v) => `${Math.round(v * 100)} %` }, grid: { color: grid } },
			},
		},
	});
}

async function depthSection(cycleId, container) {
	const section = h('section', { 'aria-labelledby': 'depth-heading', id: 'depth' },
		h('h2', { id: 'depth-heading', text: 'How deep to rank' }),
		h('p', { class: 'notice warning', id: 'depth-model' }),
		h('p', { text: 'In the match (NRMP, SF Match) an applicant reaches your program only if no program they prefer keeps them; ' +
			'your program then keeps the highest on your list among those who reach it. A list that is too short can leave a position empty ' +
			'even when good candidates would have come. The chart shows, for each length of your list, how often the simulated match ' +
			'fills every position under the assumptions in the form.' }));
	const status = statusLine({ id: 'depth-summary' });
	const canvas = h('canvas', { role: 'img', id: 'depth-chart', 'aria-describedby': 'depth-table' });
	const box = h('div', { class: 'chart-box' }, canvas);
	const tableSlot = h('div');
	const notes = h('div', { class: 'hint' });
	const form = h('form', { id: 'depth-form', novalidate: true },
		h('fieldset', {}, h('legend', { text: 'Assumptions' }),
			...ASSUMPTIONS.map(([name, label, hint, attrs]) => field(label, name, { type: 'number', ...attrs }, hint))),
		formMessage(),
		h('div', { class: 'actions' },
			h('button', { type: 'submit', text: 'Recompute' }),
			h('button', { type: 'button', class: 'secondary', id: 'depth-defaults', text: 'Restore the defaults' })));
	section.append(status, box, tableSlot, form, notes);
	container.replaceChildren(section);
	let chart = null;

	async function show(query) {
		const d = await api('GET', `/api/cycles/${cycleId}/ranking/depth${query}`);
		section.querySelector('#depth-model').textContent = d.model;
		const mine = d.at_list_length ? ` Your list of ${d.at_list_length.length}: ${percent(d.at_list_length.p_fill)}.` :
			d.list_length < d.positions ? ` Your list of ${d.list_length} is shorter than the ${d.positions} positions.` : '';
		status.textContent = d.summary + mine;
		for (const [name] of ASSUMPTIONS) {
			const input = form.elements[name];
			input.value = name === 'list_length' ? d.list_length : d.parameters[name];
		}
		notes.replaceChildren(
			h('p', {}, h('strong', { text: 'The model. ' }), d.assumptions),
			h('p', {}, h('strong', { text: 'Where the defaults come from. ' }), d.sources),
			h('p', { text: `The pool (the candidates you can rank) holds ${d.pool}; lengths from ${d.positions} to ${d.parameters.max_length} were simulated, ` +
				`${d.parameters.trials} matches each.` }));
		tableSlot.replaceChildren(depthTable(d));
		canvas.setAttribute('aria-label', depthChartLabel(d));
		try {
			const Chart = await loadChart();
			if (chart)
				chart.destroy();
			chart = drawDepth(Chart, canvas, d);
		} catch (e) {
			box.replaceChildren(h('p', { class: 'notice warning', text: 'The chart could not be drawn; the table shows the values. ' + e.message }));
		}
	}

	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors(form);
		const q = new URLSearchParams();
		for (const [name] of ASSUMPTIONS) {
			const v = form.elements[name].value.trim();
			if (v !== '')
				q.set(name, v);
		}
		await busy(form, async () => {
			try {
				await show('?' + q.toString());
			} catch (e) {
				showError(form, e);
			}
		});
	});
	form.querySelector('#depth-defaults').addEventListener('click', async () => {
		clearErrors(form);
		try {
			await show('');
		} catch (e) {
			showError(form, e);
		}
	});
	await show('');
}

// ---------------------------------------------------------------------
// Weight sensitivity.

function changeSentences(s) {
	const names = (xs) => xs.map((x) => x.name).join(', ');
	const items = s.changes.map((c) => {
		const parts = [];
		if (c.entered.length)
			parts.push(`${names(c.entered)} ${c.entered.length === 1 ? 'enters' : 'enter'} the positions`);
		if (c.left.length)
			parts.push(`${names(c.left)} ${c.left.length === 1 ? 'leaves' : 'leave'} them`);
		return h('li', { text: `From ${weightText(c.from)} to ${weightText(c.to)} (screening / interview): ${parts.join('; ')}.` });
	});
	const out = [];
	if (s.stable.length)
		out.push(h('p', { text: `At every weight, ${names(s.stable)} ${s.stable.length === 1 ? 'holds a position' : 'hold positions'}.` }));
	out.push(items.length ? h('ul', { id: 'sensitivity-changes' }, ...items) :
		h('p', { id: 'sensitivity-changes', text: 'Nobody enters or leaves the positions as the weights move.' }));
	return out;
}

function sensitivityTable(s) {
	const head = h('tr', {}, h('th', { scope: 'col', text: 'Candidate' }),
		...s.weights.map((w) => h('th', { scope: 'col', text: weightText(w) + (w.current ? ' (current)' : '') })));
	const rows = s.candidates.map((c) => h('tr', {},
		h('th', { scope: 'row', text: c.name }),
		...c.ranks.map((r) => h('td', { class: r && r <= s.positions ? 'in-positions' : null,
			text: r ? String(r) + (r <= s.positions ? ' ★' : '') : '—' }))));
	return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Places by weight' },
		h('table', { class: 'striped', id: 'sensitivity-table' },
			h('caption', { text: `Places by weight (screening / interview); ★ marks the ${s.positions} positions` }),
			h('thead', {}, head), h('tbody', {}, ...rows)));
}

function drawSensitivity(Chart, canvas, s) {
	const { text, grid } = themeColours();
	const current = s.weights.findIndex((w) => w.current);
	return new Chart(canvas, {
		type: 'line',
		data: {
			labels: s.weights.map((w) => weightText(w) + (w.current ? ' ◆' : '')),
			datasets: s.candidates.map((c, i) => ({
				label: c.name,
				data: c.ranks.map((r) => r && r <= s.top_n ? r : null),
				borderColor: COLOURS[i % COLOURS.length],
				backgroundColor: COLOURS[i % COLOURS.length],
				pointStyle: SHAPES[i % SHAPES.length],
				pointRadius: c.ranks.map((_, j) => j === current ? 6 : 3),
				spanGaps: false,
				tension: 0,
			})),
		},
		options: {
			animation: false,
			responsive: true,
			maintainAspectRatio: false,
			plugins: { legend: { position: 'right', labels: { color: text, usePointStyle: true } } },
			scales: {
				x: { title: { display: true, text: 'Weights: screening / interview (◆ the program’s own)', color: text },
					ticks: { color: text }, grid: { color: grid } },
				y: { reverse: true, min: 1, max: Math.max(s.top_n, 1), title: { display: true, text: 'Place on the list', color: text },
					ticks: { color: text, stepSize: 1, precision: 0 }, grid: { color: grid } },
			},
		},
	});
}

async function sensitivitySection(cycleId, container) {
	const section = h('section', { 'aria-labelledby': 'sensitivity-heading', id: 'sensitivity' },
		h('h2', { id: 'sensitivity-heading', text: 'Weight sensitivity' }),
		h('p', { text: 'The composite mixes the screening and interview scores by the program’s weights. Here the mix moves from all interview ' +
			'(0 / 100) to all screening (100 / 0): the chart shows each top candidate’s place at every mix, and the list below says who enters ' +
			'or leaves the positions, and where. If the same candidates hold the positions over a wide range around your weights, the choice ' +
			'of weights does not decide who is on top.' }));
	const status = statusLine({ id: 'sensitivity-summary' });
	const canvas = h('canvas', { role: 'img', id: 'sensitivity-chart', 'aria-describedby': 'sensitivity-table' });
	const box = h('div', { class: 'chart-box chart-tall' }, canvas);
	const slot = h('div');
	const sentences = h('div');
	const stepSelect = h('select', { id: 'sensitivity-step', name: 'step' },
		h('option', { value: '5', text: 'every 5 points', selected: true }), h('option', { value: '10', text: 'every 10 points' }));
	const form = h('form', { id: 'sensitivity-form' },
		h('div', { class: 'field' }, h('label', { for: 'sensitivity-step', text: 'Steps of the weights' }), stepSelect),
		formMessage(),
		h('button', { type: 'submit', text: 'Recompute' }));
	section.append(status, box, h('h3', { text: 'Who enters or leaves the positions' }), sentences, slot, form);
	container.replaceChildren(section);
	let chart = null;

	async function show(step) {
		const s = await api('GET', `/api/cycles/${cycleId}/ranking/sensitivity?step=${step}`);
		status.textContent = s.summary;
		sentences.replaceChildren(...changeSentences(s));
		slot.replaceChildren(h('p', { class: 'hint', text: s.note }), sensitivityTable(s));
		const cur = s.weights.find((w) => w.current);
		canvas.setAttribute('aria-label', `Line chart of the places of the top ${s.candidates.length} candidates as the weights move from ` +
			`0 / 100 to 100 / 0 (screening / interview)${cur ? `; the program’s weights are ${weightText(cur)}` : ''}. ` +
			'The same places are in the table below.');
		if (!s.candidates.length) {
			box.hidden = true;
			return;
		}
		box.hidden = false;
		try {
			const Chart = await loadChart();
			if (chart)
				chart.destroy();
			chart = drawSensitivity(Chart, canvas, s);
		} catch (e) {
			box.replaceChildren(h('p', { class: 'notice warning', text: 'The chart could not be drawn; the table shows the values. ' + e.message }));
		}
	}

	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors(form);
		await busy(form, async () => {
			try {
				await show(stepSelect.value);
			} catch (e) {
				showError(form, e);
			}
		});
	});
	await show('5');
}

export async function planning(main, cycleId) {
	const cycle = (await api('GET', '/api/cycles/' + cycleId)).cycle;
	main.append(h('h1', { text: `Planning · ${cycle.name}` }), ...await pageLinks(cycleId, 'planning'),
		h('p', { text: 'Two tools to plan the rank list. Both are computed from the current scores and change nothing.' }));
	// Each part is shown before its chart is drawn: Chart.js sizes a
	// chart by its box.
	const depth = h('div');
	const sens = h('div');
	main.append(depth, sens);
	const failed = (slot) => (e) => slot.replaceChildren(h('p', { class: 'form-message error', role: 'alert', text: e.message }));
	await depthSection(cycleId, depth).catch(failed(depth));
	await sensitivitySection(cycleId, sens).catch(failed(sens));
}
