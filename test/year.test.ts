// The license's year is the year where the user is; localYear asks for the time zone only near
// New Year (src/plan.ts). Vitest runs each test file in its own process, so TZ can be changed here.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { localYear } from '../src/plan.js';

const savedTz = process.env.TZ;
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
  vi.restoreAllMocks();
});

// The zones furthest ahead of and behind UTC, common ones, and POSIX TZ strings a whole day either
// way (ICU takes XXX-24, not the 24:59:59 POSIX allows).
const ZONES = ['UTC', 'Pacific/Kiritimati', 'Etc/GMT+12', 'Pacific/Pago_Pago', 'Asia/Tokyo', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'XXX-24', 'YYY+24'];

describe('localYear', () => {
  it.each(ZONES)('is Date#getFullYear in %s, hour by hour around New Year and on any day', (zone) => {
    process.env.TZ = zone;
    for (let h = -80; h <= 80; h++) {
      const now = new Date(Date.UTC(2026, 11, 31, 24 + h, 30));
      expect(localYear(now), now.toISOString()).toBe(now.getFullYear());
    }
    // Years around 0 too: Date.UTC reads years 0 to 99 as 1900 to 1999.
    for (const year of [-1, 0, 1, 99, 100, 2000]) {
      for (let h = -60; h <= 60; h += 6) {
        const now = new Date(new Date(0).setUTCFullYear(year, 0, 1) + h * 3_600_000);
        expect(localYear(now), now.toISOString()).toBe(now.getFullYear());
      }
    }
    fc.assert(fc.property(fc.date({ min: new Date('-003000-01-01'), max: new Date('3000-12-31'), noInvalidDate: true }), (now) => localYear(now) === now.getFullYear()), { numRuns: 2000 });
  });

  it('asks for the time zone only within two days of New Year in UTC', () => {
    const local = vi.spyOn(Date.prototype, 'getFullYear');
    expect(localYear(new Date('2026-06-15T12:00:00Z'))).toBe(2026);
    expect(localYear(new Date('2026-12-29T23:59:59Z'))).toBe(2026);
    expect(localYear(new Date('2027-01-03T00:00:01Z'))).toBe(2027);
    expect(local).not.toHaveBeenCalled();
    localYear(new Date('2026-12-31T12:00:00Z'));
    localYear(new Date('2027-01-01T06:00:00Z'));
    expect(local).toHaveBeenCalledTimes(2);
  });
});
