import { describe, expect, it } from 'vitest';
import { generateSampleData } from '../data/sample-data';

describe('sample data', () => {
  it('is deterministic for a seed and holds the real-world name cases', () => {
    const a = generateSampleData('small', 7, 0);
    const b = generateSampleData('small', 7, 0);
    expect(JSON.stringify(a.tables)).toBe(JSON.stringify(b.tables));
    const names = a.tables.contact.map((row) => String(row.fullname));
    expect(names.some((name) => name.includes("O'"))).toBe(true);
    expect(names.some((name) => /[\u3040-\u9fff]/.test(name))).toBe(true);
    expect(names.some((name) => /[éëöüá]/.test(name))).toBe(true);
    expect(names.some((name) => name.length > 40)).toBe(true);
    expect(new Set(names).size).toBeLessThan(names.length); // duplicates exist
    const states = new Set(a.tables.task.map((row) => row.statecode));
    expect(states).toEqual(new Set([0, 1, 2]));
    expect(a.tables.task.some((row) => row.statecode === 0 && Date.parse(String(row.scheduledend)) < 0)).toBe(true); // overdue
  });

  it('has hundreds of rows small and at least 50,000 large', () => {
    const total = (size: 'small' | 'large') => Object.values(generateSampleData(size, 1).tables).reduce((sum, rows) => sum + rows.length, 0);
    expect(total('small')).toBeGreaterThanOrEqual(300);
    expect(total('small')).toBeLessThan(1000);
    expect(total('large')).toBeGreaterThanOrEqual(50_000);
  });
});
