import type { PortalDiary, PortalProgress } from './sdk';

type Child = PortalProgress['child'];
type Mark = PortalProgress['subjects'][number]['marks'][number];

const MARK_VALUES: Record<string, string> = { PASS: 'зачёт', FAIL: 'незачёт' };
const GRADES: Record<string, string> = { ...MARK_VALUES, NOT_ASSESSED: 'н/а', EXEMPT: 'осв.' };
const ATTENDANCE: Record<string, string> = { Н: 'Н (отсутствие)', Б: 'Б (болезнь)', УП: 'УП (уважительная причина)', ОП: 'ОП (опоздание)' };

/** 2026-11-28 → 28.11.2026, as dates are shown to people. */
export function russianDate(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return match ? `${match[3]}.${match[2]}.${match[1]}` : iso;
}

/** A Russian decimal: 4.5 → «4,50» (averages keep two decimals), 1.5 → «1,5». */
function decimal(value: number, digits?: number): string {
  return (digits === undefined ? String(value) : value.toFixed(digits)).replace('.', ',');
}

/** 1 отметка, 2 отметки, 5 отметок. */
function marksCount(n: number): string {
  const tens = n % 100;
  const ones = n % 10;
  const word = tens >= 11 && tens <= 14 ? 'отметок' : ones === 1 ? 'отметка' : ones >= 2 && ones <= 4 ? 'отметки' : 'отметок';
  return `${n} ${word}`;
}

function mark(m: Pick<Mark, 'value' | 'controlForm' | 'weight' | 'comment'>): string {
  const comment = m.comment ? ` — ${m.comment}` : '';
  return `${MARK_VALUES[m.value] ?? m.value} (${m.controlForm}, вес ${decimal(m.weight)})${comment}`;
}

function average(value: number | null, count: number): string {
  return value === null ? `средний балл не вычисляется (${marksCount(count)})` : `средний балл ${decimal(value, 2)} (${marksCount(count)})`;
}

function childLines(title: string, child: Child): string[] {
  return [`${title}: ${child.fullName}`, `Школа: ${child.schoolName}${child.classGroup ? `, класс ${child.classGroup}` : ''}`];
}

/** The progress answer as a person reads it: per subject the marks and the average, attendance, term grades. */
export function progressSummary(p: PortalProgress): string {
  const lines = [...childLines('Успеваемость', p.child), `Период: ${russianDate(p.from)} – ${russianDate(p.to)}`, `Номер запроса: ${p.requestId}`, ''];
  lines.push('Отметки по предметам');
  if (p.subjects.length === 0) lines.push('  за период отметок нет');
  for (const s of p.subjects) {
    lines.push(`  ${s.subject}: ${s.marks.length === 0 ? 'отметок нет' : average(s.average, s.marksCount)}`);
    for (const m of s.marks) lines.push(`    ${russianDate(m.date)}  ${mark(m)}`);
  }
  const a = p.attendance;
  lines.push('', `Посещаемость: проведено уроков ${a.lessons}; Н ${a.absent}, Б ${a.sick}, УП ${a.excused}, ОП ${a.late}`, '');
  lines.push('Отметки за учебные периоды');
  if (p.termGrades.length === 0) lines.push('  не выставлены');
  const terms = [...new Set(p.termGrades.map((g) => g.term))];
  for (const term of terms) {
    const grades = p.termGrades.filter((g) => g.term === term).map((g) => `${g.subject} ${GRADES[g.grade] ?? g.grade}`);
    lines.push(`  ${term}: ${grades.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The diary answer: day by day the lessons with topic, homework, marks and attendance, then the term's averages. */
export function diarySummary(d: PortalDiary): string {
  const lines = [...childLines('Дневник', d.child), `Неделя с ${russianDate(d.weekStart)}${d.term ? ` (${d.term})` : ''}`, `Номер запроса: ${d.requestId}`];
  for (const day of d.days) {
    lines.push('', `${day.weekday} ${russianDate(day.date)}${day.lessons.length === 0 ? ': уроков нет' : ''}`);
    for (const l of day.lessons) {
      lines.push(`  ${l.period}. ${l.startTime}–${l.endTime}  ${l.subject}${l.cancelled ? ' (урок отменён)' : ''}`);
      if (l.topic) lines.push(`     Тема: ${l.topic}`);
      if (l.homework) lines.push(`     Домашнее задание: ${l.homework}`);
      if (l.marks.length) lines.push(`     Отметки: ${l.marks.map(mark).join('; ')}`);
      if (l.attendance) lines.push(`     Посещаемость: ${ATTENDANCE[l.attendance] ?? l.attendance}`);
    }
  }
  lines.push('', `Средний балл${d.term ? ` за период «${d.term}»` : ''}`);
  if (d.subjects.length === 0) lines.push('  отметок нет');
  for (const s of d.subjects) lines.push(`  ${s.subject}: ${average(s.average, s.marksCount)}`);
  return `${lines.join('\n')}\n`;
}
