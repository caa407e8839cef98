// The installation (its administrators): the programs it hosts, with
// their directors, a form to make a new program and name its director,
// and every person with the programs they have a role in. Never an
// application or a score: the server gives an administrator none.
import { api } from '../api.js';
import { h, field, selectField, formMessage, showError, clearErrors, busy, values } from '../dom.js';
import { refreshSession, session } from '../app.js';

async function allPeople() {
	const people = [];
	let after = 0;
	for (;;) {
		const page = await api('GET', '/api/admin/people?limit=500&after=' + after);
		people.push(...page.people);
		if (page.next_after === null)
			return people;
		after = page.next_after;
	}
}

function programRow(p) {
	const directors = p.directors.map((d) => d.name + ' <' + d.email + '>').join(', ');
	return h('tr', {},
		h('th', { scope: 'row', text: p.name }),
		h('td', { text: String(p.positions) }),
		h('td', { text: p.timezone }),
		h('td', { text: directors || 'None yet' }),
		h('td', { class: 'number', text: String(p.people) }));
}

// A person's row; change(u, disabled) disables or enables the account
// (any but one's own): what no single program may do to an account
// other programs have too.
function personRow(u, change) {
	const roles = u.programs.map((p) => p.name + ': ' + p.role).join('; ');
	const kind = u.kind === 'applicant' ? 'Applicant' :
		(u.admin ? 'Staff, administrator' : 'Staff');
	const state = u.disabled ? 'Disabled' : (u.active ? 'Active' : 'Invited');
	const toggle = h('button', { type: 'button', class: 'secondary outline',
		disabled: session.user && u.id === session.user.id,
		text: u.disabled ? 'Enable' : 'Disable',
		'aria-label': (u.disabled ? 'Enable ' : 'Disable ') + u.name });
	toggle.addEventListener('click', () => {
		if (!u.disabled && !window.confirm('Disable ' + u.name + '? They are signed out at once, in every program.'))
			return;
		change(u, !u.disabled);
	});
	return h('tr', {},
		h('td', { text: u.name }), h('td', { text: u.email }),
		h('td', { text: kind }), h('td', { text: roles || '—' }),
		h('td', { text: state }), h('td', {}, toggle));
}

export async function render(main) {
	const status = h('p', { role: 'status', 'aria-live': 'polite', class: 'notice' });
	const programs = h('tbody');
	const people = h('tbody');

	async function change(u, disabled) {
		try {
			await api('PATCH', '/api/admin/people/' + u.id, { disabled });
			status.textContent = u.name + (disabled ? ' is disabled and signed out.' : ' is enabled.');
			await refresh();
		} catch (e) {
			status.textContent = e.message;
		}
	}

	async function refresh() {
		const [list, everyone] = await Promise.all([
			api('GET', '/api/admin/programs'), allPeople()]);
		programs.replaceChildren(...list.programs.map(programRow));
		people.replaceChildren(...everyone.map((u) => personRow(u, change)));
	}

	const { timezones } = await api('GET', '/api/admin/programs');
	const zoneField = selectField('Time zone', 'timezone', timezones.map((z) => [z, z]),
		'America/New_York', 'Its cycles’ deadlines are in this zone.');
	const form = h('form', { novalidate: true }, formMessage(),
		h('div', { class: 'grid' },
			field('Program name', 'name', { required: true, maxlength: 200, autocomplete: 'off' }),
			field('Positions', 'positions', { type: 'number', min: 1, max: 50, value: '2', required: true }),
			zoneField),
		h('div', { class: 'grid' },
			field('Director’s full name', 'director_name', { required: true, autocomplete: 'off' }),
			field('Director’s e-mail address', 'director_email', { type: 'email', required: true, autocomplete: 'off' },
				'A new address gets an invitation; a colleague who has an account gets the role.'),
			field('Sender name of its mail', 'mail_sender', { maxlength: 200, autocomplete: 'off' },
				'Optional: the name its messages come from.')),
		h('button', { type: 'submit', text: 'Create the program' }));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors(form);
		await busy(form, async () => {
			try {
				const v = values(form);
				const body = { name: v.name, director_name: v.director_name,
					director_email: v.director_email, timezone: v.timezone,
					positions: Number(v.positions) };
				if (v.mail_sender)
					body.mail_sender = v.mail_sender;
				const r = await api('POST', '/api/admin/programs', body);
				status.textContent = r.name + ' was created; ' +
					r.directors.map((d) => d.name).join(', ') + ' directs it.';
				form.reset();
				await refresh();
				// The administrator may have named themselves.
				await refreshSession();
			} catch (e) {
				showError(form, e);
			}
		});
	});

	main.append(h('h1', { text: 'Programs and people' }), status,
		h('p', { text: 'The programs this installation hosts and everyone who has an account. Each program’s director manages its cycles, people and candidates.' }),
		h('table', { class: 'striped' },
			h('caption', { text: 'Programs' }),
			h('thead', {}, h('tr', {}, ...['Program', 'Positions', 'Time zone', 'Directors', 'People']
				.map((t) => h('th', { scope: 'col', text: t })))),
			programs),
		h('section', { 'aria-labelledby': 'new-program' },
			h('h2', { id: 'new-program', text: 'New program' }), form),
		h('table', { class: 'striped' },
			h('caption', { text: 'People' }),
			h('thead', {}, h('tr', {}, ...['Name', 'E-mail address', 'Account', 'Roles', 'State', 'Actions']
				.map((t) => h('th', { scope: 'col', text: t })))),
			people));
	await refresh();
}
