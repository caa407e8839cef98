// One way to write dates and times, used by every view: "Tue 8 Dec 2026,
// 17:00 EST" — the weekday, the day, the month's short name, the year, a
// 24-hour time and the zone's abbreviation — in the cycle's time zone.
// A calendar day without a time (an interview day) is "Tue 8 Dec 2026".
//
// What the server sends comes in three shapes, all handled by when():
// an instant (ISO 8601 text with its offset, or Unix seconds), a deadline
// as the program typed it ("2026-12-08T17:00", a wall-clock time in the
// cycle's zone), and a calendar day ("2026-12-08").

// The program's zone by default (SPEC: America/New_York), until the
// application learns the newest cycle's (setZone, from app.js).
let programZone = 'America/New_York';

export function setZone(tz) {
	if (tz && zoneKnown(tz))
		programZone = tz;
}

export function zone() {
	return programZone;
}

function zoneKnown(tz) {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: tz });
		return true;
	} catch {
		return false;
	}
}

const formats = new Map();

// The parts of instant ms in zone tz, by type (weekday, day, month, year,
// hour, minute, timeZoneName).
function parts(ms, tz) {
	let f = formats.get(tz);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'short', day: 'numeric',
			month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
			timeZoneName: 'short' });
		formats.set(tz, f);
	}
	return Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

// "Tue 8 Dec 2026" for the calendar day y-m-d (no zone: a day is a day).
function dayText(y, m, d) {
	const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
	return `${WEEKDAYS[wd]} ${d} ${MONTHS[m - 1]} ${y}`;
}

// The offset of zone tz from UTC at instant ms, in milliseconds.
function offset(ms, tz) {
	const p = parts(ms, tz);
	const month = MONTHS.indexOf(p.month);
	const local = Date.UTC(Number(p.year), month, Number(p.day), Number(p.hour), Number(p.minute));
	return local - Math.floor(ms / 60000) * 60000;
}

// The instant of the wall-clock time y-m-d h:min in zone tz.
function instantOf(y, m, d, hh, mm, tz) {
	const guess = Date.UTC(y, m - 1, d, hh, mm);
	const first = guess - offset(guess, tz);
	const second = guess - offset(first, tz);
	return second;
}

function toMs(value) {
	if (value instanceof Date)
		return value.getTime();
	if (typeof value === 'number')
		return value * 1000;
	return Date.parse(value);
}

// "Tue 8 Dec 2026, 17:00 EST": an instant (ISO text, Unix seconds or a
// Date) in zone tz (default: the program's).
export function instant(value, tz = programZone) {
	const ms = toMs(value);
	if (Number.isNaN(ms))
		return String(value);
	const p = parts(ms, tz);
	return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

// "Tue 8 Dec 2026": a calendar day ("2026-12-08", or the day of a
// deadline "2026-12-08T17:00" as typed).
export function day(value) {
	const m = DAY.exec(String(value).slice(0, 10));
	return m ? dayText(Number(m[1]), Number(m[2]), Number(m[3])) : String(value);
}

// Any date or time the server sends, in the one format: null or '' as
// "—", a calendar day as a day, a deadline as typed (wall-clock time in
// zone tz) with the zone's abbreviation at that time, an instant in tz.
export function when(value, tz = programZone) {
	if (value === null || value === undefined || value === '')
		return '—';
	if (typeof value === 'string') {
		if (DAY.test(value))
			return day(value);
		const m = WALL.exec(value);
		if (m) {
			const [y, mo, d, hh, mm] = m.slice(1).map(Number);
			const name = parts(instantOf(y, mo, d, hh, mm, tz), tz).timeZoneName;
			return `${dayText(y, mo, d)}, ${m[4]}:${m[5]} ${name}`;
		}
	}
	return instant(value, tz);
}
