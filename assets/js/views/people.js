// People (coordinator, director): every account, invitations, role changes
// and disabling. The server enforces the rules; the page only avoids
// offering what it would refuse.
import { api } from '../api.js';
import { h, field, selectField, formMessage, showError, clearErrors, busy, values } from '../dom.js';
import { session, showProgram } from '../app.js';

const ROLES = [['faculty', 'Faculty'], ['coordinator', 'Coordinator'], ['director', 'Director'], ['applicant', 'Applicant']];
const INVITABLE = ROLES.filter(([r]) => r !== 'applicant');

async function allUsers() {
	const users = [];
	let after = 0;
	for (;;) {
		const page = await api('GET', '/api/users?limit=500&after=' + after);
		users.push(...page.users);
		if (page.next_after === null)
			return users;
		after = page.next_after;
	}
}

function mayManage(me, u) {
	if (u.id === me.id)
		return false;
	return me.role === 'director' || u.role !== 'director';
}

export async function render(main) {
	const me = session.user;
	const status = h('p', { role: 'status', class: 'notice' });
	const tbody = h('tbody');
	const table = h('table', { class: 'striped' },
		h('caption', { text: 'Accounts' }),
		h('thead', {}, h('tr', {},
			...['Name', 'E-mail address', 'Role', 'State', 'Actions'].map((t) => h('th', { scope: 'col', text: t })))),
		tbody);

	async function refresh() {
		const users = await allUsers();
		tbody.replaceChildren(...users.map((u) => row(u)));
	}

	async function change(u, body, what) {
		try {
			await api('PATCH', '/api/users/' + u.id, body);
			status.textContent = what;
			await refresh();
		} catch (e) {
			status.textContent = e.message;
		}
	}

	function row(u) {
		const manage = mayManage(me, u);
		const roles = me.role === 'director' ? ROLES : ROLES.filter(([r]) => r !== 'director');
		const select = h('select', { 'aria-label': 'Role of ' + u.name, disabled: !manage || (u.role === 'director' && me.role !== 'director') },
			...(manage ? roles : ROLES).map(([v, t]) => h('option', { value: v, selected: v === u.role, text: t })));
		select.addEventListener('change', () => change(u, { role: select.value },
			u.name + ' is now ' + select.value + '. Their sessions have ended.'));
		const state = u.disabled ? 'Disabled' : (u.active ? 'Active' : 'Invited');
		const toggle = h('button', {
			type: 'button', class: 'secondary outline', disabled: !manage,
			text: u.disabled ? 'Enable' : 'Disable',
			'aria-label': (u.disabled ? 'Enable ' : 'Disable ') + u.name,
		});
		toggle.addEventListener('click', () => {
			if (!u.disabled && !window.confirm('Disable ' + u.name + '? They are signed out at once.'))
				return;
			change(u, { disabled: !u.disabled }, u.name + (u.disabled ? ' is enabled.' : ' is disabled and signed out.'));
		});
		const actions = [toggle];
		if (!u.active && !u.disabled && manage && u.role !== 'applicant') {
			const resend = h('button', { type: 'button', class: 'secondary outline',
				text: 'Resend invitation', 'aria-label': 'Resend the invitation to ' + u.name });
			resend.addEventListener('click', async () => {
				try {
					await api('POST', '/api/users/' + u.id + '/invite');
					status.textContent = 'A new invitation was sent to ' + u.email + '.';
				} catch (e) {
					status.textContent = e.message;
				}
			});
			actions.push(' ', resend);
		}
		return h('tr', {},
			h('td', { text: u.name }), h('td', { text: u.email }),
			h('td', {}, select), h('td', { text: state }), h('td', {}, ...actions));
	}

	const invite = h('form', { novalidate: true }, formMessage(),
		h('div', { class: 'grid' },
			field('Full name', 'name', { required: true, autocomplete: 'off' }),
			field('E-mail address', 'email', { type: 'email', required: true, autocomplete: 'off' }),
			selectField('Role', 'role', me.role === 'director' ? INVITABLE : INVITABLE.filter(([r]) => r !== 'director'), 'faculty')),
		h('button', { type: 'submit', text: 'Send invitation' }));
	invite.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors(invite);
		await busy(invite, async () => {
			try {
				const v = values(invite);
				const r = await api('POST', '/api/users', { name: v.name, email: v.email, role: v.role });
				status.textContent = 'Invitation sent to ' + r.user.email + '.';
				invite.reset();
				await refresh();
			} catch (e) {
				showError(invite, e);
			}
		});
	});

	// The director names the program every page shows.
	let programSection = '';
	if (me.role === 'director') {
		const program = await api('GET', '/api/program');
		const rename = h('form', { novalidate: true }, formMessage(),
			field('Program name', 'name', { required: true, maxlength: 200, value: program.name,
				autocomplete: 'off' }),
			h('button', { type: 'submit', text: 'Save the name' }));
		rename.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			clearErrors(rename);
			await busy(rename, async () => {
				try {
					const r = await api('PATCH', '/api/program', { name: values(rename).name });
					showProgram(r);
					status.textContent = 'The program is now called ' + r.name + '.';
				} catch (e) {
					showError(rename, e);
				}
			});
		});
		programSection = h('section', { 'aria-labelledby': 'program-heading' },
			h('h2', { id: 'program-heading', text: 'Program' }),
			h('p', { text: 'Every page shows this name, under “Fellowship selection”, and in the window’s title.' }),
			rename);
	}

	main.append(h('h1', { text: 'People' }), status, programSection,
		h('section', { 'aria-labelledby': 'invite-heading' },
			h('h2', { id: 'invite-heading', text: 'Invite faculty or staff' }),
			h('p', { text: 'They receive a link by e-mail, valid for 7 days, to choose their password. Applicants create their own accounts.' }),
			invite),
		h('section', { 'aria-labelledby': 'accounts-heading' },
			h('h2', { id: 'accounts-heading', text: 'Accounts' }),
			h('div', { class: 'table-scroll' }, table)));
	await refresh();
}
