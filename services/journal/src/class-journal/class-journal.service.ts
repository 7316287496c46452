import { parseGlobalId, toGlobalId } from '@district/kit';
import type { JournalContext } from '../context';
import { StudentRef } from '../diary/diary.type';
import { gradeScope } from '../term-grades/grade-scope';
import { ClassJournalType } from './class-journal.type';
import { lessonPages } from './lesson-page';

/**
 * A term's journal of a subject in a class in one request: who may read it is
 * the grade sheet's rule (the subject's teacher in the class, deputies, the
 * director) plus the class's class teacher; a fixed number of statements
 * however many lessons and entries the term holds.
 */
export class ClassJournalService {
  constructor(private readonly ctx: JournalContext) {}

  async read(classGroupId: string, subjectId: string, termId: string): Promise<ClassJournalType> {
    const { schoolId } = this.ctx;
    const ids = {
      classGroup: parseGlobalId(classGroupId, 'ClassGroup', schoolId).localId,
      subject: parseGlobalId(subjectId, 'Subject', schoolId).localId,
      term: parseGlobalId(termId, 'Term', schoolId).localId,
    };
    const scope = await gradeScope(this.ctx, { termId: ids.term }, ids.classGroup, ids.subject, false, { classTeacherReads: true });
    const facts = await this.ctx.loaders.facts.lessonsOfClass(ids.classGroup, ids.subject, ids.term);
    return Object.assign(new ClassJournalType(), {
      subject: scope.subjectName,
      grading: facts[0]?.grading ?? scope.grading,
      termClosed: scope.closed,
      students: scope.students.map((id) => Object.assign(new StudentRef(), { id: toGlobalId('Student', schoolId, id) })),
      lessons: await lessonPages(this.ctx, facts),
    });
  }
}
