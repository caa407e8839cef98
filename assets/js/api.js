// The one place the front end talks to the server: JSON in and out, and
// errors turned into exceptions that carry the server's {error:{code,message}}.

export class ApiError extends Error {
	constructor(status, code, message) {
		super(message);
		this.status = status;
		this.code = code;
	}
}

export async function api(method, path, body) {
	const opts = { method, headers: { Accept: 'application/json' },
		credentials: 'same-origin' };
	if (body !== undefined) {
		opts.headers['Content-Type'] = 'application/json';
		opts.body = JSON.stringify(body);
	}
	const res = await fetch(path, opts);
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
			e.message || 'The request failed (' + res.status + ').');
	}
	return data;
}
