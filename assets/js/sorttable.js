// A table whose columns sort when their header is clicked. Each sortable
// header holds a button, so the keyboard reaches it (Tab, then Enter or
// Space); the sorted column carries aria-sort, and a status line says
// the order in words. Rows are built once and moved when the order
// changes, so what a row holds (a ticked checkbox) survives a sort.
import { h } from './dom.js';

// Empty values (null, undefined, '') sort last whichever the direction.
function compare(a, b) {
	const ea = a === null || a === undefined || a === '';
	const eb = b === null || b === undefined || b === '';
	if (ea || eb)
		return ea === eb ? 0 : ea ? 1 : -1;
	if (typeof a === 'number' && typeof b === 'number')
		return a - b;
	return String(a).localeCompare(String(b), undefined, { sensitivity: 'base', numeric: true });
}

// columns: [{ key, label, cell(row) -> node or text, sort(row) -> value
// (omit for a column that does not sort), first ('asc' or 'desc': the
// direction of its first click; 'asc' by default), rowHeader (the cell
// is a <th scope="row">), className }].
// Returns { element, setRows(rows), sortBy(key, dir), rows() in order,
// rowOf(row) -> <tr> }.
export function sortableTable({ caption, columns, id = null, sorted = null, rowKey = (r) => r.id }) {
	const tbody = h('tbody');
	const status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
	const heads = new Map();
	const trOf = new Map();
	let rows = [];
	let state = sorted ? { ...sorted } : null;

	for (const c of columns) {
		const th = h('th', { scope: 'col', class: c.className || null });
		if (c.sort) {
			const button = h('button', { type: 'button', class: 'sort-button' },
				h('span', { text: c.label }), h('span', { class: 'sort-mark', 'aria-hidden': 'true' }));
			button.addEventListener('click', () => {
				const dir = state && state.key === c.key ?
					(state.dir === 'asc' ? 'desc' : 'asc') : (c.first || 'asc');
				sortBy(c.key, dir, true);
			});
			th.append(button);
		} else {
			th.textContent = c.label;
		}
		heads.set(c.key, th);
	}

	function rowElement(r) {
		const key = rowKey(r);
		let tr = trOf.get(key);
		if (!tr) {
			tr = h('tr', {}, ...columns.map((c) => {
				const content = c.cell(r);
				const attrs = { class: c.className || null };
				if (c.rowHeader)
					attrs.scope = 'row';
				return h(c.rowHeader ? 'th' : 'td', attrs, content);
			}));
			trOf.set(key, tr);
		}
		return tr;
	}

	function order() {
		const list = rows.slice();
		if (!state)
			return list;
		const col = columns.find((c) => c.key === state.key);
		if (!col || !col.sort)
			return list;
		const sign = state.dir === 'desc' ? -1 : 1;
		// Empty values last in both directions; ties keep the given
		// order (Array.prototype.sort is stable).
		list.sort((a, b) => {
			const va = col.sort(a);
			const vb = col.sort(b);
			const ea = va === null || va === undefined || va === '';
			const eb = vb === null || vb === undefined || vb === '';
			if (ea || eb)
				return compare(va, vb);
			return sign * compare(va, vb);
		});
		return list;
	}

	function render(announce) {
		for (const [key, th] of heads) {
			const mark = th.querySelector('.sort-mark');
			if (state && state.key === key) {
				th.setAttribute('aria-sort', state.dir === 'asc' ? 'ascending' : 'descending');
				if (mark)
					mark.textContent = state.dir === 'asc' ? ' ▲' : ' ▼';
			} else {
				th.removeAttribute('aria-sort');
				if (mark)
					mark.textContent = '';
			}
		}
		tbody.replaceChildren(...order().map(rowElement));
		if (announce && state) {
			const col = columns.find((c) => c.key === state.key);
			status.textContent = `Sorted by ${col.label.toLowerCase()}, ${state.dir === 'asc' ? 'ascending' : 'descending'}.`;
		}
	}

	function sortBy(key, dir, announce = false) {
		state = { key, dir };
		render(announce);
	}

	const element = h('div', {},
		h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
			h('table', { class: 'striped sortable', id },
				h('caption', { text: caption }),
				h('thead', {}, h('tr', {}, ...heads.values())),
				tbody)),
		status);

	return {
		element,
		setRows(next) {
			rows = next.slice();
			const keep = new Set(rows.map(rowKey));
			for (const k of [...trOf.keys()])
				if (!keep.has(k))
					trOf.delete(k);
			render(false);
		},
		// Builds every row anew (after their data changed).
		rebuild(next) {
			trOf.clear();
			this.setRows(next);
		},
		sortBy,
		rows: order,
		rowOf: rowElement,
	};
}
