// The one place the front end talks to the server: JSON in and out, the
// CSRF token sent on every state-changing request, and errors turned into
// exceptions that carry the server's {error:{code,message,field}}.

export class ApiError extends Error {
	constructor(status, code, message, field) {
		super(message);
		this.status = status;
		this.code = code;
		this.field = field || null;
	}
}

let csrfToken = null;

export function setCsrf(token) {
	csrfToken = token;
}

// The program this tab works in (the switcher's choice), sent with every
// request as X-Program; a page about one object (a cycle, a candidate) is
// in that object's program whatever this says. null: the person's first.
let programId = null;

export function setProgram(id) {
	programId = id;
}

function programHeader(headers) {
	return programId ? { ...headers, 'X-Program': String(programId) } : headers;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A 503 means the server was busy and changed nothing: try again after
// the Retry-After it sent, a few times, before giving up. headers: more
// request headers (a link's token, which never goes in the path).
export async function api(method, path, body, headers) {
	for (let attempt = 1; ; attempt++) {
		try {
			return await once(method, path, body, headers);
		} catch (e) {
			if (e.status !== 503 || attempt >= 4)
				throw e;
			await sleep(1000 * attempt);
		}
	}
}

async function once(method, path, body, headers) {
	const opts = { method, headers: { ...programHeader(headers), Accept: 'application/json' },
		credentials: 'same-origin' };
	if (body !== undefined) {
		opts.headers['Content-Type'] = 'application/json';
		opts.body = JSON.stringify(body);
	}
	if (method !== 'GET' && csrfToken)
		opts.headers['X-CSRF-Token'] = csrfToken;
	let res;
	try {
		res = await fetch(path, opts);
	} catch {
		throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
	}
	const text = await res.text();
	let data = null;
	if (text !== '') {
		try {
			data = JSON.parse(text);
		} catch {
			throw new ApiError(res.status, 'bad_reply',
				'The server sent an unreadable reply.');
		}
	}
	if (!res.ok) {
		const e = (data && data.error) || {};
		throw new ApiError(res.status, e.code || 'http_' + res.status,
			e.message || 'The request failed (' + res.status + ').',
			e.field);
	}
	if (data && data.csrf_token)
		setCsrf(data.csrf_token);
	return data;
}

// Uploads form data (multipart) with progress: onprogress(fraction) is
// called as the bytes go out; headers as for api(). Resolves with the
// JSON reply; rejects with an ApiError like api().
export function upload(path, formData, onprogress, headers) {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open('POST', path);
		for (const [name, value] of Object.entries(programHeader(headers || {})))
			xhr.setRequestHeader(name, value);
		xhr.setRequestHeader('Accept', 'application/json');
		if (csrfToken)
			xhr.setRequestHeader('X-CSRF-Token', csrfToken);
		xhr.upload.addEventListener('progress', (ev) => {
			if (ev.lengthComputable)
				onprogress(ev.loaded / ev.total);
		});
		xhr.addEventListener('error', () => reject(new ApiError(0, 'network',
			'The upload was interrupted. Check your connection and try again.')));
		xhr.addEventListener('load', () => {
			let data = null;
			try {
				data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
			} catch {
				return reject(new ApiError(xhr.status, 'bad_reply', 'The server sent an unreadable reply.'));
			}
			if (xhr.status >= 200 && xhr.status < 300)
				return resolve(data);
			const e = (data && data.error) || {};
			reject(new ApiError(xhr.status, e.code || 'http_' + xhr.status,
				e.message || (xhr.status === 413 ? 'The file is larger than 10 MB.' :
					'The upload failed (' + xhr.status + ').'), e.field));
		});
		xhr.send(formData);
	});
}
