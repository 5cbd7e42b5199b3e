// The identity subgraph's SDL (Apollo Federation 2). Kept in a .ts module so the build ships it
// with the code (no .graphql file to copy next to dist/).
import gql from 'graphql-tag';

export const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  "Role codes; in tokens and the database they are lower-case (student, student_patrol, …)."
  enum Role {
    STUDENT
    STUDENT_PATROL
    STUDENT_HEAD
    EDUCATOR
    EDUCATOR_HEAD
    ADMIN
  }

  "Where a student lives. Entrance and floor are those of the room."
  type Residence {
    building: String!
    entrance: Int!
    floor: Int!
    room: String!
    roomId: ID!
  }

  type ParentContact {
    name: String!
    phone: String!
  }

  type EntranceRef {
    building: String!
    entrance: Int!
  }

  type User @key(fields: "id") {
    id: ID!
    "Lower-case; unique."
    email: String!
    "+7XXXXXXXXXX"
    phone: String
    firstName: String!
    lastName: String!
    patronymic: String
    "Last name, first name, patronymic."
    fullName: String!
    roles: [Role!]!
    "Students only."
    residence: Residence
    isMinor: Boolean!
    isActive: Boolean!
    "YYYY-MM-DD"
    checkInDate: String
    "YYYY-MM-DD"
    checkOutDate: String
    "Visible to staff and to the user themself; null for anybody else."
    parentContact: ParentContact
    "Entrances an educator_head is responsible for."
    assignedEntrances: [EntranceRef!]!
    "ISO-8601 UTC"
    createdAt: String!
  }

  type Room @key(fields: "id") {
    id: ID!
    building: String!
    entrance: Int!
    floor: Int!
    number: String!
    capacity: Int!
    "Active residents. Visible to staff, the head and patrol of the entrance, and the room's residents."
    residents: [User!]!
  }

  type Building {
    code: String!
    name: String!
    floors: Int!
    entrances: [Entrance!]!
  }

  type Entrance {
    building: String!
    number: Int!
    rooms: [Room!]!
  }

  type UserPage {
    items: [User!]!
    total: Int!
    page: Int!
    size: Int!
    pages: Int!
  }

  type AuthPayload {
    "ES256 JWT for Authorization: Bearer."
    accessToken: String!
    "Opaque, single use: every refreshSession returns a new one."
    refreshToken: String!
    "Expiry of the access token, ISO-8601 UTC."
    expiresAt: String!
    "Expiry of the refresh token, ISO-8601 UTC."
    refreshExpiresAt: String!
    user: User!
  }

  type ImportRowError {
    "Line of the file (the header is line 1)."
    row: Int!
    email: String
    "VALIDATION_ERROR, AUTH_EMAIL_TAKEN, AUTH_DUPLICATE_EMAIL_IN_FILE, AUTH_UNKNOWN_ROOM, AUTH_ROOM_FULL, AUTH_WEAK_PASSWORD…"
    code: String!
    message: String!
  }

  type ImportReport {
    "Data rows in the file."
    total: Int!
    imported: Int!
    failed: Int!
    errors: [ImportRowError!]!
    users: [User!]!
  }

  "Every given field must match."
  input UserFilter {
    building: String
    entrance: Int
    floor: Int
    "Room number, e.g. 2301."
    room: String
    role: Role
    minorsOnly: Boolean
    "Words matched case-insensitively against names and e-mail; every word must match."
    search: String
    isActive: Boolean
  }

  input ResidenceInput {
    building: String!
    room: String!
  }

  input ParentContactInput {
    name: String!
    phone: String!
  }

  input EntranceInput {
    building: String!
    entrance: Int!
  }

  input CreateUserInput {
    email: String!
    "At least 8 characters."
    password: String!
    firstName: String!
    lastName: String!
    patronymic: String
    phone: String
    "Default [STUDENT]."
    roles: [Role!]
    "Students only."
    residence: ResidenceInput
    isMinor: Boolean
    "YYYY-MM-DD or DD.MM.YYYY"
    checkInDate: String
    checkOutDate: String
    parentContact: ParentContactInput
    "EDUCATOR_HEAD only."
    entrances: [EntranceInput!]
  }

  "Absent fields stay as they are; null clears a field."
  input UpdateUserInput {
    email: String
    firstName: String
    lastName: String
    patronymic: String
    phone: String
    residence: ResidenceInput
    isMinor: Boolean
    "false deactivates (and ends every session); true reactivates."
    isActive: Boolean
    checkInDate: String
    checkOutDate: String
    parentContact: ParentContactInput
  }

  type Query {
    "The signed-in user; null without a token."
    me: User
    "Staff: anyone. Others: only themselves."
    user(id: ID!): User
    "Staff only. size ≤ 100."
    users(filter: UserFilter, page: Int = 1, size: Int = 20): UserPage!
    "Staff: the whole campus. A student head: their own entrance."
    campus: [Building!]!
    "Staff only. RFC 4180 CSV with a header row."
    exportUsersCsv(filter: UserFilter): String!
  }

  type Mutation {
    login(email: String!, password: String!): AuthPayload!
    "Rotates the refresh token. Reusing a rotated token ends that whole sign-in (AUTH_REFRESH_TOKEN_REUSED)."
    refreshSession(refreshToken: String!): AuthPayload!
    "Ends the sign-in the token belongs to; false if the token is unknown."
    logout(refreshToken: String!): Boolean!
    "Ends every session of the signed-in user."
    logoutEverywhere: Boolean!
    "Admin only."
    createUser(input: CreateUserInput!): User!
    "Admin only."
    updateUser(id: ID!, input: UpdateUserInput!): User!
    "Admin only. Staff and student roles never mix; entrances only for EDUCATOR_HEAD (absent: kept)."
    assignRoles(userId: ID!, roles: [Role!]!, entrances: [EntranceInput!]): User!
    "Admin only. Also ends every session of the user."
    deactivateUser(id: ID!): User!
    """
    Admin only. CSV with a header row; columns: email, lastName, firstName (required), patronymic,
    phone, building, room, isMinor, checkInDate, checkOutDate, parentName, parentPhone, password.
    Each valid row is imported on its own; bad rows are reported in errors and write nothing.
    """
    importStudents(csv: String!): ImportReport!
    "Admin only. Returns the new key id; the previous key stays published until its tokens expire."
    rotateSigningKey: String!
    """
    Your own password (currentPassword required), or, as an admin, anyone's (userId, no current
    password). Ends every session of that user.
    """
    changePassword(userId: ID, currentPassword: String, newPassword: String!): Boolean!
  }
`;
