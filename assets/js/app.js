// The application shell: finds the page's parts and fills them in.
import { api } from './api.js';

async function showStatus() {
	const el = document.getElementById('status');
	try {
		const r = await api('GET', '/api/health');
		el.textContent = r.status === 'ok'
			? 'The service is running.'
			: 'The service answered: ' + r.status;
		el.className = 'status-ok';
	} catch (e) {
		el.textContent = 'The service is not reachable: ' + e.message;
		el.className = 'status-bad';
	}
}

showStatus();
