// The rubric of a cycle and phase. The director edits the criteria (key,
// label, description, scale, an anchor text per level, weight), adds,
// removes and reorders them, sees the weight total, and a live preview of
// the score sheet exactly as the faculty will see it. Others read it.
import { api } from '../api.js';
import { h, formMessage } from '../dom.js';
import { session } from '../app.js';
import { isPhase, phaseLabel, phaseLinks, sheetFields, statusLine, table, shortTime, otherCycles } from './sheet.js';

const MAX_CRITERIA = 12;

function slug(text) {
	const s = text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
	return (/^[a-z]/.test(s) ? s : 'c_' + s).slice(0, 32).replace(/_+$/, '');
}

function asInt(raw) {
	return /^-?\d+$/.test(String(raw).trim()) ? Number(raw) : raw;
}

export async function editor(main, cycleId, phase = 'screening') {
	if (!isPhase(phase))
		phase = 'screening';
	const canEdit = session.user.role === 'director';
	let cycle, r;
	try {
		[cycle, r] = await Promise.all([
			api('GET', '/api/cycles/' + cycleId).then((x) => x.cycle),
			api('GET', `/api/cycles/${cycleId}/rubrics/${phase}`)]);
	} catch (e) {
		main.append(h('h1', { text: 'Rubric' }), h('p', { text: e.message }));
		return;
	}
	let rubric = r.rubric;
	let versions = r.versions || [];
	main.append(h('h1', { text: 'Rubric · ' + phaseLabel(phase) }),
		h('p', { class: 'lead', text: cycle.name }),
		await otherCycles(cycleId, (id) => `#/cycles/${id}/rubric/${phase}`),
		phaseLinks('Phases', (p) => `#/cycles/${cycleId}/rubric/${p}`, phase));
	const about = h('p', { id: 'rubric-version' });
	const versionList = h('div');
	function showVersion() {
		about.textContent = rubric.version === 0 ?
			'This is the built-in default rubric; it is used until the director saves one.' :
			`Version ${rubric.version}, saved ${shortTime(rubric.created_at)}.` +
			(rubric.frozen ? ' It has submitted sheets, so it is frozen: saving changes creates a new version, and the sheets already submitted keep this one.' : '');
		versionList.replaceChildren(versions.length ? table('Versions of this rubric', ['Version', 'Saved', 'Submitted sheets'],
			versions.map((v) => h('tr', {}, h('td', { text: String(v.version) }), h('td', { text: shortTime(v.created_at) }),
				h('td', { text: String(v.submitted_sheets) })))) : h('p', { text: 'No version has been saved yet.' }));
	}
	main.append(about);

	if (!canEdit) {
		main.append(h('p', { class: 'notice', text: 'Only the program director can change the rubric. This is the score sheet the raters see.' }),
			h('section', { 'aria-labelledby': 'preview-heading' },
				h('h2', { id: 'preview-heading', text: 'Score sheet' }),
				h('div', { class: 'sheet-preview' }, ...sheetFields(rubric.criteria, { prefix: 'readonly', disabled: true }))),
			h('section', { 'aria-labelledby': 'versions-heading' },
				h('h2', { id: 'versions-heading', text: 'Versions' }), versionList));
		showVersion();
		return;
	}

	// The working copy; text inputs update it in place, structural
	// changes (add, remove, move, scale) redraw the list.
	let criteria = structuredClone(rubric.criteria);
	const list = h('div', { id: 'criteria' });
	const total = h('p', { id: 'weight-total', role: 'status', 'aria-live': 'polite' });
	const preview = h('div', { class: 'sheet-preview', id: 'preview' });
	const message = formMessage();
	const status = statusLine({ id: 'rubric-status' });
	const add = h('button', { type: 'button', class: 'secondary', text: 'Add a criterion' });
	const save = h('button', { type: 'submit', text: 'Save rubric' });
	const form = h('form', { novalidate: true, id: 'rubric-form', 'aria-labelledby': 'editor-heading' },
		message, list, h('p', {}, add), total, h('p', {}, save), status);

	function weightTotal() {
		return criteria.reduce((s, c) => s + (Number.isInteger(c.weight) ? c.weight : 0), 0);
	}
	function showTotal() {
		const t = weightTotal();
		if (t === 100) {
			total.textContent = 'Total weight: 100 of 100.';
			total.className = 'weight-total ok';
		} else {
			total.textContent = `Total weight: ${t} of 100. The weights must add up to exactly 100: ` +
				(t < 100 ? `add ${100 - t}.` : `remove ${t - 100}.`);
			total.className = 'weight-total bad';
		}
	}
	function showPreview() {
		preview.replaceChildren(...sheetFields(criteria, { prefix: 'preview', disabled: true }));
	}
	function changed() {
		showTotal();
		showPreview();
		status.textContent = '';
	}

	function inputFor(label, value, attrs, onInput, hint) {
		const id = 'rb-' + Math.random().toString(36).slice(2, 10);
		const input = attrs.tag === 'textarea' ?
			h('textarea', { id, rows: 2, maxlength: attrs.maxlength }) :
			h('input', { id, type: attrs.type || 'text', ...attrs, tag: null });
		input.value = value ?? '';
		input.addEventListener('input', () => onInput(input.value, input));
		const hintId = hint ? id + '-hint' : null;
		if (hintId)
			input.setAttribute('aria-describedby', hintId);
		return h('div', { class: 'field' }, h('label', { for: id, text: label }),
			hint ? h('small', { id: hintId, class: 'hint', text: hint }) : null, input);
	}

	function anchorsFor(c, box) {
		const min = Number(c.min);
		const max = Number(c.max);
		if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max > 10 || min >= max) {
			box.replaceChildren(h('p', { class: 'hint', text: 'Set a scale from a lowest to a higher highest score (0 to 10) to write the anchor texts.' }));
			return;
		}
		// Keep the texts of the levels that still exist.
		const old = c.anchorByLevel || {};
		const from = Number.isInteger(c.anchorMin) ? c.anchorMin : min;
		(c.anchors || []).forEach((t, i) => { old[from + i] = t; });
		c.anchorByLevel = old;
		c.anchorMin = min;
		c.anchors = [];
		for (let v = min; v <= max; v++)
			c.anchors.push(old[v] ?? '');
		box.replaceChildren(...c.anchors.map((t, i) => inputFor(`Level ${min + i}`, t, { maxlength: 200 }, (val) => {
			c.anchors[i] = val;
			c.anchorByLevel[min + i] = val;
			changed();
		})));
	}

	function criterionEditor(c, i) {
		const legend = h('legend', { text: `Criterion ${i + 1}: ${c.label || 'new'}` });
		const anchorBox = h('div', { class: 'anchors' });
		const keyField = inputFor('Key', c.key, { maxlength: 32, autocomplete: 'off', spellcheck: 'false' }, (v) => {
			c.key = v.trim();
			c.keyTouched = true;
			changed();
		}, 'a–z, 0–9 and _, from a letter');
		const keyInput = keyField.querySelector('input');
		const move = (delta) => {
			const j = i + delta;
			[criteria[i], criteria[j]] = [criteria[j], criteria[i]];
			redraw();
			changed();
			const moved = list.querySelectorAll('fieldset.criterion-edit')[j];
			const same = moved.querySelector(delta < 0 ? 'button.move-up' : 'button.move-down');
			(same.disabled ? moved.querySelector(delta < 0 ? 'button.move-down' : 'button.move-up') : same).focus();
			status.textContent = `Moved ${name()} to position ${j + 1}.`;
		};
		const name = () => c.label || `criterion ${i + 1}`;
		const up = h('button', { type: 'button', class: 'secondary outline move-up', text: 'Move up',
			'aria-label': `Move ${name()} up`, disabled: i === 0 });
		const down = h('button', { type: 'button', class: 'secondary outline move-down', text: 'Move down',
			'aria-label': `Move ${name()} down`, disabled: i === criteria.length - 1 });
		const remove = h('button', { type: 'button', class: 'secondary outline', text: 'Remove',
			'aria-label': `Remove ${name()}`, disabled: criteria.length === 1 });
		up.addEventListener('click', () => move(-1));
		down.addEventListener('click', () => move(1));
		remove.addEventListener('click', () => {
			criteria.splice(i, 1);
			redraw();
			changed();
			status.textContent = `Removed ${name()}.`;
			(list.querySelectorAll('fieldset.criterion-edit')[Math.min(i, criteria.length - 1)]
				?.querySelector('input') || add).focus();
		});
		const fs = h('fieldset', { class: 'criterion-edit' }, legend,
			inputFor('Label', c.label, { maxlength: 100 }, (v) => {
				c.label = v;
				legend.textContent = `Criterion ${i + 1}: ${v || 'new'}`;
				if (!c.keyTouched && c.isNew) {
					c.key = slug(v);
					keyInput.value = c.key;
				}
				changed();
			}),
			h('div', { class: 'grid' },
				keyField,
				inputFor('Weight (%)', c.weight, { type: 'number', min: 1, max: 100, step: 1, inputmode: 'numeric' }, (v) => {
					c.weight = asInt(v);
					changed();
				})),
			inputFor('Description', c.description, { tag: 'textarea', maxlength: 1000 }, (v) => {
				c.description = v;
				changed();
			}),
			h('div', { class: 'grid' },
				inputFor('Lowest score', c.min, { type: 'number', min: 0, max: 9, step: 1, inputmode: 'numeric' }, (v) => {
					c.min = asInt(v);
					anchorsFor(c, anchorBox);
					changed();
				}),
				inputFor('Highest score', c.max, { type: 'number', min: 1, max: 10, step: 1, inputmode: 'numeric' }, (v) => {
					c.max = asInt(v);
					anchorsFor(c, anchorBox);
					changed();
				})),
			h('fieldset', { class: 'anchors-set' }, h('legend', { text: 'Anchor text for each level' }), anchorBox),
			h('div', { class: 'criterion-actions' }, up, down, remove));
		anchorsFor(c, anchorBox);
		return fs;
	}

	function redraw() {
		list.replaceChildren(...criteria.map(criterionEditor));
		add.disabled = criteria.length >= MAX_CRITERIA;
	}

	add.addEventListener('click', () => {
		criteria.push({ key: '', label: '', description: '', min: 1, max: 5,
			anchors: ['', '', '', '', ''], weight: 0, isNew: true });
		redraw();
		changed();
		const last = list.querySelectorAll('fieldset.criterion-edit');
		last[last.length - 1].querySelector('input').focus();
	});

	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		message.textContent = '';
		message.className = 'form-message';
		if (weightTotal() !== 100) {
			message.textContent = 'The weights add up to ' + weightTotal() + ', not 100. Change them before saving.';
			message.className = 'form-message error';
			message.focus();
			return;
		}
		const body = { criteria: criteria.map((c) => ({ key: c.key, label: c.label, description: c.description || '',
			min: asInt(c.min), max: asInt(c.max), anchors: c.anchors, weight: asInt(c.weight) })) };
		save.setAttribute('aria-busy', 'true');
		save.disabled = true;
		try {
			const res = await api('PUT', `/api/cycles/${cycleId}/rubrics/${phase}`, body);
			const before = rubric.version;
			rubric = res.rubric;
			criteria = structuredClone(rubric.criteria);
			try {
				versions = (await api('GET', `/api/cycles/${cycleId}/rubrics/${phase}`)).versions || versions;
			} catch { /* keep the old list */ }
			showVersion();
			redraw();
			changed();
			status.textContent = res.versioned ?
				`Saved as a new version ${rubric.version}: version ${before} has submitted sheets, so it stays as it was and those sheets keep it.` :
				`Saved. This is version ${rubric.version}.`;
		} catch (e) {
			message.textContent = e.message;
			message.className = 'form-message error';
			message.focus();
		} finally {
			save.removeAttribute('aria-busy');
			save.disabled = false;
		}
	});

	main.append(h('div', { class: 'editor-layout' },
		h('section', { 'aria-labelledby': 'editor-heading' },
			h('h2', { id: 'editor-heading', text: 'Criteria' }), form),
		h('section', { 'aria-labelledby': 'preview-heading', class: 'preview-column' },
			h('h2', { id: 'preview-heading', text: 'Preview of the score sheet' }),
			h('p', { class: 'hint', text: 'What the raters will see; it follows your changes as you type.' }),
			preview)),
	h('section', { 'aria-labelledby': 'versions-heading' },
		h('h2', { id: 'versions-heading', text: 'Versions' }), versionList));
	showVersion();
	redraw();
	changed();
}
