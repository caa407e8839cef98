// The letter writer's page, reached from the e-mailed link: no account,
// one PDF, once. The link's token is in the URL's fragment, which the
// browser never sends; the page sends it in a header, never in a path,
// so no server or proxy log keeps it.
import { api, upload } from '../api.js';
import { h } from '../dom.js';

export async function render(main, token) {
	const link = { 'X-Letter-Token': token };
	let req;
	try {
		req = await api('GET', '/api/letters/writer', undefined, link);
	} catch (e) {
		main.append(h('h1', { text: 'Letter of recommendation' }), h('p', { text: e.message }));
		return;
	}
	const progress = h('progress', { max: '1', value: '0', hidden: true, 'aria-label': 'Upload progress' });
	const status = h('p', { role: 'status', 'aria-live': 'polite' });
	const err = h('small', { id: 'letter-error', class: 'field-error', 'aria-live': 'polite' });
	const file = h('input', { id: 'letter-file', name: 'file', type: 'file', accept: 'application/pdf,.pdf',
		'aria-describedby': 'letter-hint letter-error' });
	const form = h('form', { novalidate: true },
		h('label', { for: 'letter-file', text: 'Your letter (PDF)' }),
		h('small', { id: 'letter-hint', class: 'hint', text: 'PDF only, up to 10 MB, without passwords or scripts. You can upload once.' }),
		file, err, h('button', { type: 'submit', text: 'Upload the letter' }), progress, status);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		err.textContent = '';
		file.removeAttribute('aria-invalid');
		if (!file.files[0]) {
			file.setAttribute('aria-invalid', 'true');
			err.textContent = 'Choose the PDF of your letter first.';
			file.focus();
			return;
		}
		const fd = new FormData();
		fd.append('file', file.files[0], 'letter.pdf');
		progress.hidden = false;
		try {
			await upload('/api/letters/writer', fd, (f) => {
				progress.value = f;
				status.textContent = `Uploading… ${Math.round(f * 100)}%`;
			}, link);
			form.replaceChildren(h('p', { role: 'status', class: 'status-ok',
				text: 'Thank you. Your letter has been received; this link no longer works.' }));
		} catch (e) {
			status.textContent = '';
			file.setAttribute('aria-invalid', 'true');
			err.textContent = e.message;
		} finally {
			progress.hidden = true;
		}
	});
	main.append(h('h1', { text: 'Letter of recommendation' }),
		h('p', { text: `Dear ${req.writer_name}, ${req.applicant} has asked you for a letter of recommendation for the ${req.program}.` }),
		h('p', { text: 'The letter goes to the program only; the applicant sees that it arrived, not what it says.' }),
		form);
}
