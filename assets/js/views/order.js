// The reviewer's own order: the list a candidate was opened from (My
// candidates, or the applications list as it was sorted and filtered),
// kept for the browser tab, so that a candidate page can offer the
// previous and the next candidate of that list.
const KEY = 'fellowship-review-order';

// items: [{id, name}] in the list's order; label names the list.
export function saveOrder(label, items) {
	try {
		sessionStorage.setItem(KEY, JSON.stringify({ label, items }));
	} catch {
		// Storage may be full or refused: the pages work without it.
	}
}

// The saved list when it holds application id, else null.
export function savedOrderWith(id) {
	try {
		const o = JSON.parse(sessionStorage.getItem(KEY) || 'null');
		if (o && Array.isArray(o.items) && o.items.some((x) => x.id === Number(id)))
			return o;
	} catch {
		// A damaged entry is no order.
	}
	return null;
}
