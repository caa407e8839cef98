// Interviews. Staff create interview days with slots, invite candidates,
// and follow bookings, the waitlist and the invitations; faculty read the
// schedule; an invited applicant books, changes or cancels a slot, or
// joins the waitlist when every slot is full (the section in apply.js).
import { api } from '../api.js';
import { h, field, formMessage, showError, clearErrors, busy, values } from '../dom.js';
import { session } from '../app.js';
import { day } from '../dates.js';
import { statusLine, table, shortTime, otherCycles } from './sheet.js';
import { sortableTable } from '../sorttable.js';
import { standings, standingColumns, lettersColumn, selectColumn, invite, invited, displayName, submittedRows } from './standing.js';

const INVITE_TEXT = { invited: 'Invited, not booked', booked: 'Booked', waitlisted: 'On the waitlist' };

function dayTitle(d) {
	const text = day(d.day);
	return text + (d.location ? ' · ' + d.location : '');
}

function slotTime(s) {
	return `${s.starts}–${s.ends}`;
}

function slotWhere(days, slotId) {
	for (const d of days) {
		const s = d.slots.find((x) => x.id === slotId);
		if (s)
			return `${day(d.day)} ${slotTime(s)}`;
	}
	return slotId ? 'slot ' + slotId : '—';
}

// One table per day: time, seats booked of capacity with a bar, who.
function dayTables(days, { staff, onDelete }) {
	return days.map((d) => {
		const headId = 'day-' + d.id;
		const del = staff ? h('button', { type: 'button', class: 'secondary outline', text: 'Delete day',
			'aria-label': 'Delete the interview day ' + dayTitle(d) }) : null;
		if (del)
			del.addEventListener('click', () => onDelete(d));
		return h('section', { 'aria-labelledby': headId, class: 'interview-day' },
			h('h3', { id: headId, text: dayTitle(d) }),
			table(`Slots on ${day(d.day)}`, ['Time', 'Booked', 'Candidates'], d.slots.map((s) => {
				const booked = s.booked ?? (s.bookings || []).length;
				return h('tr', {}, h('th', { scope: 'row', text: slotTime(s) }),
					h('td', {}, `${booked} of ${s.capacity} `,
						h('progress', { max: String(s.capacity), value: String(booked),
							'aria-label': `${slotTime(s)} on ${day(d.day)}: ${booked} of ${s.capacity} seats booked` })),
					h('td', {}, (s.bookings || []).length ?
						h('ul', { class: 'plain' }, ...s.bookings.map((b) => h('li', { text: b.candidate }))) : '—'));
			})),
			del ? h('p', {}, del) : null);
	});
}

export async function schedule(main, cycleId) {
	const staff = ['coordinator', 'director'].includes(session.user.role);
	const cycle = (await api('GET', '/api/cycles/' + cycleId)).cycle;
	main.append(h('h1', { text: 'Interviews' }), h('p', { class: 'lead', text: cycle.name +
		(cycle.interviews_start ? ` · interviews ${day(cycle.interviews_start)} to ${day(cycle.interviews_end)}` : '') }),
	await otherCycles(cycleId, (id) => `#/cycles/${id}/interviews`));
	if (!staff) {
		const r = await api('GET', `/api/cycles/${cycleId}/interview-days`);
		main.append(h('section', { 'aria-labelledby': 'schedule-heading' },
			h('h2', { id: 'schedule-heading', text: 'Schedule' }),
			r.days.length ? dayTables(r.days, { staff: false }) : h('p', { text: 'No interview day has been scheduled yet.' })));
		return;
	}

	const status = statusLine({ id: 'interview-status' });
	const daysBox = h('div', { id: 'interview-days' });
	const waitBox = h('div', { id: 'waitlist' });
	const inviteBox = h('div', { id: 'invitations' });
	// The invite checklist: every submitted application with its
	// standing, sortable; those not invited yet can be ticked.
	let apps = [];
	let standing = { screened: 0, byId: new Map() };
	const selected = h('span', { id: 'invite-selected', text: 'None selected' });
	function ticked() {
		return [...pickBox.querySelectorAll('input[name="application_ids"]:checked')].map((x) => Number(x.value));
	}
	function showSelected() {
		const n = ticked().length;
		selected.textContent = n ? `${n} selected` : 'None selected';
	}
	const picker = sortableTable({ caption: 'Submitted applications', id: 'invite-table', rowKey: (r) => r.app.id,
		sorted: { key: 'rank', dir: 'asc' },
		columns: [
			selectColumn((r) => !invited(r.st), showSelected),
			{ key: 'name', label: 'Candidate', rowHeader: true, sort: (r) => displayName(r.app),
				cell: (r) => h('a', { href: '#/applications/' + r.app.id, text: `${displayName(r.app)} (no. ${r.app.id})` }) },
			...standingColumns(() => standing.screened),
			lettersColumn()] });
	const pickBox = h('div', { id: 'invite-choices' }, picker.element);
	function pickRows() {
		return apps.map((a) => ({ app: a, st: standing.byId.get(a.id) }));
	}

	async function load() {
		const r = await api('GET', `/api/cycles/${cycleId}/interview-days`);
		daysBox.replaceChildren(...(r.days.length ? dayTables(r.days, { staff: true, onDelete: deleteDay }) :
			[h('p', { text: 'No interview day yet.' })]));
		const wl = r.waitlist || [];
		waitBox.replaceChildren(wl.length ? h('ol', {}, ...wl.map((w) => h('li', { text: `${w.candidate} (since ${shortTime(w.since)})` }))) :
			h('p', { text: 'Nobody is waiting.' }));
		const inv = r.invitations || [];
		inviteBox.replaceChildren(inv.length ? table('Invited candidates', ['Candidate', 'Status', 'Slot'],
			inv.slice().sort((a, b) => a.candidate.localeCompare(b.candidate)).map((i) => h('tr', {},
				h('th', { scope: 'row', text: i.candidate }), h('td', { text: INVITE_TEXT[i.status] || i.status }),
				h('td', { text: i.slot_id ? slotWhere(r.days, i.slot_id) : '—' }))), { id: 'invitations-table' }) :
			h('p', { text: 'Nobody has been invited yet.' }));
		standing = await standings(cycleId);
		picker.rebuild(pickRows());
		showSelected();
		const left = apps.filter((a) => !invited(standing.byId.get(a.id)));
		leftNote.textContent = left.length ? `${left.length} of ${apps.length} submitted applications not invited yet.` :
			'Every submitted application has been invited.';
		inviteForm.querySelector('button[type="submit"]').disabled = !left.length;
	}

	async function deleteDay(d) {
		if (!window.confirm('Delete the interview day ' + dayTitle(d) + '?'))
			return;
		try {
			await api('DELETE', '/api/interview-days/' + d.id);
			status.textContent = 'Interview day deleted.';
			await load();
		} catch (e) {
			status.textContent = e.message;
		}
	}

	// A new day: date, place, and rows of slots.
	const slotRows = h('tbody');
	let slotN = 0;
	function slotRow(start = '', end = '', capacity = '1') {
		const n = ++slotN;
		const row = h('tr', { class: 'slot-row' },
			h('td', {}, h('input', { type: 'time', name: 'start', value: start, 'aria-label': `Slot ${n} start`, required: true })),
			h('td', {}, h('input', { type: 'time', name: 'end', value: end, 'aria-label': `Slot ${n} end`, required: true })),
			h('td', {}, h('input', { type: 'number', name: 'capacity', min: 1, max: 50, value: capacity, inputmode: 'numeric',
				'aria-label': `Slot ${n} capacity`, required: true })));
		const remove = h('button', { type: 'button', class: 'secondary outline', text: 'Remove', 'aria-label': `Remove slot ${n}` });
		remove.addEventListener('click', () => {
			if (slotRows.children.length === 1)
				return;
			const next = row.nextElementSibling || row.previousElementSibling;
			row.remove();
			next.querySelector('input').focus();
		});
		row.append(h('td', {}, remove));
		return row;
	}
	slotRows.append(slotRow('09:00', '10:00', '2'), slotRow('10:00', '11:00', '2'));
	const addSlot = h('button', { type: 'button', class: 'secondary', text: 'Add a slot' });
	addSlot.addEventListener('click', () => {
		const last = slotRows.lastElementChild;
		const prevEnd = last ? last.querySelector('[name="end"]').value : '09:00';
		const [hh, mm] = (prevEnd || '09:00').split(':').map(Number);
		const end = `${String(Math.min(23, hh + 1)).padStart(2, '0')}:${String(mm || 0).padStart(2, '0')}`;
		const row = slotRow(prevEnd || '09:00', end, last ? last.querySelector('[name="capacity"]').value : '1');
		slotRows.append(row);
		row.querySelector('input').focus();
	});
	const dayForm = h('form', { novalidate: true, id: 'day-form' }, formMessage(),
		h('div', { class: 'grid' },
			field('Date', 'day', { type: 'date', required: true, value: cycle.interviews_start ? cycle.interviews_start.slice(0, 10) : '' }),
			field('Location', 'location', { maxlength: 200 }, 'Optional; for instance the hospital and room.')),
		h('div', { class: 'table-scroll' }, h('table', { id: 'slot-table' },
			h('caption', { text: 'Slots (times in ' + cycle.timezone + ')' }),
			h('thead', {}, h('tr', {}, ...['Start', 'End', 'Seats', 'Actions'].map((t) => h('th', { scope: 'col', text: t })))),
			slotRows)),
		h('p', {}, addSlot),
		h('button', { type: 'submit', text: 'Create interview day' }));
	dayForm.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors(dayForm);
		const v = values(dayForm);
		if (!v.day)
			return showError(dayForm, { field: 'day', message: 'Choose the date.' });
		const slots = [...slotRows.children].map((row) => ({
			start: row.querySelector('[name="start"]').value,
			end: row.querySelector('[name="end"]').value,
			capacity: Number(row.querySelector('[name="capacity"]').value) }));
		const bad = slots.findIndex((s) => !s.start || !s.end || !Number.isInteger(s.capacity) || s.capacity < 1);
		if (bad >= 0) {
			showError(dayForm, { message: `Slot ${bad + 1} needs a start, an end and at least one seat.` });
			return;
		}
		await busy(dayForm, async () => {
			try {
				await api('POST', `/api/cycles/${cycleId}/interview-days`, { day: v.day, location: v.location || '', slots });
				status.textContent = `Interview day ${day(v.day)} created with ${slots.length} slot${slots.length === 1 ? '' : 's'}.`;
				await load();
			} catch (e) {
				showError(dayForm, e);
			}
		});
	});

	// Invitations.
	const leftNote = h('p', { class: 'hint' });
	const inviteForm = h('form', { novalidate: true, id: 'invite-form' }, formMessage(),
		h('p', { class: 'hint', text: 'Tick the candidates to invite; choose a column’s heading to sort by it (by screening rank at first).' }),
		leftNote, pickBox,
		h('div', { class: 'list-actions' }, h('button', { type: 'submit', text: 'Invite to interview', 'aria-describedby': 'invite-selected' }), selected));
	inviteForm.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors(inviteForm);
		const ids = [...inviteForm.querySelectorAll('input[name="application_ids"]:checked')].map((x) => Number(x.value));
		if (!ids.length) {
			showError(inviteForm, { message: 'Choose at least one candidate to invite.' });
			return;
		}
		await busy(inviteForm, async () => {
			try {
				status.textContent = await invite(cycleId, ids);
				await load();
			} catch (e) {
				showError(inviteForm, e);
			}
		});
	});

	main.append(status,
		h('section', { 'aria-labelledby': 'days-heading' },
			h('h2', { id: 'days-heading', text: 'Interview days' }), daysBox),
		h('section', { 'aria-labelledby': 'newday-heading' },
			h('h2', { id: 'newday-heading', text: 'New interview day' }), dayForm),
		h('section', { 'aria-labelledby': 'waitlist-heading' },
			h('h2', { id: 'waitlist-heading', text: 'Waitlist' }),
			h('p', { class: 'hint', text: 'In order: a freed seat goes to the first candidate.' }), waitBox),
		h('section', { 'aria-labelledby': 'invites-heading' },
			h('h2', { id: 'invites-heading', text: 'Invitations' }), inviteBox,
			h('h3', { id: 'invite-heading', text: 'Invite candidates' }), inviteForm));
	apps = await submittedRows(cycleId);
	await load();
}

// The applicant's interview section, or null when not invited.
export async function applicantSection(cycleId, timezone) {
	let r;
	try {
		r = await api('GET', `/api/cycles/${cycleId}/interview-days`);
	} catch {
		return null;
	}
	if (!r.invitation)
		return null;
	const section = h('section', { 'aria-labelledby': 'interview-heading', id: 'interview' });
	const status = statusLine({ id: 'booking-status' });
	const body = h('div');

	async function act(method, path, done) {
		try {
			const res = await api(method, path);
			status.textContent = done(res && res.invitation);
		} catch (e) {
			status.textContent = e.message;
		}
		try {
			r = await api('GET', `/api/cycles/${cycleId}/interview-days`);
		} catch (e) {
			status.textContent = e.message;
		}
		draw();
		section.querySelector('h2').focus();
	}

	function draw() {
		const inv = r.invitation || { status: 'invited' };
		const parts = [];
		const slotInfo = (id) => {
			for (const d of r.days) {
				const s = d.slots.find((x) => x.id === id);
				if (s)
					return { d, s };
			}
			return null;
		};
		const mine = inv.slot_id ? slotInfo(inv.slot_id) : null;
		const anyFree = r.days.some((d) => d.slots.some((s) => s.free > 0 && s.open !== false));
		if (inv.status === 'booked' && mine) {
			parts.push(h('p', { class: 'booked', text: `You are booked on ${dayTitle(mine.d)}, ${slotTime(mine.s)} (${timezone || 'the program’s time zone'}).` }));
			const cancel = h('button', { type: 'button', class: 'secondary outline', text: 'Cancel my booking' });
			cancel.addEventListener('click', () => {
				if (!window.confirm('Cancel your interview booking? Your seat may go to someone on the waitlist.'))
					return;
				act('POST', `/api/cycles/${cycleId}/interview-booking/cancel`, () => 'Your booking is cancelled. You can book another slot.');
			});
			parts.push(h('p', {}, cancel));
		} else if (inv.status === 'waitlisted') {
			parts.push(h('p', { class: 'booked', text: `Every slot is full. You are number ${inv.waitlist_position} on the waitlist; when a seat frees up, the first on the list gets it and is told by e-mail.` }));
			const leave = h('button', { type: 'button', class: 'secondary outline', text: 'Leave the waitlist' });
			leave.addEventListener('click', () => act('DELETE', `/api/cycles/${cycleId}/interview-waitlist`, () => 'You have left the waitlist.'));
			parts.push(h('p', {}, leave));
		} else if (anyFree || !r.days.length) {
			parts.push(h('p', { text: 'You are invited to interview. Choose one slot below.' }));
		} else {
			parts.push(h('p', { text: 'You are invited to interview, but every slot is full at the moment. Join the waitlist to be given the first seat that frees up.' }));
		}
		if (!r.days.length)
			parts.push(h('p', { text: 'The interview days have not been scheduled yet; you will be able to book here.' }));
		// Days that are over (every slot closed) matter only if the
		// candidate's own slot is on them.
		const upcoming = r.days.filter((d) => d.slots.some((s) => s.open !== false || s.id === inv.slot_id));
		for (const d of upcoming) {
			const headId = 'iday-' + d.id;
			parts.push(h('h3', { id: headId, text: dayTitle(d) }),
				h('ul', { class: 'slots', 'aria-labelledby': headId }, ...d.slots.map((s) => {
					const isMine = inv.slot_id === s.id;
					const closed = s.open === false;
					const item = h('li', {}, h('strong', { text: slotTime(s) }),
						` — ${closed ? 'no longer open for booking' : s.free > 0 ? s.free + (s.free === 1 ? ' seat' : ' seats') + ' free' : 'full'}`);
					if (isMine) {
						item.append(' — ', h('em', { text: 'your slot' }));
					} else if (s.free > 0 && !closed) {
						const book = h('button', { type: 'button', class: inv.status === 'booked' ? 'secondary' : null,
							text: inv.status === 'booked' ? 'Move here' : 'Book',
							'aria-label': `${inv.status === 'booked' ? 'Move my booking to' : 'Book'} ${day(d.day)} ${slotTime(s)}` });
						book.addEventListener('click', () => act('POST', `/api/interview-slots/${s.id}/book`,
							() => `Booked: ${dayTitle(d)}, ${slotTime(s)}. A confirmation is on this page; you can change it while seats are free.`));
						item.append(' ', book);
					}
					return item;
				})));
		}
		if (r.days.length && !anyFree && inv.status === 'invited') {
			const join = h('button', { type: 'button', text: 'Join the waitlist' });
			join.addEventListener('click', () => act('POST', `/api/cycles/${cycleId}/interview-waitlist`,
				(i) => i && i.waitlist_position ? `You are on the waitlist, number ${i.waitlist_position}.` : 'You are on the waitlist.'));
			parts.push(h('p', {}, join));
		}
		body.replaceChildren(...parts);
	}

	section.append(h('h2', { id: 'interview-heading', tabindex: '-1', text: 'Interview' }), body, status);
	draw();
	return section;
}
