// The signed-in user's own account: who they are, and a password change.
import { api } from '../api.js';
import { h, field, formMessage, showError, showFieldError, clearErrors, busy, values } from '../dom.js';
import { session } from '../app.js';

const ROLE_NAMES = { applicant: 'Applicant', faculty: 'Faculty', coordinator: 'Program coordinator', director: 'Program director' };

export function render(main) {
	const u = session.user;
	const done = h('p', { role: 'status' });
	const f = h('form', { novalidate: true }, formMessage(),
		field('Current password', 'current_password', { type: 'password', autocomplete: 'current-password', required: true }),
		field('New password', 'new_password', { type: 'password', autocomplete: 'new-password', required: true },
			'At least 12 characters; common passwords are refused.'),
		field('Repeat the new password', 'confirm', { type: 'password', autocomplete: 'new-password', required: true }),
		h('button', { type: 'submit', text: 'Change password' }));
	f.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors(f);
		done.textContent = '';
		const v = values(f);
		if ([...v.new_password].length < 12)
			return showFieldError(f, 'new_password', 'The password must have at least 12 characters.');
		if (v.new_password !== v.confirm)
			return showFieldError(f, 'confirm', 'The two passwords differ.');
		await busy(f, async () => {
			try {
				await api('PUT', '/api/me/password', { current_password: v.current_password, new_password: v.new_password });
				f.reset();
				done.textContent = 'Your password is changed. Your other sessions have been signed out.';
			} catch (e) {
				showError(f, e);
			}
		});
	});
	main.append(h('h1', { text: 'Your account' }),
		h('dl', {},
			h('dt', { text: 'Name' }), h('dd', { text: u.name }),
			h('dt', { text: 'E-mail address' }), h('dd', { text: u.email }),
			h('dt', { text: 'Role' }), h('dd', { text: ROLE_NAMES[u.role] || u.role })),
		h('section', { 'aria-labelledby': 'pw-heading' },
			h('h2', { id: 'pw-heading', text: 'Change your password' }), f, done));
}
