/** The example operations the playground opens with, and the one its toolbar signs in with. */
import { localDate, zonedInstant } from '@campus/platform';

export interface DemoCredentials {
  email: string;
  password: string;
}

export interface PlaygroundTab {
  query: string;
  variables?: string;
}

/** The demo campus's clock (the services' CAMPUS_TIMEZONE default): the sample dates are its days. */
const DEMO_TIME_ZONE = 'Europe/Moscow';

/** The seeded demo account, prefilled outside production. */
export const DEMO_CREDENTIALS: DemoCredentials = { email: 'educator@sirius.local', password: 'sirius2026' };

/**
 * Identity's sign-in and sign-out mutations (identity owns `login`, `logout`, `refreshSession`).
 * The toolbar reads `accessToken`, `refreshToken`, `expiresAt` and `user { fullName roles }`.
 */
export const LOGIN_MUTATION = `mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    accessToken
    refreshToken
    expiresAt
    user {
      fullName
      roles
    }
  }
}`;

export const LOGOUT_MUTATION = `mutation Logout($refreshToken: String!) {
  logout(refreshToken: $refreshToken)
}`;

export function defaultTabs(credentials: DemoCredentials | undefined, now: Date = new Date()): PlaygroundTab[] {
  const variables = credentials ?? { email: 'you@sirius.local', password: '' };
  return [
    {
      query: `# Sign in here or with the toolbar above; the toolbar puts the token into the Headers tab.\n${LOGIN_MUTATION}\n`,
      variables: JSON.stringify(variables, null, 2),
    },
    { query: `query Me {\n  me {\n    fullName\n    roles\n  }\n}\n` },
    {
      query: `query Residents {\n  users(filter: { building: "8", entrance: 1 }) {\n    total\n    items {\n      fullName\n      residence {\n        room\n      }\n    }\n  }\n}\n`,
    },
    {
      query: `query Campus {\n  campus {\n    code\n    entrances {\n      number\n      rooms {\n        number\n        residents {\n          fullName\n        }\n      }\n    }\n  }\n}\n`,
    },
    ...flowTabs(sampleDates(now)),
  ];
}

/** Dates the flows' variables start with, on the demo campus's clock (the page is rendered at start-up). */
export interface SampleDates {
  /** YYYY-MM-DD of yesterday: an evening whose roll-call may be started at any hour. */
  yesterday: string;
  /** YYYY-MM of this month. */
  month: string;
  /** Tomorrow 18:00 and 20:00, and 09:00 and 12:00 (ISO-8601, UTC). */
  tomorrowEvening: { from: string; to: string };
  tomorrowMorning: { from: string; to: string };
}

export function sampleDates(now: Date, timeZone = DEMO_TIME_ZONE): SampleDates {
  const day = (offset: number) => localDate(new Date(now.getTime() + offset * 86_400_000), timeZone);
  const at = (date: string, time: string) => zonedInstant(date, time, timeZone).toISOString();
  const tomorrow = day(1);
  return {
    yesterday: day(-1),
    month: day(0).slice(0, 7),
    tomorrowEvening: { from: at(tomorrow, '18:00'), to: at(tomorrow, '20:00') },
    tomorrowMorning: { from: at(tomorrow, '09:00'), to: at(tomorrow, '12:00') },
  };
}

const json = (value: unknown): string => JSON.stringify(value, null, 2);

/**
 * One tab per main flow of a service. Each names the demo account that can run it (password
 * sirius2026: sign in with the toolbar, which replaces the token in the Headers tab) and holds the
 * flow's operations in order: pick one with the run button's menu. Ids come from the previous
 * step's answer ("<…>" in the variables).
 */
export function flowTabs(dates: SampleDates): PlaygroundTab[] {
  return [
    {
      query: `# Leave, as student.adult@sirius.local (student.minor@sirius.local needs a parent's VOICE_MESSAGE
# before approval). Submit, then read your applications; documents go to the upload URL with PUT.
mutation SubmitLeave($input: SubmitLeaveApplicationInput!) {
  submitLeaveApplication(input: $input) {
    id
    status
    isMinor
  }
}

query MyLeaveApplications {
  me {
    leaveApplications(size: 5) {
      id
      status
      leaveAt
      returnAt
      documents {
        kind
        downloadUrl
      }
      history {
        type
        at
        data
      }
    }
  }
}

mutation RequestUpload($applicationId: ID!) {
  requestLeaveDocumentUpload(applicationId: $applicationId, kind: PARENT_LETTER) {
    uploadUrl
    method
    maxBytes
    acceptedContentTypes
  }
}

mutation Withdraw($applicationId: ID!) {
  withdrawLeaveApplication(id: $applicationId) {
    status
  }
}
`,
      variables: json({
        input: {
          leaveAt: dates.tomorrowMorning.from,
          returnAt: dates.tomorrowMorning.to,
          reason: 'Музыкальная школа',
          contactPhone: '+7 912 345-67-89',
        },
        applicationId: '<id from SubmitLeave>',
      }),
    },
    {
      query: `# Leave decisions, as educator@sirius.local: the pending applications of building 8, then a decision.
# Two educators deciding at once: one wins, the other gets CONFLICT or LEAVE_APPLICATION_FINAL.
query PendingLeaves {
  leaveApplications(filter: { status: PENDING, building: "8" }, size: 10) {
    total
    items {
      id
      applicant {
        fullName
      }
      isMinor
      leaveAt
      returnAt
      reason
      documents {
        kind
      }
    }
  }
}

mutation Decide($id: ID!, $decision: LeaveDecision!, $reason: String) {
  decideLeaveApplication(id: $id, decision: $decision, reason: $reason) {
    status
    decidedBy {
      fullName
    }
    history {
      type
      actor {
        fullName
      }
    }
  }
}
`,
      variables: json({ id: '<id from PendingLeaves>', decision: 'APPROVE', reason: null }),
    },
    {
      query: `# The evening roll-call of building 8, entrance 1, as patrol@sirius.local (or an educator).
# Today's patrol starts at 22:00 campus time; yesterday's can be caught up at any hour. Minors on an
# approved leave covering 22:00 are already marked absent.
mutation StartPatrol($date: Date!) {
  startPatrol(building: "8", entrance: 1, date: $date) {
    id
    progress {
      total
      checked
    }
    entries {
      id
      status
      reason
      student {
        fullName
      }
      leave {
        returnAt
      }
    }
  }
}

mutation MarkEntry($entryId: ID!, $present: Boolean!, $reason: String) {
  markPatrolEntry(entryId: $entryId, present: $present, reason: $reason) {
    status
    reason
  }
}

mutation CompletePatrol($patrolId: ID!) {
  completePatrol(id: $patrolId) {
    status
    progress {
      present
      absent
    }
  }
}
`,
      variables: json({
        date: dates.yesterday,
        entryId: '<entry id from StartPatrol>',
        present: true,
        reason: null,
        patrolId: '<id from StartPatrol>',
      }),
    },
    {
      query: `# Notifications, as anybody (e.g. educator@sirius.local after a leave is submitted). Live:
# GET /notifications/stream with the Authorization header, or ?ticket=<CreateStreamTicket>.
query MyNotifications {
  unreadNotificationCount
  myNotifications(size: 10) {
    total
    items {
      id
      key
      title
      body
      data
      read
      createdAt
    }
  }
}

mutation MarkAllRead {
  markAllNotificationsRead {
    markedCount
    unreadCount
  }
}

mutation CreateStreamTicket {
  createNotificationStreamTicket
}
`,
    },
    {
      query: `# Room duties, as head@sirius.local (student_head of building 8, entrance 1): this month's
# roster (dates from today on), then read it back.
mutation GenerateRoster($month: String!) {
  generateDutyRoster(input: { building: "8", entrance: 1, month: $month }) {
    id
    month
    schedules {
      id
      date
      roomNumber
      status
    }
  }
}

query Roster($month: String!) {
  dutyRoster(building: "8", entrance: 1, month: $month) {
    generatedAt
    schedules {
      date
      roomNumber
      status
    }
  }
}
`,
      variables: json({ month: dates.month }),
    },
    {
      query: `# My duties and the report, as student.adult@sirius.local (a resident of building 8, entrance 1;
# after a roster exists). On the duty day: one upload link per photo (PUT the JPEG/PNG to it), then submit.
query MyDuties {
  me {
    residence {
      roomId
    }
    dutySchedules {
      id
      date
      status
      deadlineAt
      report {
        status
        missingCategories
      }
    }
  }
}

mutation RequestPhotoUpload($scheduleId: ID!) {
  requestDutyPhotoUpload(input: { scheduleId: $scheduleId, category: KITCHEN_STOVE }) {
    uploadUrl
    method
    maxBytes
  }
}

mutation SubmitReport($scheduleId: ID!) {
  submitDutyReport(scheduleId: $scheduleId) {
    status
  }
}

mutation CalendarFeed($roomId: ID!) {
  createRoomCalendarFeed(roomId: $roomId) {
    url
  }
}
`,
      variables: json({ scheduleId: '<id from MyDuties>', roomId: '<residence.roomId from MyDuties>' }),
    },
    {
      query: `# The staff calendar and the review of reports, as educator@sirius.local (or educator.head@sirius.local).
query Calendar($month: String!) {
  dutyCalendar(building: "8", entrance: 1, month: $month) {
    dates
    rows {
      roomNumber
      duties {
        id
        date
        status
      }
    }
  }
}

query ReportsToReview {
  dutyReportsToReview(filter: { building: "8", entrance: 1 }) {
    total
    items {
      status
      schedule {
        id
        roomNumber
        date
      }
      photos {
        category
        url
      }
    }
  }
}

mutation Accept($scheduleId: ID!) {
  acceptDutyReport(scheduleId: $scheduleId) {
    status
  }
}

mutation Reject($scheduleId: ID!) {
  rejectDutyReport(input: { scheduleId: $scheduleId, reason: "The stove is not clean" }) {
    status
  }
}

query OpenSanctions {
  dutySanctions(filter: { building: "8", entrance: 1, status: OPEN }) {
    total
    items {
      id
      dutyDate
      user {
        fullName
      }
    }
  }
}
`,
      variables: json({ month: dates.month, scheduleId: '<schedule.id from ReportsToReview>' }),
    },
    {
      query: `# Coworkings, as student.adult@sirius.local: what is free tomorrow evening, then ask for it
# (one active booking at a time; cancel until the key is taken). availableOnly: the ones taking
# bookings (a closed one is free too, but refuses them with COWRK_UNAVAILABLE_COWORKING).
query FreeTomorrowEvening($from: DateTime!, $to: DateTime!) {
  coworkings(building: "8", availableOnly: true, from: $from, to: $to) {
    id
    name
    capacity
    freeInWindow
    busySlots(from: $from, to: $to) {
      startsAt
      endsAt
    }
  }
}

mutation RequestBooking($coworkingId: ID!, $from: DateTime!, $to: DateTime!) {
  requestBooking(input: { coworkingId: $coworkingId, startsAt: $from, endsAt: $to, purpose: "Подготовка к олимпиаде" }) {
    id
    status
  }
}

query MyBookings {
  me {
    coworkingBookings(size: 5) {
      items {
        id
        status
        startsAt
        coworking {
          name
        }
      }
    }
  }
}

mutation ReturnKey($bookingId: ID!) {
  returnKey(input: { bookingId: $bookingId }) {
    status
  }
}

mutation Cancel($bookingId: ID!) {
  cancelBooking(input: { bookingId: $bookingId }) {
    status
  }
}
`,
      variables: json({
        from: dates.tomorrowEvening.from,
        to: dates.tomorrowEvening.to,
        coworkingId: '<id from FreeTomorrowEvening>',
        bookingId: '<id from RequestBooking>',
      }),
    },
    {
      query: `# Coworking keys, as educator@sirius.local: the requests, approve, hand the key over, the live board,
# ask for the key back and close the booking once it is back.
query Requests {
  coworkingBookings(filter: { building: "8", status: PENDING }) {
    total
    items {
      id
      student {
        fullName
      }
      coworking {
        name
      }
      startsAt
      endsAt
      purpose
    }
  }
}

mutation Approve($bookingId: ID!) {
  approveBooking(input: { bookingId: $bookingId }) {
    status
  }
}

mutation HandOverKey($bookingId: ID!) {
  handOverKey(input: { bookingId: $bookingId }) {
    status
    keyTakenAt
  }
}

query Board {
  coworkingBoard(building: "8") {
    coworking {
      name
    }
    current {
      student {
        fullName
      }
      endsAt
    }
    keyOutSince
    keyOutAtNight
  }
}

mutation AskForTheKey($bookingId: ID!) {
  requestKeyReturn(input: { bookingId: $bookingId }) {
    status
  }
}

mutation Complete($bookingId: ID!) {
  completeBooking(input: { bookingId: $bookingId }) {
    status
  }
}
`,
      variables: json({ bookingId: '<id from Requests>' }),
    },
    {
      query: `# Check-out, as admin@sirius.local (or an educator_head for their entrances): a cohort whose stay ends
# by a date, or a list of students. Each student's check-out runs on its own (bookings released,
# pending applications withdrawn, sanctions closed, account deactivated, room freed) or is undone.
mutation CheckOutCohort($leavingBy: String!) {
  checkOutCohort(filter: { building: "9", checkOutDateTo: $leavingBy }, reason: "Конец смены") {
    id
    total
  }
}

mutation CheckOutStudents($userIds: [ID!]!) {
  checkOut(userIds: $userIds, reason: "Досрочный выезд") {
    id
    total
  }
}

query Progress($batchId: ID!) {
  checkOutBatch(id: $batchId) {
    total
    succeeded
    failed
    inProgress
    endedAt
    items(size: 50) {
      total
      items {
        studentName
        room
        status
        step
        failureCode
        failureReason
        compensatedSteps
      }
    }
  }
}
`,
      variables: json({ leavingBy: '2027-06-30', userIds: ['<student id>'], batchId: '<id from CheckOutCohort>' }),
    },
  ];
}
