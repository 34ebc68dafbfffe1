import { describe, expect, it } from 'vitest';
import { bytes, duration, formatInstant, offsetOf, patientTime } from '../src/format';

describe('dates and sizes', () => {
  it('shows an instant in the viewer\'s zone', () => {
    expect(formatInstant('2026-11-27T09:30:00.000Z', 'Europe/Berlin')).toBe('27 Nov 2026, 10:30');
    expect(formatInstant('2026-11-27T09:30:00.000Z', 'America/New_York')).toBe('27 Nov 2026, 04:30');
    expect(formatInstant(undefined)).toBe('—');
  });

  it('keeps the patient\'s own device time and offset as sent', () => {
    expect(offsetOf('2026-11-27T10:20:00+01:00')).toBe('+01:00');
    expect(offsetOf('2026-11-27T04:50:00-05:30')).toBe('-05:30');
    expect(offsetOf('2026-11-27T09:20:00Z')).toBe('+00:00');
    expect(offsetOf('2026-11-27T09:20:00')).toBeNull();
    expect(patientTime('2026-11-27T10:20:00+01:00')).toBe('27 Nov 2026, 10:20 (UTC+01:00)');
    expect(patientTime(undefined)).toBeNull();
  });

  it('says how long in words a nurse reads at a glance', () => {
    expect(duration(42)).toBe('42 s');
    expect(duration(420)).toBe('7 min');
    expect(duration(2 * 3600 + 5 * 60)).toBe('2 h 05 min');
    expect(duration(3 * 86400 + 4 * 3600)).toBe('3 d 4 h');
    expect(duration(undefined)).toBe('—');
    expect(bytes(512)).toBe('512 B');
    expect(bytes(2048)).toBe('2.0 KiB');
  });
});
