/**
 * Dates as staff read them: in the viewer's own time zone, with the patient's device time and
 * UTC offset (as the app sent it) on hover and for screen readers.
 */

const OFFSET = /([+-])(\d{2}):?(\d{2})$|Z$/;

export function formatInstant(iso: string | undefined | null, timeZone?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'medium', timeStyle: 'short', timeZone,
  }).format(d);
}

/** The UTC offset a device time carries: "+01:00", "-05:30", "+00:00" for Z; null when it has none. */
export function offsetOf(authored: string | undefined | null): string | null {
  if (!authored) return null;
  const m = OFFSET.exec(authored);
  if (!m) return null;
  if (m[0] === 'Z') return '+00:00';
  return `${m[1]}${m[2]}:${m[3]}`;
}

/** "27 Nov 2026, 10:20 (UTC+01:00)": the wall-clock time the patient saw when answering. */
export function patientTime(authored: string | undefined | null): string | null {
  const offset = offsetOf(authored);
  if (!authored || !offset) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(authored);
  if (!m) return null;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${Number(m[3])} ${months[Number(m[2]) - 1]} ${m[1]}, ${m[4]}:${m[5]} (UTC${offset})`;
}

/** "7 min", "2 h 05 min", "3 d 4 h": how long something took or has been waiting. */
export function duration(seconds: number | undefined | null): string {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.floor(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export function bytes(n: number | undefined | null): string {
  if (n === undefined || n === null) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** A UTC calendar day, for date inputs: "2026-11-27". */
export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
