import { parseGlobalId, schoolOf, toGlobalId, tryParseGlobalId } from '../src/ids';

describe('school-carrying ids', () => {
  it('round-trips type, school and local id, and is opaque', () => {
    const id = toGlobalId('Student', 's001', 42);
    expect(id).not.toContain('Student');
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(tryParseGlobalId(id)).toEqual({ type: 'Student', schoolId: 's001', localId: '42' });
    expect(parseGlobalId(id, 'Student')).toEqual({ schoolId: 's001', localId: 42 });
  });

  it('names the school of an id or a plain school code', () => {
    expect(schoolOf(toGlobalId('ClassGroup', 's123', 7))).toBe('s123');
    expect(schoolOf('s002')).toBe('s002');
    expect(schoolOf('garbage')).toBeUndefined();
    expect(schoolOf(17)).toBeUndefined();
  });

  it('refuses an id of another type with BAD_USER_INPUT, and one of another school with NOT_FOUND', () => {
    const id = toGlobalId('Student', 's001', 1);
    expect(() => parseGlobalId(id, 'Staff')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => parseGlobalId(id, 'Student', 's002')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => parseGlobalId('not-an-id', 'Student')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(tryParseGlobalId(Buffer.from('Student:s001:1; drop table').toString('base64url'))).toBeUndefined();
  });
});
