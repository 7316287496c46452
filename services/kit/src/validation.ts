import { DomainError, type FieldProblem } from './errors';
import { normalizeSnils } from './identity-keys';

/**
 * Collects every problem with an input before refusing it, so the user sees
 * all of them at once; `done()` throws BAD_USER_INPUT when any were found.
 */
export class Validator {
  readonly problems: FieldProblem[] = [];

  constructor(private readonly line?: number) {}

  private add(field: string, message: string): void {
    this.problems.push(this.line === undefined ? { field, message } : { field, line: this.line, message });
  }

  text(
    field: string,
    value: string | null | undefined,
    options: { required?: boolean; max?: number; pattern?: RegExp; label?: string } = {},
  ): string | undefined {
    const trimmed = value?.trim() ?? '';
    const label = options.label ?? field;
    if (!trimmed) {
      if (options.required !== false) this.add(field, `${label}: обязательное поле`);
      return undefined;
    }
    if (trimmed.length > (options.max ?? 200)) this.add(field, `${label}: не длиннее ${options.max ?? 200} символов`);
    else if (options.pattern && !options.pattern.test(trimmed)) this.add(field, `${label}: неверный формат «${trimmed}»`);
    return trimmed;
  }

  /** An ISO calendar date (YYYY-MM-DD) within sane bounds. */
  date(field: string, value: string | null | undefined, options: { required?: boolean; label?: string; min?: string; max?: string } = {}): string | undefined {
    const label = options.label ?? field;
    const trimmed = value?.trim() ?? '';
    if (!trimmed) {
      if (options.required !== false) this.add(field, `${label}: обязательное поле`);
      return undefined;
    }
    const iso = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? trimmed : fromRussianDate(trimmed);
    const parsed = iso ? new Date(`${iso}T00:00:00Z`) : undefined;
    if (!iso || !parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso) {
      this.add(field, `${label}: неверная дата «${trimmed}» (ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)`);
      return undefined;
    }
    if ((options.min && iso < options.min) || (options.max && iso > options.max)) {
      this.add(field, `${label}: дата вне допустимого диапазона`);
      return undefined;
    }
    return iso;
  }

  int(field: string, value: number | null | undefined, options: { min: number; max: number; label?: string }): number | undefined {
    if (value === null || value === undefined || !Number.isInteger(value) || value < options.min || value > options.max) {
      this.add(field, `${options.label ?? field}: целое число от ${options.min} до ${options.max}`);
      return undefined;
    }
    return value;
  }

  email(field: string, value: string | null | undefined): string | undefined {
    return this.text(field, value, { required: false, max: 200, pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, label: 'Email' });
  }

  phone(field: string, value: string | null | undefined): string | undefined {
    return this.text(field, value, { required: false, max: 30, pattern: /^\+?[\d\s()-]{5,}$/, label: 'Телефон' });
  }

  /** A SNILS: its 11 digits when valid; the number is not echoed (it is personal data and may be logged). */
  snils(field: string, value: string | null | undefined, options: { required?: boolean } = {}): string | undefined {
    const trimmed = value?.trim() ?? '';
    if (!trimmed) {
      if (options.required !== false) this.add(field, 'СНИЛС: обязательное поле');
      return undefined;
    }
    const digits = normalizeSnils(trimmed);
    if (!digits) this.add(field, 'СНИЛС: неверный номер (11 цифр, последние две — контрольное число)');
    return digits ?? undefined;
  }

  check(condition: boolean, field: string, message: string): void {
    if (!condition) this.add(field, message);
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }

  done(message = 'Данные заполнены неверно'): void {
    if (!this.ok) throw DomainError.invalid(`${message}: ${this.problems.map((p) => p.message).join('; ')}`, this.problems);
  }
}

function fromRussianDate(value: string): string | undefined {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(value);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : undefined;
}
