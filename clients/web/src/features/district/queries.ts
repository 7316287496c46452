import { graphql } from '../../gql';

/** Every figure the order asks for, as the district stored it (docs/monitoring.md). */
export const DistrictFiguresFragment = graphql(`
  fragment DistrictFigures on CollectedFigures {
    heldLessons
    lessonsWithTopic
    shareWithTopic
    lessonsWithAttendanceTaken
    shareWithAttendanceTaken
    marksEntered
    marksSameDay
    shareMarksSameDay
    absencesEntered
    absencesSameDay
    shareAbsencesSameDay
    lessonsWithHomework
    homeworkWithinHour
    shareHomeworkWithinHour
    medianEntryDelayMinutes
    correctionsAfterWindow
    correctionsApproved
    activeMarks
    studentSubjectPairs
    marksPerStudentPerSubject
    numericMarks
    averageMark
    markQualityShare
    markSuccessShare
    students
    guardians
    studentsOpenedDiary
    shareStudentsOpenedDiary
    parentsOpenedDiary
    shareParentsOpenedDiary
  }
`);

export const DistrictMonitoringQuery = graphql(`
  query DistrictMonitoring($month: String!) {
    monitoring(month: $month) {
      schoolId
      shortName
      schoolStatus
      state
      collectedAt
      lastAttemptAt
      lastError
      figures {
        ...DistrictFigures
      }
    }
  }
`);

export const DistrictCollectMutation = graphql(`
  mutation DistrictCollect($month: String!) {
    collectMonitoring(month: $month) {
      id
      state
      month
      total
      processed
    }
  }
`);

export const DistrictCollectionRunQuery = graphql(`
  query DistrictCollectionRun($id: ID!) {
    monitoringCollectionRun(id: $id) {
      id
      state
      month
      requestedBy
      startedAt
      finishedAt
      total
      processed
      reportVersion
      error
      errorCode
      schools {
        schoolId
        state
        attempts
        error
      }
    }
  }
`);

export const DistrictLatestRunQuery = graphql(`
  query DistrictLatestRun($month: String!) {
    monitoringCollectionRuns(month: $month, limit: 1) {
      id
      state
      trigger
      requestedBy
      startedAt
      finishedAt
    }
  }
`);

/** The last six months in one request (aliases): the trends chart needs them side by side. */
export const DistrictTrendsQuery = graphql(`
  query DistrictTrends($m0: String!, $m1: String!, $m2: String!, $m3: String!, $m4: String!, $m5: String!) {
    m0: monitoring(month: $m0) {
      ...DistrictTrendLine
    }
    m1: monitoring(month: $m1) {
      ...DistrictTrendLine
    }
    m2: monitoring(month: $m2) {
      ...DistrictTrendLine
    }
    m3: monitoring(month: $m3) {
      ...DistrictTrendLine
    }
    m4: monitoring(month: $m4) {
      ...DistrictTrendLine
    }
    m5: monitoring(month: $m5) {
      ...DistrictTrendLine
    }
  }
  fragment DistrictTrendLine on SchoolMonitoring {
    schoolId
    shortName
    state
    figures {
      ...DistrictFigures
    }
  }
`);

export const DistrictReportVersionsQuery = graphql(`
  query DistrictReportVersions($month: String!) {
    monthlyReportVersions(month: $month) {
      month
      version
      closedAt
      schools {
        schoolId
        shortName
      }
      changes {
        schoolId
        field
        before
        after
      }
    }
  }
`);

export const DistrictProgressTotalsQuery = graphql(`
  query DistrictProgressTotals($period: ProgressPeriodInput!, $groupBy: [ProgressDimension!]!) {
    districtProgress(period: $period, groupBy: $groupBy) {
      schools
      unavailable {
        schoolId
        reason
      }
      rows {
        yearOfStudy
        subject
        schools
        students
        ratedStudents
        qualityRate
        successRate
        averageMark
        attendanceRate
        studentsAtRisk
      }
    }
  }
`);

export const DistrictSchoolsProgressQuery = graphql(`
  query DistrictSchoolsProgress($period: ProgressPeriodInput!) {
    schools {
      id
      shortName
      progress(period: $period) {
        from
        to
        termName
        rows {
          students
          ratedStudents
          qualityStudents
          successStudents
          qualityRate
          successRate
          weightedMarkSum
          weightSum
          averageMark
          lessonSlots
          absences
          attendanceRate
          studentsAtRisk
        }
      }
    }
  }
`);
