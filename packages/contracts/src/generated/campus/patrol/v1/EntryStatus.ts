// Original file: /work/main/proto/campus/patrol/v1/patrol.proto

export const EntryStatus = {
  ENTRY_STATUS_UNSPECIFIED: 'ENTRY_STATUS_UNSPECIFIED',
  ENTRY_STATUS_UNCHECKED: 'ENTRY_STATUS_UNCHECKED',
  ENTRY_STATUS_PRESENT: 'ENTRY_STATUS_PRESENT',
  ENTRY_STATUS_ABSENT: 'ENTRY_STATUS_ABSENT',
} as const;

export type EntryStatus =
  | 'ENTRY_STATUS_UNSPECIFIED'
  | 0
  | 'ENTRY_STATUS_UNCHECKED'
  | 1
  | 'ENTRY_STATUS_PRESENT'
  | 2
  | 'ENTRY_STATUS_ABSENT'
  | 3

export type EntryStatus__Output = typeof EntryStatus[keyof typeof EntryStatus]
