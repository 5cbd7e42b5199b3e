// Original file: /work/main/proto/campus/notification/v1/notification.proto


export interface CountUnreadResponse {
  'count'?: (number);
}

export interface CountUnreadResponse__Output {
  'count': (number);
}
