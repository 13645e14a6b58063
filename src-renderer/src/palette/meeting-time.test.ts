import { describe, expect, it } from 'vitest';
import { isHappeningNow, meetingWhen } from './meeting-time';

// Local times, so the labels are right in whatever time zone the test runs.
const at = (day: number, hour: number, minute = 0) =>
  new Date(2026, 10, day, hour, minute).toISOString();
const now = new Date(2026, 10, 30, 10, 0).getTime(); // Monday 30 Nov, 10:00

describe('meeting times', () => {
  it('say Today and Tomorrow with a 24-hour time, not the weekday', () => {
    expect(meetingWhen(at(30, 11, 30), at(30, 12), now)).toBe('Today 11:30');
    expect(
      meetingWhen(
        new Date(2026, 11, 1, 9, 0).toISOString(),
        new Date(2026, 11, 1, 10).toISOString(),
        now,
      ),
    ).toBe('Tomorrow 09:00');
  });

  it('say Now with the end while it runs, and In N min within five minutes of the start', () => {
    expect(meetingWhen(at(30, 9, 30), at(30, 10, 30), now)).toBe('Now · until 10:30');
    expect(meetingWhen(at(30, 10, 4), at(30, 10, 30), now)).toBe('In 4 min');
    expect(meetingWhen(at(30, 10, 6), at(30, 10, 30), now)).toBe('Today 10:06');
  });

  it('count a meeting as happening from five minutes before its start to its end', () => {
    expect(isHappeningNow(at(30, 10, 5), at(30, 11), now)).toBe(true);
    expect(isHappeningNow(at(30, 10, 6), at(30, 11), now)).toBe(false);
    expect(isHappeningNow(at(30, 9), at(30, 10), now)).toBe(false);
  });
});
