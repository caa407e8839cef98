// Signing in and up, and the pages behind the links we e-mail: forgotten
// password, reset, invitation, and the first director's setup.
import { api } from '../api.js';
import { h, field, formMessage, showError, showFieldError, clearErrors, busy, values } from '../dom.js';
import { signedIn, go } from '../app.js';

const PASSWORD_HINT = 'At least 12 characters. A few unrelated words make a strong password; common passwords are refused.';

function form(onsubmit, ...children) {
	const f = h('form', { novalidate: true }, formMessage(), ...children);
	f.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearErrors(f);
		await busy(f, () => onsubmit(f));
	});
	return f;
}

// Checks in the browser what the server will check too, to answer early.
function checkPassword(f, name, confirmName) {
	const v = values(f);
	if ([...(v[name] || '')].length < 12) {
		showFieldError(f, name, 'The password must have at least 12 characters.');
		return false;
	}
	if (confirmName && v[name] !== v[confirmName]) {
		showFieldError(f, confirmName, 'The two passwords differ.');
		return false;
	}
	return true;
}

function required(f, names) {
	const v = values(f);
	for (const [name, label] of names) {
		if (!String(v[name] || '').trim()) {
			showFieldError(f, name, label + ' is required.');
			return false;
		}
	}
	return true;
}

export function signin(main) {
	const f = form(async (f) => {
		if (!required(f, [['email', 'Your e-mail address'], ['password', 'Your password']]))
			return;
		const v = values(f);
		try {
			signedIn(await api('POST', '/api/login', { email: v.email, password: v.password }));
			go('#/');
		} catch (e) {
			showError(f, e);
		}
	},
	field('E-mail address', 'email', { type: 'email', autocomplete: 'username', required: true }),
	field('Password', 'password', { type: 'password', autocomplete: 'current-password', required: true }),
	h('button', { type: 'submit', text: 'Sign in' }));
	main.append(h('h1', { text: 'Sign in' }), f,
		h('p', {}, h('a', { href: '#/forgot', text: 'Forgot your password?' })),
		h('p', {}, 'Applying to the fellowship? ', h('a', { href: '#/register', text: 'Create an applicant account' }), '.'));
}

export function register(main) {
	const f = form(async (f) => {
		if (!required(f, [['name', 'Your name'], ['email', 'Your e-mail address']]) ||
		    !checkPassword(f, 'password', 'confirm'))
			return;
		const v = values(f);
		try {
			signedIn(await api('POST', '/api/register', { name: v.name, email: v.email, password: v.password }));
			go('#/');
		} catch (e) {
			showError(f, e);
		}
	},
	field('Full name', 'name', { autocomplete: 'name', required: true }),
	field('E-mail address', 'email', { type: 'email', autocomplete: 'email', required: true }),
	field('Password', 'password', { type: 'password', autocomplete: 'new-password', required: true }, PASSWORD_HINT),
	field('Repeat the password', 'confirm', { type: 'password', autocomplete: 'new-password', required: true }),
	h('button', { type: 'submit', text: 'Create account' }));
	main.append(h('h1', { text: 'Create an applicant account' }),
		h('p', { text: 'Faculty and staff receive an invitation by e-mail instead.' }), f,
		h('p', {}, 'Have an account? ', h('a', { href: '#/signin', text: 'Sign in' }), '.'));
}

export function forgot(main) {
	const done = h('p', { role: 'status' });
	const f = form(async (f) => {
		if (!required(f, [['email', 'Your e-mail address']]))
			return;
		try {
			await api('POST', '/api/password/forgot', { email: values(f).email });
			done.textContent = 'If an account uses this address, we have sent it a link to choose a new password. The link works once, for one hour.';
			f.reset();
		} catch (e) {
			showError(f, e);
		}
	},
	field('E-mail address', 'email', { type: 'email', autocomplete: 'email', required: true }),
	h('button', { type: 'submit', text: 'Send me a link' }));
	main.append(h('h1', { text: 'Forgot your password?' }),
		h('p', { text: 'Enter the address you sign in with; we will e-mail you a link to choose a new password.' }),
		f, done, h('p', {}, h('a', { href: '#/signin', text: 'Back to sign in' })));
}

// Reset and invitation pages: a new password with the token from the link.
function passwordWithToken(main, title, intro, path, token, button) {
	const f = form(async (f) => {
		if (!checkPassword(f, 'password', 'confirm'))
			return;
		try {
			signedIn(await api('POST', path, { token, password: values(f).password }));
			go('#/');
		} catch (e) {
			showError(f, e);
		}
	},
	field('New password', 'password', { type: 'password', autocomplete: 'new-password', required: true }, PASSWORD_HINT),
	field('Repeat the password', 'confirm', { type: 'password', autocomplete: 'new-password', required: true }),
	h('button', { type: 'submit', text: button }));
	main.append(h('h1', { text: title }), h('p', { text: intro }), f);
}

export function reset(main, token) {
	passwordWithToken(main, 'Choose a new password',
		'Your other sessions will be signed out.', '/api/password/reset', token, 'Set password and sign in');
}

export function invite(main, token) {
	passwordWithToken(main, 'Accept your invitation',
		'Choose the password you will sign in with.', '/api/invitations/accept', token, 'Set password and sign in');
}

export function setup(main, token) {
	const f = form(async (f) => {
		if (!required(f, [['name', 'Your name'], ['email', 'Your e-mail address']]) ||
		    !checkPassword(f, 'password', 'confirm'))
			return;
		const v = values(f);
		try {
			signedIn(await api('POST', '/api/setup', { token, name: v.name, email: v.email, password: v.password }));
			go('#/people');
		} catch (e) {
			showError(f, e);
		}
	},
	field('Full name', 'name', { autocomplete: 'name', required: true }),
	field('E-mail address', 'email', { type: 'email', autocomplete: 'email', required: true }),
	field('Password', 'password', { type: 'password', autocomplete: 'new-password', required: true }, PASSWORD_HINT),
	field('Repeat the password', 'confirm', { type: 'password', autocomplete: 'new-password', required: true }),
	h('button', { type: 'submit', text: 'Create the director account' }));
	main.append(h('h1', { text: 'Set up Fellowship selection' }),
		h('p', { text: 'Create the program director’s account. This link works once.' }), f);
}
