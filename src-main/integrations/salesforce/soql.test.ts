import { describe, expect, it } from 'vitest';
import { myOpenTasksSoql, soqlString } from './soql';

describe('SOQL literals and the my-open-tasks query', () => {
  it('quotes strings with the reserved characters escaped', () => {
    expect(soqlString('005x00000012Q9PAAU')).toBe("'005x00000012Q9PAAU'");
    expect(soqlString("Bob's BBQ")).toBe("'Bob\\'s BBQ'");
    expect(soqlString('a\\b')).toBe("'a\\\\b'");
    expect(soqlString('say "hi"\n\tnow')).toBe('\'say \\"hi\\"\\n\\tnow\'');
  });

  it('cannot be closed early by the value', () => {
    const literal = soqlString("x' OR OwnerId != 'y");
    expect(literal).toBe("'x\\' OR OwnerId != \\'y'");
    // Every quote inside is preceded by an odd number of backslashes.
    expect(literal.slice(1, -1)).not.toMatch(/(?<!\\)(?:\\\\)*'/);
    expect(soqlString("\\' OR Id != '")).toBe("'\\\\\\' OR Id != \\''");
  });

  it('refuses control characters it has no escape for', () => {
    expect(() => soqlString('a\u0000b')).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
  });

  it("asks for the user's open tasks, earliest due first and undated last", () => {
    expect(myOpenTasksSoql('005x00000012Q9PAAU')).toBe(
      "SELECT Id, Subject, Status, Priority, ActivityDate, What.Name, What.Type, Who.Name, Who.Type FROM Task WHERE OwnerId = '005x00000012Q9PAAU' AND IsClosed = false ORDER BY ActivityDate ASC NULLS LAST LIMIT 200",
    );
    expect(myOpenTasksSoql("o'id", 50)).toContain("OwnerId = 'o\\'id' AND IsClosed = false");
    expect(myOpenTasksSoql('005', 50)).toMatch(/ LIMIT 50$/);
  });
});
